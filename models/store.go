package models

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Options configures a Store.
type Options struct {
	// DSN is a SQLite file path. PostgreSQL URLs are refused for now.
	DSN string
	// MatchupTTL is how long an issued matchup accepts a vote.
	MatchupTTL time.Duration
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

// Store is the only door to the database.
type Store struct {
	w       *gorm.DB // writes: one connection on SQLite, so writers queue in Go, not in SQLite's busy loop
	r       *gorm.DB // reads: a pool; WAL lets readers run beside the writer
	dialect string
	ttl     time.Duration
	now     func() time.Time
	log     *slog.Logger

	pwCost    int
	dummyHash string // see Authenticate

	catMaxAge time.Duration
	catMu     sync.Mutex // serialises catalog reloads
	cat       atomic.Pointer[catalog]
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
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if strings.HasPrefix(opts.DSN, "postgres://") || strings.HasPrefix(opts.DSN, "postgresql://") {
		return nil, errors.New("PostgreSQL is not supported by this build yet; use a SQLite file path")
	}
	s := &Store{
		dialect:   "sqlite",
		ttl:       opts.MatchupTTL,
		now:       opts.Now,
		log:       opts.Logger,
		catMaxAge: opts.CatalogMaxAge,
	}
	if err := s.setPasswordCost(opts.PasswordCost); err != nil {
		return nil, err
	}
	var err error
	if s.w, s.r, err = openSQLite(opts.DSN); err != nil {
		return nil, err
	}
	if err := migrate(ctx, s.w, s.dialect); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func gormConfig() *gorm.Config {
	return &gorm.Config{
		Logger:                 logger.Discard,
		SkipDefaultTransaction: true, // every write here is one statement or an explicit transaction
		PrepareStmt:            true,
		NowFunc:                func() time.Time { return time.Now().UTC() },
	}
}

// openSQLite opens a writer with one connection and a reader pool on the same
// file. WAL lets readers proceed while the writer commits; the busy timeout
// covers other processes (a backup, a second CLI) holding the lock briefly.
func openSQLite(path string) (w, r *gorm.DB, err error) {
	if path == "" {
		return nil, nil, errors.New("no database path given")
	}
	// synchronous=NORMAL in WAL mode keeps every committed transaction across
	// a process crash; only an operating-system crash can lose the last ones.
	dsn := "file:" + path + "?_journal_mode=WAL&_busy_timeout=10000&_foreign_keys=on&_synchronous=NORMAL&_txlock=immediate"
	if w, err = gorm.Open(sqlite.Open(dsn), gormConfig()); err != nil {
		return nil, nil, fmt.Errorf("open %s: %w", path, err)
	}
	wdb, err := w.DB()
	if err != nil {
		return nil, nil, err
	}
	wdb.SetMaxOpenConns(1)
	wdb.SetConnMaxIdleTime(0)
	if err := wdb.Ping(); err != nil {
		wdb.Close()
		return nil, nil, fmt.Errorf("open %s: %w", path, err)
	}
	if r, err = gorm.Open(sqlite.Open(dsn+"&mode=ro"), gormConfig()); err != nil {
		wdb.Close()
		return nil, nil, fmt.Errorf("open %s: %w", path, err)
	}
	rdb, _ := r.DB()
	rdb.SetMaxOpenConns(8)
	rdb.SetMaxIdleConns(8)
	return w, r, nil
}

// Close releases the database connections.
func (s *Store) Close() error {
	var errs []error
	for _, db := range []*gorm.DB{s.r, s.w} {
		if db == nil {
			continue
		}
		if sqlDB, err := db.DB(); err == nil {
			errs = append(errs, sqlDB.Close())
		}
	}
	return errors.Join(errs...)
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	return s.r.WithContext(ctx).Raw("SELECT 1").Scan(&one).Error
}

// Dialect names the database in use: "sqlite" or "postgres".
func (s *Store) Dialect() string { return s.dialect }

// Now returns the Store's clock reading.
func (s *Store) Now() time.Time { return s.now() }
