package handlers

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/arena-video/arena/models"
	"github.com/arena-video/arena/models/history"
	"github.com/arena-video/arena/models/testclock"
)

// historyStart is the first day of the made-up votes of the history tests.
var historyStart = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)

// importRisingModel imports 30 days of votes among five models in which
// "rising" is the weakest for 15 days and the strongest afterwards: its
// later votes win more. It returns the number of votes cast before each
// day's end (index d: votes before historyStart + d+1 days).
func importRisingModel(t *testing.T, s *models.Store) []int64 {
	t.Helper()
	strength := map[string]float64{"rising": -300, "steady-a": 150, "steady-b": 50, "steady-c": -50, "steady-d": -150}
	names := []string{"rising", "steady-a", "steady-b", "steady-c", "steady-d"}
	rng := rand.New(rand.NewPCG(14, 30))
	const perDay = 120
	var lines []string
	before := make([]int64, 30)
	for d := range 30 {
		for k := range perDay {
			i, j := rng.IntN(5), rng.IntN(4)
			if j >= i {
				j++
			}
			a, b := names[i], names[j]
			sa, sb := strength[a], strength[b]
			if d >= 15 {
				if a == "rising" {
					sa = 400
				}
				if b == "rising" {
					sb = 400
				}
			}
			winner := "model_b"
			if rng.Float64() < 1/(1+math.Pow(10, (sb-sa)/400)) {
				winner = "model_a"
			}
			at := historyStart.Add(time.Duration(d)*24*time.Hour + time.Duration(k)*(24*time.Hour/perDay))
			lines = append(lines, fmt.Sprintf(`{"model_a":%q,"model_b":%q,"winner":%q,"tstamp":%d}`, a, b, winner, at.Unix()))
		}
		before[d] = int64((d + 1) * perDay)
	}
	p := filepath.Join(t.TempDir(), "votes.jsonl")
	if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportVotes(context.Background(), p, models.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	return before
}

// newHistoryApp serves 30 days of rising-model votes with their daily
// history rebuilt, on a clock two weeks after the last vote.
func newHistoryApp(t *testing.T) (*testApp, []int64) {
	t.Helper()
	clock := testclock.New(historyStart.Add(45 * 24 * time.Hour))
	a := newConfiguredApp(t, "", false, func(c *Config) { c.Now = clock.Now }, withClock(clock.Now))
	before := importRisingModel(t, a.store)
	st, err := a.srv.boards.RebuildHistory(context.Background(), history.Daily)
	if err != nil {
		t.Fatal(err)
	}
	if st.Stored != 30 || st.Votes != before[29] {
		t.Fatalf("rebuild stored %d boards from %d votes, want 30 from %d", st.Stored, st.Votes, before[29])
	}
	a.recompute()
	return a, before
}

func TestHistory_ModelThatGetsBetterHalfway(t *testing.T) {
	a, before := newHistoryApp(t)
	v := a.newVoter()

	// Its history rises: later scores above earlier ones, and a better rank.
	r := v.get("/api/v1/models/rising")
	if r.status != http.StatusOK {
		t.Fatalf("model API = %d %s", r.status, r.body)
	}
	var rep modelReportJSON
	r.json(t, &rep)
	if len(rep.Pools) != 1 || rep.Pools[0].Pool != models.PoolT2V {
		t.Fatalf("pools %+v, want t2v alone", rep.Pools)
	}
	h := rep.Pools[0].History
	if len(h) != 30 {
		// The live recompute finds the newest rebuilt board up to date and
		// stores nothing more.
		t.Fatalf("%d history points, want the 30 daily boards", len(h))
	}
	day := func(d int) int { return d - 1 } // the board closing day d of the votes
	if h[day(10)].Score >= h[day(30)].Score-100 || h[day(10)].Rank <= h[day(30)].Rank {
		t.Errorf("day 10: score %.0f rank %d; day 30: score %.0f rank %d: want a clear rise",
			h[day(10)].Score, h[day(10)].Rank, h[day(30)].Score, h[day(30)].Rank)
	}
	for i, p := range h {
		if p.CILower > p.Score || p.CIUpper < p.Score || p.SnapshotID == 0 || (i > 0 && !p.At.After(h[i-1].At)) {
			t.Fatalf("history point %d is malformed: %+v", i, p)
		}
	}

	// The feed says it climbed, and is the same document when fetched again.
	feed := v.get("/leaderboard.atom?pool=t2v")
	if feed.status != http.StatusOK || !strings.HasPrefix(feed.header.Get("Content-Type"), "application/atom+xml") {
		t.Fatalf("feed = %d %s", feed.status, feed.header.Get("Content-Type"))
	}
	f := parseAtom(t, feed.body)
	climbed := false
	for _, e := range f.Entries {
		climbed = climbed || strings.HasPrefix(e.Title, "rising climbed to No. ")
	}
	if !climbed {
		t.Errorf("no \"rising climbed to No. N\" entry among %d", len(f.Entries))
	}
	if again := v.get("/leaderboard.atom?pool=t2v"); !bytes.Equal(again.body, feed.body) {
		t.Error("the feed changed between two fetches")
	}
	// A second rebuild finds every step stored and adds no entry.
	if st, err := a.srv.boards.RebuildHistory(context.Background(), history.Daily); err != nil || st.Stored != 0 {
		t.Fatalf("second rebuild: stored %d, err %v", st.Stored, err)
	}
	if again := v.get("/leaderboard.atom?pool=t2v"); !bytes.Equal(again.body, feed.body) {
		t.Error("a second rebuild changed the feed")
	}

	// as_of day 10 gives the board of the first ten days, byte for byte
	// the same on a second call and at the board's own address.
	asOf := historyStart.Add(10 * 24 * time.Hour).Format(time.RFC3339)
	first := v.get("/api/v1/leaderboard?pool=t2v&as_of=" + asOf)
	if first.status != http.StatusOK {
		t.Fatalf("as_of = %d %s", first.status, first.body)
	}
	var board PublicLeaderboard
	first.json(t, &board)
	if board.Votes != before[day(10)] || board.ComputedAt.Format(time.RFC3339) != asOf || board.VotesThrough == nil ||
		!board.VotesThrough.Before(historyStart.Add(10*24*time.Hour)) || board.SnapshotID == 0 || len(board.SHA256) != 64 || board.Method == "" {
		t.Fatalf("as_of day 10 gave %d votes at %v through %v (snapshot %d, sha %q, method %q); want %d votes at %s",
			board.Votes, board.ComputedAt, board.VotesThrough, board.SnapshotID, board.SHA256, board.Method, before[day(10)], asOf)
	}
	if second := v.get("/api/v1/leaderboard?pool=t2v&as_of=" + asOf); !bytes.Equal(second.body, first.body) {
		t.Errorf("the same as_of gave other bytes:\n%s\n%s", first.body, second.body)
	}
	var stored PublicLeaderboard
	v.get(fmt.Sprintf("/api/v1/leaderboard/t2v/%d", board.SnapshotID)).json(t, &stored)
	if stored.SHA256 != board.SHA256 || len(stored.Models) != len(board.Models) {
		t.Errorf("the board's own address gives sha %s and %d rows, as_of %s and %d", stored.SHA256, len(stored.Models), board.SHA256, len(board.Models))
	}
	page := v.get(fmt.Sprintf("/leaderboard/t2v/%d", board.SnapshotID))
	if page.status != http.StatusOK || !bytes.Contains(page.body, []byte(board.SHA256)) || !bytes.Contains(page.body, []byte("Cite this board")) {
		t.Errorf("stored board page = %d, without its hash or cite line", page.status)
	}
	if r := v.get("/leaderboard?pool=t2v&as_of=" + asOf); r.status != http.StatusOK || !bytes.Contains(r.body, []byte(board.SHA256)) {
		t.Errorf("the page as_of day 10 = %d, not the stored board", r.status)
	}
}

// atomDoc is what the tests read of an Atom feed.
type atomDoc struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string   `xml:"id"`
	Updated string   `xml:"updated"`
	Links   []struct {
		Rel  string `xml:"rel,attr"`
		Href string `xml:"href,attr"`
	} `xml:"link"`
	Entries []struct {
		Title   string `xml:"title"`
		ID      string `xml:"id"`
		Updated string `xml:"updated"`
		Links   []struct {
			Rel  string `xml:"rel,attr"`
			Href string `xml:"href,attr"`
		} `xml:"link"`
	} `xml:"entry"`
}

