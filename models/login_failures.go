package models

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"time"

	"gorm.io/gorm"
)

// Failed admin sign-ins, kept in the database on PostgreSQL so that the
// sign-in throttle holds for every instance of a deployment: an attacker
// who spreads guesses over the instances gets the limit once, not once per
// instance. Keys are the throttle's counter names (an address, an address
// and a username), stored hashed: they are bounded in length, carry no
// byte PostgreSQL refuses in text, and the table lists no username.

// loginKey is how a throttle key is stored.
func loginKey(name string) string {
	sum := sha256.Sum256([]byte(name))
	return hex.EncodeToString(sum[:])
}

// RecentLoginFailures returns, for each key that has any, the times of its
// failed sign-ins since since, oldest first.
func (l *SharedLimits) RecentLoginFailures(ctx context.Context, keys []string, since time.Time) (map[string][]time.Time, error) {
	byHash := make(map[string]string, len(keys))
	hashes := make([]string, 0, len(keys))
	for _, k := range keys {
		h := loginKey(k)
		byHash[h] = k
		hashes = append(hashes, h)
	}
	var rows []struct {
		Key string
		At  time.Time
	}
	err := l.db.WithContext(ctx).Raw(`SELECT key, at FROM login_failures WHERE key IN ? AND at > ? ORDER BY at`, hashes, since).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("read sign-in failures: %w", err)
	}
	out := make(map[string][]time.Time)
	for _, r := range rows {
		out[byHash[r.Key]] = append(out[byHash[r.Key]], r.At)
	}
	for _, ts := range out {
		sort.Slice(ts, func(i, j int) bool { return ts[i].Before(ts[j]) })
	}
	return out, nil
}

// AddLoginFailure records a failed sign-in at at under every key, and
// forgets failures older than before, which no longer count anywhere.
func (l *SharedLimits) AddLoginFailure(ctx context.Context, keys []string, at, before time.Time) error {
	ctx = context.WithoutCancel(ctx) // a failure counts even if the client left
	return l.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for _, k := range keys {
			if err := tx.Exec(`INSERT INTO login_failures (key, at) VALUES (?, ?)`, loginKey(k), at).Error; err != nil {
				return fmt.Errorf("record sign-in failure: %w", err)
			}
		}
		return tx.Exec(`DELETE FROM login_failures WHERE at < ?`, before).Error
	})
}

// ClearLoginFailures forgets the failures of one key.
func (l *SharedLimits) ClearLoginFailures(ctx context.Context, key string) error {
	return l.db.WithContext(context.WithoutCancel(ctx)).Exec(`DELETE FROM login_failures WHERE key = ?`, loginKey(key)).Error
}

// migrateLoginFailures creates the table of failed sign-ins. SQLite gets
// it too, unused, so both databases have one schema.
func migrateLoginFailures(tx *gorm.DB) error {
	return execAll(tx,
		`CREATE TABLE IF NOT EXISTS login_failures (key char(64) NOT NULL, at `+dialectOf(tx).timestamp()+` NOT NULL)`,
		`CREATE INDEX IF NOT EXISTS idx_login_failures_key ON login_failures (key, at)`,
		`CREATE INDEX IF NOT EXISTS idx_login_failures_at ON login_failures (at)`,
	)
}
