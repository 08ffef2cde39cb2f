package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/arena-video/arena/models/gencache"
)

// Options configures a Store.
type Options struct {
	// DSN is a SQLite file path or a postgres:// URL.
	DSN string
	// MaxConns bounds the PostgreSQL connection pool; 0 means 16. Issued
	// matchups are stored through a second pool of half as many (see
	// matchup_pg.go).
	MaxConns int
	// RelaxedSync answers votes on SQLite at commit, without waiting for
	// the fsync of the WAL: a vote survives a crash of the process but the
	// last ones can be lost in a power failure or a crash of the operating
	// system.
	RelaxedSync bool
	// MatchupTTL is how long an issued matchup accepts a vote.
	MatchupTTL time.Duration
	// MinWatch is how long after a matchup is issued its vote starts to
	// count; it never exceeds the shorter clip's duration. Earlier votes are
	// stored invalid as too_fast. Zero means no minimum.
	MinWatch time.Duration
	// RequireClipFetch counts a vote only when the voter's client fetched
	// both clips of its matchup (RecordClipFetch); other votes are stored
	// invalid as ReasonUnfetched.
	RequireClipFetch bool
	// MaxPending is how many unvoted, unexpired matchups a voter may hold;
	// issuing one more expires the oldest. Zero means DefaultMaxPending.
	MaxPending int
	// CatalogMaxAge bounds how stale the in-memory list of active clips may
	// get when another process changes the database.
	CatalogMaxAge time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger receives slow-query and error logs; nil means slog.Default().
	Logger *slog.Logger
	// PasswordCost is the bcrypt cost for new admin passwords; 0 means
	// BcryptCost. Lower values exist for tests, where bcrypt under the race
	// detector takes seconds; production never sets it.
	PasswordCost int
}

// DefaultMaxPending bounds the matchups a voter may hold unvoted. A browser
// needs one or two; the bound keeps a script from hoarding matchups and
// voting only on the ones it likes, and keeps the table from growing without
// votes.
const DefaultMaxPending = 20

// Store is the only door to the database: its methods are the queries and
// transactions, one file per entity, and it keeps the caches that make the
// voting path fast, each caching one thing.
type Store struct {
	db     conns
	cat    catalogCache                         // models, prompts and active clips; see catalog.go
	voters *gencache.Cache[string, *voterState] // per-voter judged pairs; see voter_cache.go
	stats  storeStats                           // counters for /metrics and the recompute trigger
	rules  matchupRules
	pw     passwords // see Authenticate
	now    func() time.Time
	log    *slog.Logger
	// pairScratch holds *[]float64 buffers for pickPair's pair weights.
	pairScratch sync.Pool
}

// conns are the Store's connections. On SQLite, w is one connection for the
// rare writes (admin changes, imports, snapshots) and writer groups the
// voting cycle's writes on a connection of its own (see writer.go); r is a
// read-only pool, which WAL lets run beside both. On PostgreSQL w and r are
// the same pool and writer is nil.
type conns struct {
	w, r    *gorm.DB
	writer  *batchWriter
	dialect dialect
	// issue stores issued matchups on PostgreSQL (see matchup_pg.go); nil
	// on SQLite.
	issue *sql.DB
}

// matchupRules are the limits on issuing and voting on matchups; see
// Options.
type matchupRules struct {
	ttl        time.Duration
	minWatch   time.Duration
	maxPending int
	// sql holds the voting cycle's statements for these rules, in the
	// database's dialect.
	sql          cycleSQL
	issue        issueSQL // PostgreSQL only
	requireFetch bool
}

// catalogCache holds the newest catalog; see catalog.go.
type catalogCache struct {
	maxAge time.Duration
	mu     sync.Mutex // serialises catalog reloads
	cur    atomic.Pointer[catalog]
	loads  atomic.Uint64 // numbers each catalog load; see CatalogVersion
}

// passwords is how new admin passwords are hashed.
type passwords struct {
	cost      int
	dummyHash string // compared against for unknown usernames; see Authenticate
}

