package models

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/arena-video/arena/models/testdb"
)

// Two Stores on one PostgreSQL database, spending one address's budgets at
// once from many goroutines: exactly the limit is granted across both.
func TestSharedBudgets_ExactAcrossTwoStoresUnderContention(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.db")
	a, b := openTestStore(t, path), openTestStore(t, path)
	limits := BudgetLimits{NewVotersPerHour: 5, VotesPerDay: 7}
	ba, bb := a.Budgets(limits), b.Budgets(limits)
	if testdb.Backend() != "postgres" {
		if _, ok := ba.(*MemoryBudgets); !ok {
			t.Fatalf("SQLite budgets are %T, want *MemoryBudgets", ba)
		}
		t.Skip("budgets are shared through PostgreSQL; SQLite runs one instance")
	}
	ctx := context.Background()
	now := time.Date(2026, 3, 1, 12, 40, 0, 0, time.UTC)
	var (
		mu            sync.Mutex
		voters, votes int
		wg            sync.WaitGroup
		waits         []time.Duration
		errs          []error
	)
	for i := range 30 {
		budgets := ba
		if i%2 == 1 {
			budgets = bb
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			okV, wait, err1 := budgets.TakeNewVoter(ctx, "198.51.100.1", now)
			okB, err2 := budgets.TakeVote(ctx, "198.51.100.1", now)
			mu.Lock()
			defer mu.Unlock()
			if okV {
				voters++
			} else {
				waits = append(waits, wait)
			}
			if okB {
				votes++
			}
			for _, err := range []error{err1, err2} {
				if err != nil {
					errs = append(errs, err)
				}
			}
		}()
	}
	wg.Wait()
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if voters != 5 || votes != 7 {
		t.Errorf("granted %d new voters and %d votes, want exactly 5 and 7", voters, votes)
	}
	for _, w := range waits {
		if w != 20*time.Minute {
			t.Errorf("refused new voter told to wait %v, want the 20 minutes left in the hour", w)
		}
	}
	// A refund on one Store gives the vote back for both; another address
	// and the next day are untouched.
	if err := bb.RefundVote(ctx, "198.51.100.1", now); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		budgets Budgets
		address string
		at      time.Time
		want    bool
	}{
		{ba, "198.51.100.1", now, true},
		{bb, "198.51.100.1", now, false},
		{ba, "198.51.100.2", now, true},
		{bb, "198.51.100.1", now.Add(12 * time.Hour), true},
	} {
		if ok, err := c.budgets.TakeVote(ctx, c.address, c.at); err != nil || ok != c.want {
			t.Errorf("TakeVote(%s, %v) = %v, %v; want %v", c.address, c.at, ok, err, c.want)
		}
	}
}