// parseAtom parses a feed and checks what RFC 4287 requires of it: an id,
// an updated time, a self link; each entry an id (unique), a title, an
// updated time and a link.
func parseAtom(t *testing.T, body []byte) atomDoc {
	t.Helper()
	var f atomDoc
	if err := xml.Unmarshal(body, &f); err != nil {
		t.Fatalf("the feed is not Atom XML: %v\n%s", err, body)
	}
	if !strings.HasPrefix(f.ID, "urn:uuid:") {
		t.Errorf("feed id %q", f.ID)
	}
	if _, err := time.Parse(time.RFC3339, f.Updated); err != nil {
		t.Errorf("feed updated %q: %v", f.Updated, err)
	}
	self := false
	for _, l := range f.Links {
		self = self || (l.Rel == "self" && strings.Contains(l.Href, "/leaderboard.atom"))
	}
	if !self {
		t.Error("the feed has no self link")
	}
	seen := make(map[string]bool)
	for _, e := range f.Entries {
		if !strings.HasPrefix(e.ID, "urn:uuid:") || seen[e.ID] {
			t.Errorf("entry id %q is not a fresh urn:uuid", e.ID)
		}
		seen[e.ID] = true
		if _, err := time.Parse(time.RFC3339, e.Updated); err != nil || e.Title == "" {
			t.Errorf("entry %q: updated %q (%v)", e.Title, e.Updated, err)
		}
		alt := false
		for _, l := range e.Links {
			alt = alt || (l.Rel == "alternate" && strings.Contains(l.Href, "/models/"))
		}
		if !alt {
			t.Errorf("entry %q does not link to its model's page", e.Title)
		}
	}
	return f
}