// Open connects to the database, applies pending migrations and returns a
// ready Store.
func Open(ctx context.Context, opts Options) (*Store, error) {
	if opts.MatchupTTL <= 0 {
		opts.MatchupTTL = time.Hour
	}
	if opts.CatalogMaxAge <= 0 {
		opts.CatalogMaxAge = 5 * time.Second
	}
	if opts.MaxPending <= 0 {
		opts.MaxPending = DefaultMaxPending
	}
	if opts.MinWatch < 0 {
		opts.MinWatch = 0
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	s := &Store{
		db:  conns{dialect: DialectSQLite},
		cat: catalogCache{maxAge: opts.CatalogMaxAge},
		rules: matchupRules{ttl: opts.MatchupTTL, minWatch: opts.MinWatch, maxPending: opts.MaxPending,
			requireFetch: opts.RequireClipFetch},
		stats: storeStats{changes: newRankingChanges()},
		now:   opts.Now,
		log:   opts.Logger,
	}
	if err := s.setPasswordCost(opts.PasswordCost); err != nil {
		return nil, err
	}
	var err error
	if IsPostgresDSN(opts.DSN) {
		s.db.dialect = DialectPostgres
		if s.db.w, err = openPostgres(opts.DSN, opts.MaxConns); err != nil {
			return nil, err
		}
		s.db.r = s.db.w
		if s.db.issue, err = openIssuePool(opts.DSN, opts.MaxConns); err != nil {
			s.Close()
			return nil, err
		}
		s.rules.issue = newIssueSQL(s.db.dialect)
	} else if s.db.w, s.db.r, err = openSQLite(opts.DSN); err != nil {
		return nil, err
	}
	s.rules.sql = newCycleSQL(s.db.dialect, opts.RequireClipFetch)
	if err := migrate(ctx, s.db.w, s.db.dialect); err != nil {
		s.Close()
		return nil, err
	}
	s.voters = newVoterCache(voterCacheSize)
	if !s.db.dialect.postgres() {
		bw, err := openSQLiteWriter(opts.DSN)
		if err != nil {
			s.Close()
			return nil, err
		}
		ckpt, err := openSQLiteWriter(opts.DSN)
		if err != nil {
			closeDB(bw)
			s.Close()
			return nil, err
		}
		if s.db.writer, err = newBatchWriter(bw, ckpt, opts.DSN, &s.stats, opts.RelaxedSync, s.log); err != nil {
			closeDB(bw)
			closeDB(ckpt)
			s.Close()
			return nil, err
		}
	}
	return s, nil
}

// gormConfig is the GORM setup of every pool. cacheStatements turns on
// GORM's statement cache (PrepareStmt), which saves parsing a statement
// again on every use, and is only safe on a pool where no caller holds a
// connection while it asks the cache for a statement: the first caller
// of a statement prepares it on a connection of the pool, and every other
// caller of that statement waits for the preparation. When transactions hold
// every connection and then need a statement that a plain caller is
// preparing, the plain caller waits for a connection and the transactions
// wait for it, and nothing moves until the plain caller's context gives up
// (on SQLite's one-connection write pool, one transaction is enough).
func gormConfig(cacheStatements bool) *gorm.Config {
	return &gorm.Config{
		Logger:                 logger.Discard,
		SkipDefaultTransaction: true, // every write here is one statement or an explicit transaction
		PrepareStmt:            cacheStatements,
		NowFunc:                func() time.Time { return time.Now().UTC() },
	}
}

// sqliteDSN is the connection string for the SQLite file at path.
func sqliteDSN(path string) string {
	// synchronous=FULL syncs the WAL at every commit, so an acknowledged
	// write survives even an operating-system crash or power loss. The
	// batch writer's connection, which carries the votes, commits with
	// NORMAL instead and leaves the fsync to its syncer (writer.go), which
	// answers a vote only once the WAL holding it is synced.
	return "file:" + path + "?_journal_mode=WAL&_busy_timeout=10000&_foreign_keys=on&_synchronous=FULL&_txlock=immediate&_cache_size=-32768"
}

// openSQLiteWriter opens a connection of the batch writer's own. It caches
// statements: one goroutine uses it (the writer's or the checkpointer's),
// one statement at a time.
func openSQLiteWriter(path string) (*gorm.DB, error) {
	return openSQLitePool(path, sqliteDSN(path), 1, true)
}

// openSQLite opens a writer with one connection and a reader pool on the same
// file. WAL lets readers proceed while the writer commits; the busy timeout
// covers other processes (a backup, a second CLI) holding the lock briefly.
// The reader pool caches statements: it runs no transactions, and a caller
// reading rows asks for no other statement before it has closed them, so
// every connection comes back without waiting on the cache (gormConfig).
// The writer's one connection is held by every transaction, so it does not.
func openSQLite(path string) (w, r *gorm.DB, err error) {
	if path == "" {
		return nil, nil, errors.New("no database path given")
	}
	dsn := sqliteDSN(path)
	if w, err = openSQLitePool(path, dsn, 1, false); err != nil {
		return nil, nil, err
	}
	if r, err = openSQLitePool(path, dsn+"&mode=ro", 8, true); err != nil {
		closeDB(w)
		return nil, nil, err
	}
	return w, r, nil
}

// openSQLitePool opens the SQLite file at path with dsn, keeping up to conns
// connections open for good (a connection's prepared statements live as long
// as it does), and checks that the file opens.
func openSQLitePool(path, dsn string, conns int, cacheStatements bool) (*gorm.DB, error) {
	db, err := gorm.Open(sqlite.Open(dsn), gormConfig(cacheStatements))
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	sqlDB.SetMaxOpenConns(conns)
	sqlDB.SetMaxIdleConns(conns)
	if err := sqlDB.Ping(); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return db, nil
}

// Close releases the database connections.
func (s *Store) Close() error {
	var errs []error
	dbs := []*gorm.DB{s.db.r, s.db.w}
	if s.db.writer != nil {
		s.db.writer.close()
		dbs = append(dbs, s.db.writer.db, s.db.writer.ckpt.db)
	}
	if s.db.r == s.db.w {
		dbs = dbs[1:] // PostgreSQL: one pool
	}
	for _, db := range dbs {
		if db == nil {
			continue
		}
		if sqlDB, err := db.DB(); err == nil {
			errs = append(errs, sqlDB.Close())
		}
	}
	if s.db.issue != nil {
		errs = append(errs, s.db.issue.Close())
	}
	return errors.Join(errs...)
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	return s.db.r.WithContext(ctx).Raw("SELECT 1").Scan(&one).Error
}

// Dialect names the database in use: "sqlite" or "postgres".
func (s *Store) Dialect() string { return string(s.db.dialect) }

// Now returns the Store's clock reading.
func (s *Store) Now() time.Time { return s.now() }

// VotesRecorded counts the votes this Store has recorded since it opened. The
// background recompute compares readings to know whether one is due.
func (s *Store) VotesRecorded() uint64 { return s.stats.recorded.Load() }

// MinWatch returns the configured minimum watch time, so the arena page can
// ask for the same wait the server checks.
func (s *Store) MinWatch() time.Duration { return s.rules.minWatch }

// Pools returns the database connection pools by name ("read", "write",
// "batch" on SQLite; "pool" and "issue" on PostgreSQL), for their
// statistics.
func (s *Store) Pools() map[string]*sql.DB {
	out := map[string]*sql.DB{}
	add := func(name string, db interface{ DB() (*sql.DB, error) }) {
		if sqlDB, err := db.DB(); err == nil {
			out[name] = sqlDB
		}
	}
	if s.db.r == s.db.w {
		add("pool", s.db.w)
		if s.db.issue != nil {
			out["issue"] = s.db.issue
		}
		return out
	}
	add("read", s.db.r)
	add("write", s.db.w)
	if s.db.writer != nil {
		add("batch", s.db.writer.db)
	}
	return out
}
