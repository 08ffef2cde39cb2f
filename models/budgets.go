package models

import (
	"context"
	"sync"
	"time"
)

// ReasonAddressBudget marks a vote stored but not counted because its client
// address had already cast its day's budget of valid votes.
const ReasonAddressBudget = "address_budget"

// Budget defaults: how many new voters one client address may create per
// hour, and how many valid votes it may cast per day (UTC). An office or a
// campus behind one address stays well inside both; a script that makes a
// new cookie for every few votes does not.
const (
	DefaultNewVotersPerHour = 30
	DefaultVotesPerDay      = 300
)

// Budgets counts what each client address (an IPv4 address or an IPv6 /64,
// as the caller keys it) has spent in fixed windows: new voters per hour,
// valid votes per UTC day. MemoryBudgets keeps them in one process; an
// implementation over a shared database serves several instances.
type Budgets interface {
	// TakeNewVoter spends one of the address's new voters for the hour
	// holding now. When none is left it spends nothing, returns false and
	// how long until the next hour.
	TakeNewVoter(ctx context.Context, address string, now time.Time) (ok bool, wait time.Duration, err error)
	// TakeVote spends one of the address's valid votes for the day
	// holding now, or returns false when none is left.
	TakeVote(ctx context.Context, address string, now time.Time) (bool, error)
	// RefundVote gives back a vote taken at now that did not count for
	// another reason.
	RefundVote(ctx context.Context, address string, now time.Time) error
}

// BudgetLimits configures MemoryBudgets; zero or less means no limit.
type BudgetLimits struct {
	NewVotersPerHour int
	VotesPerDay      int
}

// MemoryBudgets is Budgets in memory, for one instance (SQLite).
type MemoryBudgets struct {
	limits BudgetLimits
	mu     sync.Mutex
	voters windowCounts
	votes  windowCounts
}

// windowCounts counts per key within the current fixed window only: a new
// window drops every old count, so memory stays bounded by one window's
// addresses.
type windowCounts struct {
	start time.Time
	n     map[string]int
}

// count returns the counts of the window of length d holding now.
func (w *windowCounts) count(now time.Time, d time.Duration) map[string]int {
	start := now.UTC().Truncate(d)
	if !start.Equal(w.start) || w.n == nil {
		w.start, w.n = start, make(map[string]int)
	}
	return w.n
}

// NewMemoryBudgets returns budgets with the given limits.
func NewMemoryBudgets(l BudgetLimits) *MemoryBudgets {
	return &MemoryBudgets{limits: l}
}

// TakeNewVoter implements Budgets.
func (b *MemoryBudgets) TakeNewVoter(_ context.Context, address string, now time.Time) (bool, time.Duration, error) {
	if b.limits.NewVotersPerHour <= 0 {
		return true, 0, nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	n := b.voters.count(now, time.Hour)
	if n[address] >= b.limits.NewVotersPerHour {
		return false, b.voters.start.Add(time.Hour).Sub(now), nil
	}
	n[address]++
	return true, 0, nil
}

// TakeVote implements Budgets.
func (b *MemoryBudgets) TakeVote(_ context.Context, address string, now time.Time) (bool, error) {
	if b.limits.VotesPerDay <= 0 {
		return true, nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	n := b.votes.count(now, 24*time.Hour)
	if n[address] >= b.limits.VotesPerDay {
		return false, nil
	}
	n[address]++
	return true, nil
}

// RefundVote implements Budgets.
func (b *MemoryBudgets) RefundVote(_ context.Context, address string, now time.Time) error {
	if b.limits.VotesPerDay <= 0 {
		return nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	n := b.votes.count(now, 24*time.Hour)
	if n[address] > 0 {
		n[address]--
	}
	return nil
}
