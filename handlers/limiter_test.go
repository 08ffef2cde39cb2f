package handlers

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"
)

// TestRateLimit_HoldsAcrossInstances runs two servers on one PostgreSQL
// database, as two instances behind a load balancer: a voter who spends
// the limit on one is refused by the other.
func TestRateLimit_HoldsAcrossInstances(t *testing.T) {
	clock := &testClock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
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

// TestLoginThrottle_SameRuleInMemoryAndShared checks both FailureLogs
// against one rule: failures per address and per name, within the window.
func TestLoginThrottle_SameRuleInMemoryAndShared(t *testing.T) {
	logs := map[string]func(t *testing.T) FailureLog{
		"memory": func(*testing.T) FailureLog { return newLoginThrottle(2, time.Minute) },
		"shared": func(t *testing.T) FailureLog {
			app := newTestApp(t, "", false)
			shared := app.store.SharedLimits()
			if shared == nil {
				t.Skip("shared on PostgreSQL only")
			}
			return sharedThrottle{db: shared, limit: 2, window: time.Minute}
		},
	}
	for name, open := range logs {
		t.Run(name, func(t *testing.T) {
			th := open(t)
			ctx := context.Background()
			now := time.Unix(1e9, 0).UTC()
			wait := func(at time.Time, keys ...string) time.Duration {
				w, err := th.RetryAfter(ctx, at, keys...)
				if err != nil {
					t.Fatal(err)
				}
				return w
			}
			must := func(err error) {
				if err != nil {
					t.Fatal(err)
				}
			}
			must(th.Fail(ctx, now, "ip:1", "user:a"))
			must(th.Fail(ctx, now, "ip:2", "user:a"))
			if wait(now, "ip:3", "user:a") == 0 {
				t.Error("a name failing from two addresses is not throttled")
			}
			if wait(now, "ip:1", "user:b") != 0 {
				t.Error("one failure from an address throttles it")
			}
			must(th.Fail(ctx, now.Add(30*time.Second), "ip:1", "user:c"))
			if w := wait(now.Add(30*time.Second), "ip:1"); w != 30*time.Second {
				t.Errorf("wait = %v, want 30s until the first failure expires", w)
			}
			if wait(now.Add(time.Minute+time.Second), "user:a") != 0 {
				t.Error("failures outside the window still count")
			}
			must(th.Reset(ctx, "ip:1"))
			if wait(now.Add(30*time.Second), "ip:1") != 0 {
				t.Error("reset did not clear the address")
			}
		})
	}
}
