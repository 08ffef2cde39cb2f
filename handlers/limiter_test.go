package handlers

import (
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/arena-video/arena/models/testclock"
)

// TestRateLimit_HoldsAcrossInstances runs two servers on one PostgreSQL
// database, as two instances behind a load balancer: a voter who spends
// the limit on one is refused by the other.
func TestRateLimit_HoldsAcrossInstances(t *testing.T) {
	clock := testclock.New(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	limit := RateLimit{Events: 3, Per: time.Minute}
	app := newConfiguredApp(t, "", true, func(c *Config) {
		if c.SharedLimits = c.Store.SharedLimits(); c.SharedLimits == nil {
			t.Skip("limits are shared through PostgreSQL; SQLite runs one instance")
		}
		c.RateLimit, c.Now = limit, clock.Now
	})
	other, err := New(Config{Store: app.store, Blobs: app.blobs, SessionKeys: app.keys, Logger: slog.New(slog.DiscardHandler),
		RateLimit: limit, Now: clock.Now, SharedLimits: app.store.SharedLimits()})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(other)
	defer ts.Close()
	second := *app
	second.ts = ts

	v := app.newVoter()
	// The same browser, routed to the other instance.
	onOther := &voter{t: t, app: &second, client: v.client}
	v.matchup() // makes the voter: their own bucket starts with the next
	v.matchup()
	onOther.matchup()
	v.matchup()
	assertRefused(t, onOther.postJSON("/api/v1/matchups", ""))
	assertRefused(t, v.postJSON("/api/v1/matchups", ""))
	clock.Advance(limit.Per / 3) // one token back, for the deployment
	onOther.matchup()
	assertRefused(t, v.postJSON("/api/v1/matchups", ""))
}
