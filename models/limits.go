package models

import (
	"context"
	"fmt"
	"math"
	"time"

	"gorm.io/gorm"
)

// Bucket names one token bucket and its rate: Events tokens per Per, and at
// most Events held, so a full bucket allows a burst of Events.
type Bucket struct {
	Key    string
	Events int
	Per    time.Duration
}

func (b Bucket) perSecond() float64 { return float64(b.Events) / b.Per.Seconds() }

// SharedLimits keeps rate-limit buckets in the database, so that limits hold for a whole deployment of several instances
// on one PostgreSQL database rather than per instance. Each bucket is one
// row updated by one statement, so instances never race on a token. A
// SQLite deployment is one process and keeps its limits in memory instead.
type SharedLimits struct {
	db *gorm.DB
}

// SharedLimits returns the store's database-backed limits, or nil on
// SQLite, where there is only one instance to limit.
func (s *Store) SharedLimits() *SharedLimits {
	if s.Dialect() != DialectPostgres {
		return nil
	}
	return &SharedLimits{db: s.db.w}
}

// Take spends one token from every bucket at now, or none: when a bucket is empty
// the tokens already spent are given back, and Take returns how long until
// that bucket has a token again. A zero wait means the tokens were spent.
func (l *SharedLimits) Take(ctx context.Context, now time.Time, buckets ...Bucket) (time.Duration, error) {
	for i, b := range buckets {
		wait, err := l.take(ctx, b, now)
		if err == nil && wait == 0 {
			continue
		}
		for _, back := range buckets[:i] {
			if gerr := l.give(ctx, back); gerr != nil && err == nil {
				err = gerr
			}
		}
		return wait, err
	}
	return 0, nil
}

// take spends a token from one bucket in one statement: the bucket is
// refilled for the time since its last use, and updated only when a whole
// token is there. No row comes back when it is empty.
func (l *SharedLimits) take(ctx context.Context, b Bucket, now time.Time) (time.Duration, error) {
	const q = `INSERT INTO rate_buckets AS b (key, tokens, at, burst, rate) VALUES (?, ?, ?, ?, ?)
ON CONFLICT (key) DO UPDATE SET
	tokens = LEAST(?, b.tokens + GREATEST(0, EXTRACT(EPOCH FROM (?::timestamptz - b.at))) * ?) - 1,
	at = GREATEST(b.at, ?::timestamptz), burst = EXCLUDED.burst, rate = EXCLUDED.rate
WHERE LEAST(?, b.tokens + GREATEST(0, EXTRACT(EPOCH FROM (?::timestamptz - b.at))) * ?) >= 1
RETURNING tokens`
	burst, rate := float64(b.Events), b.perSecond()
	var left []float64
	err := l.db.WithContext(ctx).Raw(q, b.Key, burst-1, now, burst, rate, burst, now, rate, now, burst, now, rate).Scan(&left).Error
	if err != nil {
		return 0, fmt.Errorf("rate limit: %w", err)
	}
	if len(left) == 1 {
		return 0, nil
	}
	var have []float64
	err = l.db.WithContext(ctx).Raw(`SELECT LEAST(?, tokens + GREATEST(0, EXTRACT(EPOCH FROM (?::timestamptz - at))) * ?) FROM rate_buckets WHERE key = ?`,
		burst, now, rate, b.Key).Scan(&have).Error
	if err != nil || len(have) == 0 {
		return time.Second, err // refused a moment ago; a second is a fair guess
	}
	wait := time.Duration(math.Ceil((1 - have[0]) / rate * float64(time.Second)))
	return max(wait, time.Millisecond), nil
}

// give returns a token taken by a call that was then refused elsewhere.
func (l *SharedLimits) give(ctx context.Context, b Bucket) error {
	return l.db.WithContext(context.WithoutCancel(ctx)).Exec(`UPDATE rate_buckets SET tokens = LEAST(?, tokens + 1) WHERE key = ?`, float64(b.Events), b.Key).Error
}

// SweepBuckets deletes the buckets that have filled up again since their
// last use: a full bucket means the same as no bucket.
func (l *SharedLimits) SweepBuckets(ctx context.Context, now time.Time) error {
	return l.db.WithContext(ctx).Exec(`DELETE FROM rate_buckets WHERE tokens + EXTRACT(EPOCH FROM (?::timestamptz - at)) * rate >= burst`, now).Error
}

// migrateSharedLimits creates the tables of SharedLimits. SQLite gets them
// too, unused, so both databases have one schema.
func migrateSharedLimits(tx *gorm.DB) error {
	ts := "timestamp"
	if tx.Dialector.Name() == DialectPostgres {
		ts = "timestamptz"
	}
	for _, q := range []string{
		// burst and rate are kept with each bucket so a sweep knows when
		// it is full again, whatever limit it belongs to.
		`CREATE TABLE IF NOT EXISTS rate_buckets (key varchar(200) PRIMARY KEY, tokens double precision NOT NULL, at ` + ts + ` NOT NULL,
			burst double precision NOT NULL, rate double precision NOT NULL)`,
	} {
		if err := tx.Exec(q).Error; err != nil {
			return err
		}
	}
	return nil
}
