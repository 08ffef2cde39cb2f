package handlers

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/arena-video/arena/models"
	"github.com/arena-video/arena/models/testclock"
	"github.com/arena-video/arena/models/testdb"
)

// TestBudgets_HoldAcrossInstances runs two servers, each with its own Store
// (its own connections), on one PostgreSQL database, as two instances
// behind a load balancer: the new voters one address may create in an hour
// are counted once for both, and so are its valid votes of the day.
func TestBudgets_HoldAcrossInstances(t *testing.T) {
	if testdb.Backend() != "postgres" {
		t.Skip("budgets are shared through PostgreSQL; SQLite runs one instance")
	}
	clock := testclock.New(time.Date(2026, 3, 1, 12, 30, 0, 0, time.UTC))
	limits := models.BudgetLimits{NewVotersPerHour: 3, VotesPerDay: 2}
	configure := func(c *Config) {
		c.Budgets = c.Store.Budgets(limits)
		c.TrustedProxies = loopback()
		c.Now = clock.Now
	}
	first := newConfiguredApp(t, "", true, configure, withClock(clock.Now), withMinWatch(time.Second))
	store, err := models.Open(context.Background(), models.Options{DSN: testdb.DSN(t, first.dir), Logger: slog.New(slog.DiscardHandler), Now: clock.Now, MinWatch: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	cfg := Config{Store: store, Blobs: first.blobs, SessionKeys: first.keys, Logger: slog.New(slog.DiscardHandler)}
	configure(&cfg)
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	second := *first
	second.ts, second.store = ts, store

	const addr = "203.0.113.7"
	fresh := func(app *testApp) response { // a client without a cookie
		return (&voter{t: t, app: app, client: &http.Client{}}).get("/", "X-Forwarded-For", addr)
	}
	for i, app := range []*testApp{first, &second, first} {
		if r := fresh(app); r.status != http.StatusOK {
			t.Fatalf("new voter %d: %d", i+1, r.status)
		}
	}
	for name, app := range map[string]*testApp{"first": first, "second": &second} {
		if r := fresh(app); r.status != http.StatusTooManyRequests {
			t.Errorf("a fourth new voter from the address on the %s instance: %d, want 429", name, r.status)
		}
	}

	// Valid votes: one voter (from the loopback address), routed to either
	// instance in turn; the third vote of the day is stored, not counted.
	v := first.newVoter()
	onSecond := &voter{t: t, app: &second, client: v.client}
	for i, c := range []*voter{v, onSecond, v} {
		m := c.matchup()
		clock.Advance(2 * time.Second)
		if r := c.vote(m.ID, "a"); r.status != http.StatusOK {
			t.Fatalf("vote %d: %d %s", i+1, r.status, r.body)
		}
	}
	rows, err := store.RecentVotes(context.Background(), "", 10)
	if err != nil {
		t.Fatal(err)
	}
	reasons := map[string]int{}
	for _, row := range rows {
		reasons[row.InvalidReason]++
	}
	if reasons[""] != 2 || reasons[models.ReasonAddressBudget] != 1 {
		t.Errorf("stored reasons %v, want 2 valid and 1 address_budget", reasons)
	}
}
