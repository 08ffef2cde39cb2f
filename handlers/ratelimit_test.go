package handlers

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"reflect"
	"strconv"
	"testing"
	"time"

	"github.com/arena-video/arena/models/testclock"
)

// limitedApp is a seeded app with a rate limit of n per minute on a clock
// the test moves.
func limitedApp(t *testing.T, n int, proxies ...string) (*testApp, *testclock.Clock) {
	t.Helper()
	clock := testclock.New(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	app := newConfiguredApp(t, "", true, func(c *Config) {
		c.RateLimit = RateLimit{Events: n, Per: time.Minute}
		c.Now = clock.Now
		for _, p := range proxies {
			_, ipn, err := net.ParseCIDR(p)
			if err != nil {
				t.Fatal(err)
			}
			c.TrustedProxies = append(c.TrustedProxies, ipn)
		}
	})
	return app, clock
}

func (a *testApp) rowCounts() map[string]int64 {
	a.t.Helper()
	c, err := a.store.RowCounts(context.Background())
	if err != nil {
		a.t.Fatal(err)
	}
	return c
}

// assertRefused checks a 429 with a usable Retry-After and a message.
func assertRefused(t *testing.T, r response) {
	t.Helper()
	if r.status != http.StatusTooManyRequests {
		t.Fatalf("status %d, want 429 (%s)", r.status, r.body)
	}
	if s, err := strconv.Atoi(r.header.Get("Retry-After")); err != nil || s < 1 || s > 60 {
		t.Fatalf("Retry-After %q, want whole seconds until a token is back", r.header.Get("Retry-After"))
	}
}

func TestRateLimit_MatchupsPerVoter(t *testing.T) {
	app, clock := limitedApp(t, 3)
	v := app.newVoter()
	// The first request has no voter cookie yet, so only the address
	// bucket counts it; three more empty the voter's bucket.
	for range 4 {
		v.matchup()
	}
	before := app.rowCounts()
	r := v.postJSON("/api/v1/matchups", "")
	assertRefused(t, r)
	if msg := r.errorMessage(t); msg == "" {
		t.Fatal("no message")
	}
	if after := app.rowCounts(); !reflect.DeepEqual(before, after) {
		t.Fatalf("a refused request stored something: %v -> %v", before, after)
	}
	// The HTML arena issues matchups too and shares the bucket.
	assertRefused(t, v.get("/"))
	clock.Advance(20 * time.Second) // one token back
	v.matchup()
	assertRefused(t, v.postJSON("/api/v1/matchups", ""))
}

func TestRateLimit_VotesPerVoterStoreNothing(t *testing.T) {
	app, clock := limitedApp(t, 3)
	v := app.newVoter()
	var ids []string
	for range 4 {
		ids = append(ids, v.matchup().ID)
	}
	ids = ids[1:]
	clock.Advance(time.Minute)
	extra := v.matchup().ID
	for _, id := range ids {
		if r := v.vote(id, "tie"); r.status != http.StatusOK {
			t.Fatalf("vote %d %s", r.status, r.body)
		}
	}
	before := app.rowCounts()
	assertRefused(t, v.vote(extra, "a"))
	if after := app.rowCounts(); !reflect.DeepEqual(before, after) {
		t.Fatalf("refused vote stored something: %v -> %v", before, after)
	}
	clock.Advance(20 * time.Second)
	if r := v.vote(extra, "b"); r.status != http.StatusOK {
		t.Fatalf("vote after the wait = %d %s: the refused vote must not have been stored", r.status, r.body)
	}
}

// Leaderboard pages are limited per address only when they must be
// rendered: the same page again comes from the cache and is never refused.
func TestRateLimit_LeaderboardRendersPerAddress(t *testing.T) {
	app, _ := limitedApp(t, 2)
	v := app.newVoter()
	for i := range 3 * ipLimitFactor {
		if r := v.get("/leaderboard"); r.status != http.StatusOK {
			t.Fatalf("cached page, request %d = %d", i, r.status)
		}
	}
	for i := 1; i < 2*ipLimitFactor; i++ { // the first render was the page above
		if r := v.get("/leaderboard?min_votes=" + strconv.Itoa(i)); r.status != http.StatusOK {
			t.Fatalf("render %d = %d", i, r.status)
		}
	}
	assertRefused(t, v.get("/leaderboard?min_votes=999"))
	if r := v.get("/leaderboard?min_votes=3"); r.status != http.StatusOK {
		t.Fatalf("a page rendered before = %d after the limit, want 200 from the cache", r.status)
	}
}

func TestRateLimit_PerAddressCatchesFreshCookies(t *testing.T) {
	app, _ := limitedApp(t, 2)
	// A script that drops its cookie is a new voter every time; the address
	// bucket (ten times the voter limit) still stops it. X-Forwarded-For
	// from an untrusted peer changes nothing.
	for i := range 2 * ipLimitFactor {
		fresh := app.newVoter()
		if r := fresh.postJSON("/api/v1/matchups", "", "X-Forwarded-For", fmt.Sprintf("198.51.100.%d", i)); r.status != http.StatusCreated {
			t.Fatalf("request %d = %d", i, r.status)
		}
	}
	assertRefused(t, app.newVoter().postJSON("/api/v1/matchups", "", "X-Forwarded-For", "203.0.113.9"))
}

func TestRateLimit_TrustedProxyNamesTheClient(t *testing.T) {
	app, _ := limitedApp(t, 1, "127.0.0.0/8")
	// Behind a trusted proxy each client address has its own bucket...
	for i := range 3 * ipLimitFactor {
		r := app.newVoter().postJSON("/api/v1/matchups", "", "X-Forwarded-For", fmt.Sprintf("198.51.100.%d", i))
		if r.status != http.StatusCreated {
			t.Fatalf("client %d = %d: trusted X-Forwarded-For ignored", i, r.status)
		}
	}
	// ...and one client is limited by its own address, even when it
	// prepends a forged one: only the proxy's entry is believed.
	for i := range ipLimitFactor {
		if r := app.newVoter().postJSON("/api/v1/matchups", "", "X-Forwarded-For", fmt.Sprintf("10.0.0.%d, 203.0.113.7", i)); r.status != http.StatusCreated {
			t.Fatalf("request %d = %d", i, r.status)
		}
	}
	assertRefused(t, app.newVoter().postJSON("/api/v1/matchups", "", "X-Forwarded-For", "10.9.9.9, 203.0.113.7"))
}

func TestRateLimit_OffLetsEverythingThrough(t *testing.T) {
	app := newTestApp(t, "", true)
	v := app.newVoter()
	for range 50 {
		v.matchup()
	}
}

func TestLimiter_ForgetsIdleBucketsAndStaysBounded(t *testing.T) {
	clock := testclock.New(time.Unix(0, 0))
	l := newLimiter(RateLimit{Events: 10, Per: time.Second}, 1, clock.Now)
	for i := range 1000 {
		l.take(strconv.Itoa(i))
	}
	if l.size() != 1000 {
		t.Fatalf("size %d", l.size())
	}
	clock.Advance(2 * time.Second) // every bucket is full again
	l.take("x")
	if l.size() != 1 {
		t.Fatalf("%d buckets after they all went idle, want 1", l.size())
	}
	for i := range maxBuckets + 500 {
		l.take("k" + strconv.Itoa(i))
	}
	if l.size() > maxBuckets {
		t.Fatalf("%d buckets, want at most %d", l.size(), maxBuckets)
	}
}

func TestRateLimit_IPv6ClientsShareTheirSlash64(t *testing.T) {
	app, _ := limitedApp(t, 1, "127.0.0.0/8")
	for i := range ipLimitFactor {
		r := app.newVoter().postJSON("/api/v1/matchups", "", "X-Forwarded-For", fmt.Sprintf("2001:db8:1:2::%x", i+1))
		if r.status != http.StatusCreated {
			t.Fatalf("request %d = %d", i, r.status)
		}
	}
	// A new address in the same /64 is the same subscriber...
	assertRefused(t, app.newVoter().postJSON("/api/v1/matchups", "", "X-Forwarded-For", "2001:db8:1:2:ffff:1:2:3"))
	// ...while the next /64 is someone else.
	if r := app.newVoter().postJSON("/api/v1/matchups", "", "X-Forwarded-For", "2001:db8:1:3::1"); r.status != http.StatusCreated {
		t.Fatalf("another /64 = %d", r.status)
	}
}

func TestAddressKey(t *testing.T) {
	for in, want := range map[string]string{
		"192.0.2.7":            "192.0.2.7",
		"2001:db8:1:2:3:4:5:6": "2001:db8:1:2::/64",
		"::ffff:192.0.2.7":     "::ffff:192.0.2.7",
		"not an address":       "not an address",
	} {
		if got := addressKey(in); got != want {
			t.Errorf("addressKey(%q) = %q, want %q", in, got, want)
		}
	}
}
