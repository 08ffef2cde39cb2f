package models

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"gorm.io/gorm"
)

// Budget kinds, as address_budgets rows name them.
const (
	budgetNewVoters = "voters"
	budgetVotes     = "votes"
)

// SharedBudgets is Budgets in PostgreSQL, for a deployment of several
// instances on one database: an address's new voters and valid votes are
// counted once for all of them, not once per instance. Each window of each
// address is one row, spent by one statement that adds one only while the
// count is under the limit, so concurrent instances never overspend.
type SharedBudgets struct {
	db     *gorm.DB
	limits BudgetLimits
	// lastSweep (unix seconds) spaces out deleting the rows of windows
	// that are over.
	lastSweep atomic.Int64
}

// Budgets returns the per-address budgets with the given limits: in the
// database on PostgreSQL, where several instances may share it, and in
// memory on SQLite, where there is one.
func (s *Store) Budgets(l BudgetLimits) Budgets {
	if s.Dialect() != DialectPostgres {
		return NewMemoryBudgets(l)
	}
	return &SharedBudgets{db: s.db.w, limits: l}
}

// take spends one of the address's budget of kind in the window of length
// d holding now, unless limit are spent already.
func (b *SharedBudgets) take(ctx context.Context, kind, address string, now time.Time, d time.Duration, limit int) (bool, error) {
	if err := b.sweep(ctx, now); err != nil {
		return false, err
	}
	start := now.UTC().Truncate(d)
	var n []int
	err := b.db.WithContext(ctx).Raw(`INSERT INTO address_budgets AS b (kind, address, window_start, n) VALUES (?, ?, ?, 1)
ON CONFLICT (kind, address, window_start) DO UPDATE SET n = b.n + 1 WHERE b.n < ?
RETURNING n`, kind, address, start, limit).Scan(&n).Error
	if err != nil {
		return false, fmt.Errorf("spend %s budget: %w", kind, err)
	}
	return len(n) == 1, nil
}

// sweep deletes the rows of windows over for a day, at most once a minute
// per instance.
func (b *SharedBudgets) sweep(ctx context.Context, now time.Time) error {
	last := b.lastSweep.Load()
	if now.Unix()-last < 60 || !b.lastSweep.CompareAndSwap(last, now.Unix()) {
		return nil
	}
	return b.db.WithContext(ctx).Exec(`DELETE FROM address_budgets WHERE window_start < ?`, now.UTC().Add(-48*time.Hour)).Error
}

// TakeNewVoter implements Budgets.
func (b *SharedBudgets) TakeNewVoter(ctx context.Context, address string, now time.Time) (bool, time.Duration, error) {
	if b.limits.NewVotersPerHour <= 0 {
		return true, 0, nil
	}
	ok, err := b.take(ctx, budgetNewVoters, address, now, time.Hour, b.limits.NewVotersPerHour)
	if err != nil || ok {
		return ok, 0, err
	}
	return false, now.UTC().Truncate(time.Hour).Add(time.Hour).Sub(now), nil
}

// TakeVote implements Budgets.
func (b *SharedBudgets) TakeVote(ctx context.Context, address string, now time.Time) (bool, error) {
	if b.limits.VotesPerDay <= 0 {
		return true, nil
	}
	return b.take(ctx, budgetVotes, address, now, 24*time.Hour, b.limits.VotesPerDay)
}

// RefundVote implements Budgets.
func (b *SharedBudgets) RefundVote(ctx context.Context, address string, now time.Time) error {
	if b.limits.VotesPerDay <= 0 {
		return nil
	}
	err := b.db.WithContext(context.WithoutCancel(ctx)).Exec(`UPDATE address_budgets SET n = n - 1 WHERE kind = ? AND address = ? AND window_start = ? AND n > 0`,
		budgetVotes, address, now.UTC().Truncate(24*time.Hour)).Error
	if err != nil {
		return fmt.Errorf("refund vote budget: %w", err)
	}
	return nil
}

// migrateAddressBudgets creates the table of SharedBudgets. SQLite gets it
// too, unused, so both databases have one schema.
func migrateAddressBudgets(tx *gorm.DB) error {
	return execAll(tx, `CREATE TABLE IF NOT EXISTS address_budgets (kind varchar(16) NOT NULL, address varchar(100) NOT NULL,
		window_start `+dialectOf(tx).timestamp()+` NOT NULL, n integer NOT NULL, PRIMARY KEY (kind, address, window_start))`)
}
