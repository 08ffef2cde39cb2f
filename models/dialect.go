package models

import (
	"context"
	"database/sql/driver"
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"
)

// Queries use SQL both databases speak (partial indexes, UPDATE ...
// RETURNING, ON CONFLICT DO NOTHING). Where SQLite and PostgreSQL still
// differ, the code asks one dialect value: this file holds how to connect,
// how big the pools are, how processes take turns, and the small spellings
// below; the other places that differ (the SQLite-only batch writer, bulk
// import cache, the vote-counting trigger's two versions) branch
// on the Store's dialect or on dialectOf(tx), never on a driver name.

// Dialects a Store can speak, as Store.Dialect names them.
const (
	DialectSQLite   = "sqlite"
	DialectPostgres = "postgres"
)

// dialect is the database a Store or a migration talks to: DialectSQLite or
// DialectPostgres.
type dialect string

// dialectOf names the database behind a gorm handle, for migrations, which
// get a transaction rather than a Store.
func dialectOf(tx *gorm.DB) dialect {
	if tx.Dialector.Name() == DialectPostgres {
		return DialectPostgres
	}
	return DialectSQLite
}

// postgres reports whether the database is PostgreSQL.
func (d dialect) postgres() bool { return d == DialectPostgres }

// placeholder is the n-th (from 1) bind parameter of a raw statement run
// through database/sql, which passes it to the driver unchanged.
func (d dialect) placeholder(n int) string {
	if d.postgres() {
		return "$" + strconv.Itoa(n)
	}
	return "?"
}

// bind rewrites a statement written with ? placeholders into the
// dialect's own, for statements that bypass gorm (cycleSQL), which would
// otherwise do it on every call. Every ? in query must be a placeholder.
func (d dialect) bind(query string) string {
	if !d.postgres() {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString(d.placeholder(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// noLimit is the LIMIT clause meaning "no limit", which an OFFSET needs on
// SQLite; PostgreSQL spells it LIMIT ALL.
func (d dialect) noLimit() string {
	if d.postgres() {
		return "LIMIT ALL"
	}
	return "LIMIT -1"
}

// timestamp is the column type GORM makes for a time.Time.
func (d dialect) timestamp() string {
	if d.postgres() {
		return "timestamptz"
	}
	return "timestamp"
}

// IsPostgresDSN reports whether dsn is a PostgreSQL URL rather than a SQLite
// file path.
func IsPostgresDSN(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// openPostgres opens one pool for both reads and writes: PostgreSQL runs
// writers concurrently, so there is no reason to queue them in Go. The pool
// leaves GORM's statement cache off, as transactions hold its connections
// (gormConfig); pgx keeps its own cache of prepared statements on each
// connection, which waits on nobody.
func openPostgres(dsn string, maxConns int) (*gorm.DB, error) {
	db, err := gorm.Open(postgres.Open(dsn), gormConfig(false))
	if err != nil {
		return nil, fmt.Errorf("open PostgreSQL: %w", err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	if maxConns <= 0 {
		maxConns = 16
	}
	sqlDB.SetMaxOpenConns(maxConns)
	sqlDB.SetMaxIdleConns(maxConns)
	sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	if err := sqlDB.Ping(); err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("open PostgreSQL: %w", err)
	}
	return db, nil
}

// advisoryKey turns a lock name into PostgreSQL's 64-bit advisory lock key.
func advisoryKey(name string) int64 {
	h := fnv.New64a()
	h.Write([]byte("arena:" + name))
	return int64(h.Sum64())
}

// advisoryLock holds a PostgreSQL session-level advisory lock on a connection
// of its own, so the lock lives exactly as long as the holder wants it.
// With wait it blocks until the lock is free; without it reports whether the
// lock was taken.
func advisoryLock(ctx context.Context, db *gorm.DB, name string, wait bool) (unlock func(), ok bool, err error) {
	sqlDB, err := db.DB()
	if err != nil {
		return nil, false, err
	}
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return nil, false, fmt.Errorf("lock %s: %w", name, err)
	}
	key := advisoryKey(name)
	if wait {
		_, err = conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", key)
		ok = err == nil
	} else {
		err = conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock($1)", key).Scan(&ok)
	}
	if err != nil || !ok {
		conn.Close()
		if err != nil {
			return nil, false, fmt.Errorf("lock %s: %w", name, err)
		}
		return nil, false, nil
	}
	return func() {
		// A fresh context: the caller's may be cancelled, and a lock left on
		// a pooled connection would outlive its holder.
		uctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if _, err := conn.ExecContext(uctx, "SELECT pg_advisory_unlock($1)", key); err != nil {
			// Closing a connection whose unlock failed ends its session, and
			// with it the lock.
			_ = conn.Raw(func(any) error { return driver.ErrBadConn })
		}
		conn.Close()
	}, true, nil
}

// WithLeaderLock runs fn while holding the named lock across every Arena
// instance on the same database, so that work such as the leaderboard
// recompute runs in one place at a time. When another instance holds the
// lock it returns at once with ran false. On SQLite there is only one
// process writing, so fn simply runs.
func (s *Store) WithLeaderLock(ctx context.Context, name string, fn func() error) (ran bool, err error) {
	if !s.db.dialect.postgres() {
		return true, fn()
	}
	unlock, ok, err := advisoryLock(ctx, s.db.w, "leader:"+name, false)
	if err != nil || !ok {
		return false, err
	}
	defer unlock()
	return true, fn()
}

// WithLock runs fn while holding the named lock across every Arena instance
// on the same database, waiting for the lock if another instance holds it.
// Seeding the demo data uses it so that instances starting together seed
// once. On SQLite fn simply runs.
func (s *Store) WithLock(ctx context.Context, name string, fn func() error) error {
	if !s.db.dialect.postgres() {
		return fn()
	}
	unlock, _, err := advisoryLock(ctx, s.db.w, "lock:"+name, true)
	if err != nil {
		return err
	}
	defer unlock()
	return fn()
}

// epochSeconds is SQL for a timestamp column as whole seconds since 1970,
// UTC: reading a million times as numbers costs a fraction of parsing them
// as text in Go.
func (d dialect) epochSeconds(col string) string {
	if d.postgres() {
		return "CAST(floor(extract(epoch from " + col + ")) AS BIGINT)"
	}
	return "CAST(strftime('%s', " + col + ") AS INTEGER)"
}
