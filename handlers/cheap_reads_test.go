package handlers

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/arena-video/arena/models/testclock"
)

// TestVotesJSONL_ServedFromARegeneratedFile runs on both databases: the
// export has an ETag and answers 304 to it, keeps the file while nothing
// changed, shows a new vote once the file is due again, and is rate-limited
// per address.
func TestVotesJSONL_ServedFromARegeneratedFile(t *testing.T) {
	clock := testclock.New(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	a := newConfiguredApp(t, "", true, func(c *Config) {
		c.Now = clock.Now
		c.RateLimit = RateLimit{Events: 1, Per: time.Minute} // 10 a minute per address
	}, withClock(clock.Now))
	v := a.newVoter()
	m := v.matchup()
	if r := v.vote(m.ID, "a"); r.status != http.StatusOK {
		t.Fatal(r.status)
	}
	first := v.get("/api/v1/votes.jsonl")
	etag := first.header.Get("ETag")
	if first.status != http.StatusOK || etag == "" || bytes.Count(first.body, []byte("\n")) != 1 {
		t.Fatalf("export = %d ETag %q, %q", first.status, etag, first.body)
	}
	if r := v.get("/api/v1/votes.jsonl", "If-None-Match", etag); r.status != http.StatusNotModified {
		t.Errorf("conditional GET = %d, want 304", r.status)
	}
	clock.Advance(time.Second)
	w := a.newVoter() // v has spent its one vote a minute
	m = w.matchup()
	if r := w.vote(m.ID, "b"); r.status != http.StatusOK {
		t.Fatalf("second vote = %d %s", r.status, r.body)
	}
	if r := v.get("/api/v1/votes.jsonl"); r.header.Get("ETag") != etag {
		t.Errorf("the file was written again within %v", exportFresh)
	}
	clock.Advance(exportFresh)
	r := v.get("/api/v1/votes.jsonl")
	if r.header.Get("ETag") == etag || bytes.Count(r.body, []byte("\n")) != 2 {
		t.Errorf("after %v: %d ETag %q, %q; want a new file with both votes", exportFresh, r.status, r.header.Get("ETag"), r.body)
	}
	limited := false
	for range 12 {
		if r := v.get("/api/v1/votes.jsonl"); r.status == http.StatusTooManyRequests {
			limited = true
			break
		}
	}
	if !limited {
		t.Error("no 429 after 12 downloads a minute with a limit of 10")
	}
}

// TestMe_CountsFirstAndFitsOncePerVoteCount: a voter under the threshold
// gets the progress page without a fit; at the threshold the fit is cached
// until the count changes (the cache entry is what the page shows).
func TestMe_CountsFirstAndFitsOncePerVoteCount(t *testing.T) {
	a := newConfiguredApp(t, "", true, func(c *Config) { c.MeMinVotes = 3 })
	v := a.newVoter()
	voter := func() string {
		for _, ck := range v.client.Jar.Cookies(mustURL(t, a.ts.URL)) {
			if id, ok := a.srv.voterCookies.Get(ck.Value); ok {
				return id
			}
		}
		return ""
	}
	for i := range 3 {
		m := v.matchup()
		v.vote(m.ID, "a")
		r := v.get("/me")
		if r.status != http.StatusOK {
			t.Fatalf("/me = %d", r.status)
		}
		_, cached := a.srv.me.get(voter(), int64(i+1))
		if cached != (i == 2) {
			t.Errorf("after %d votes: cached %v, want a fit only at the threshold", i+1, cached)
		}
	}
	if _, ok := a.srv.me.get(voter(), 4); ok {
		t.Error("a cache entry for a vote count never seen")
	}
	if r := v.get("/me"); !strings.Contains(string(r.body), "3") {
		t.Errorf("/me from the cache: %s", r.body)
	}
}