func TestHistory_BadInputIsAClearError(t *testing.T) {
	a, _ := newHistoryApp(t)
	v := a.newVoter()
	for _, tc := range []struct {
		path string
		want int
		says string
	}{
		{"/api/v1/leaderboard?pool=t2v&as_of=2027-01-01T00:00:00Z", http.StatusBadRequest, "future"},
		{"/api/v1/leaderboard?pool=t2v&as_of=2026-05-01T00:00:00Z", http.StatusNotFound, "first board"},
		{"/api/v1/leaderboard?pool=t2v&as_of=last%20week", http.StatusBadRequest, "RFC 3339"},
		{"/api/v1/leaderboard?pool=t2v&as_of=2026-06-10", http.StatusBadRequest, "RFC 3339"},
		{"/api/v1/leaderboard/t2v/999999", http.StatusNotFound, "no snapshot"},
		{"/api/v1/leaderboard/t2v/-3", http.StatusNotFound, "whole numbers"},
		{"/api/v1/leaderboard/nope/1", http.StatusNotFound, "no pool"},
		{"/api/v1/leaderboard/i2v/1", http.StatusNotFound, "pool t2v"},
		{"/api/v1/models/no-such-model", http.StatusNotFound, "no model"},
		{"/api/v1/models/Odd%20Slug%3C%3E", http.StatusNotFound, "slug"},
		{"/api/v1/events?pool=sideways", http.StatusBadRequest, "unknown pool"},
		{"/leaderboard.atom?pool=sideways", http.StatusBadRequest, "unknown pool"},
	} {
		r := v.get(tc.path)
		if r.status != tc.want {
			t.Errorf("GET %s = %d %s, want %d", tc.path, r.status, r.body, tc.want)
			continue
		}
		if msg := r.body; !bytes.Contains(msg, []byte(tc.says)) {
			t.Errorf("GET %s says %s, want it to mention %q", tc.path, msg, tc.says)
		}
	}
	for _, p := range []string{"/models/no-such-model", "/models/%E2%80%AEbad", "/leaderboard/t2v/0", "/leaderboard/t2v/abc", "/families/Nobody"} {
		if r := v.get(p); r.status != http.StatusNotFound || !bytes.Contains(r.body, []byte("<html")) {
			t.Errorf("GET %s = %d, want a 404 page", p, r.status)
		}
	}
}
