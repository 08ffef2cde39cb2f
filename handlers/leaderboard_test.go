package handlers

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/arena-video/arena/models"
)

// castVotes has the voter vote n times, cycling through the choices.
func (v *voter) castVotes(n int) {
	v.t.Helper()
	choices := []string{"a", "b", "a", "tie", "both_bad"}
	for i := 0; i < n; i++ {
		m := v.matchup()
		if r := v.vote(m.ID, choices[i%len(choices)]); r.status != http.StatusOK {
			v.t.Fatalf("vote = %d %s", r.status, r.body)
		}
	}
}

// recompute refreshes the stored leaderboards as the background job would.
func (a *testApp) recompute() {
	a.t.Helper()
	if _, err := a.srv.boards.Recompute(context.Background(), false); err != nil {
		a.t.Fatal(err)
	}
}

func TestLeaderboardAPI_BadFiltersAre400(t *testing.T) {
	a := newTestApp(t, "", true)
	v := a.newVoter()
	for _, q := range []string{
		"pool=radio", "pool=%00", "min_votes=-1", "min_votes=ten", "min_votes=99999999999999",
		"category=no-such-category", "category=" + strings.Repeat("x", 65), "retired=maybe",
	} {
		for _, path := range []string{"/api/v1/leaderboard?", "/api/v1/leaderboard.csv?"} {
			r := v.get(path + q)
			if r.status != http.StatusBadRequest {
				t.Errorf("GET %s%s = %d, want 400", path, q, r.status)
				continue
			}
			r.errorMessage(t)
		}
		if r := v.get("/leaderboard?" + q); r.status != http.StatusBadRequest {
			t.Errorf("GET /leaderboard?%s = %d, want 400", q, r.status)
		}
	}
	if r := v.get("/leaderboard?sort=price"); r.status != http.StatusBadRequest {
		t.Errorf("unknown sort column = %d, want 400", r.status)
	}
}

func TestLeaderboardAPI_EmptyBeforeTheFirstRecompute(t *testing.T) {
	a := newTestApp(t, "", true)
	v := a.newVoter()
	r := v.get("/api/v1/leaderboard")
	if r.status != http.StatusOK || string(r.body) != `{"pool":"t2v","computed_at":null,"votes":0,"models":[]}`+"\n" {
		t.Fatalf("GET /api/v1/leaderboard = %d %s", r.status, r.body)
	}
	if r := v.get("/leaderboard"); r.status != http.StatusOK || !bytes.Contains(r.body, []byte("not computed yet")) {
		t.Fatalf("GET /leaderboard = %d, want 200 saying it is not computed yet", r.status)
	}
}

type apiBoard struct {
	Pool       string  `json:"pool"`
	ComputedAt *string `json:"computed_at"`
	Votes      int64   `json:"votes"`
	Models     []struct {
		Rank       int    `json:"rank"`
		RankSpread [2]int `json:"rank_spread"`
		Model      struct {
			Slug, Name, Organization string
		} `json:"model"`
		Score   float64 `json:"score"`
		CILower float64 `json:"ci_lower"`
		CIUpper float64 `json:"ci_upper"`
		Votes   int64   `json:"votes"`
		WinRate float64 `json:"win_rate"`
	} `json:"models"`
}

func TestLeaderboard_APICSVAndPageAgree(t *testing.T) {
	a := newTestApp(t, "", true)
	for i := 0; i < 3; i++ {
		a.newVoter().castVotes(15)
	}
	a.recompute()
	v := a.newVoter()
	r := v.get("/api/v1/leaderboard?pool=t2v")
	if r.status != http.StatusOK {
		t.Fatalf("GET /api/v1/leaderboard = %d %s", r.status, r.body)
	}
	var board apiBoard
	r.json(t, &board)
	if board.Votes == 0 || len(board.Models) < 2 || board.ComputedAt == nil {
		t.Fatalf("board after votes: %s", r.body)
	}
	var sum int64
	for i, m := range board.Models {
		sum += m.Votes
		if m.CILower > m.Score || m.CIUpper < m.Score || m.Rank < 1 || m.RankSpread[0] != m.Rank || m.RankSpread[1] < m.Rank {
			t.Errorf("row %d is inconsistent: %+v", i, m)
		}
		if i > 0 && m.Rank < board.Models[i-1].Rank {
			t.Errorf("rows not in rank order at %d", i)
		}
	}
	if sum != 2*board.Votes {
		t.Errorf("model votes add up to %d, want twice the %d votes", sum, board.Votes)
	}

	c := v.get("/api/v1/leaderboard.csv?pool=t2v")
	if c.status != http.StatusOK || !strings.HasPrefix(c.header.Get("Content-Type"), "text/csv") {
		t.Fatalf("GET csv = %d %s", c.status, c.header.Get("Content-Type"))
	}
	recs, err := csv.NewReader(bytes.NewReader(c.body)).ReadAll()
	if err != nil || len(recs) != len(board.Models)+1 || strings.Join(recs[0], ",") != strings.Join(csvHeader, ",") {
		t.Fatalf("csv %q (%v)", c.body, err)
	}
	for i, m := range board.Models {
		rec := recs[i+1]
		if rec[0] != strconv.Itoa(m.Rank) || rec[3] != m.Model.Slug || rec[9] != strconv.FormatFloat(m.Score, 'f', -1, 64) || rec[12] != strconv.FormatInt(m.Votes, 10) {
			t.Errorf("csv row %v disagrees with JSON %+v", rec, m)
		}
	}

	p := v.get("/leaderboard?pool=t2v&min_votes=0")
	if p.status != http.StatusOK {
		t.Fatalf("GET /leaderboard = %d", p.status)
	}
	for _, m := range board.Models {
		if !bytes.Contains(p.body, []byte(m.Model.Name)) {
			t.Errorf("page lacks %s", m.Model.Name)
		}
	}
	for _, want := range []string{"<svg", "95% interval", "Who beats whom", "class=\"tabs\"", strconv.FormatInt(board.Votes, 10) + " valid votes"} {
		if !bytes.Contains(p.body, []byte(want)) {
			t.Errorf("page lacks %q", want)
		}
	}
	if bytes.Contains(p.body, []byte("style=")) || bytes.Contains(p.body, []byte("<script>")) {
		t.Error("page has inline style or script, which the CSP forbids")
	}
	// Every model under a high minimum is listed apart as provisional.
	hi := v.get("/leaderboard?pool=t2v&min_votes=100000")
	if !bytes.Contains(hi.body, []byte("Provisional")) || bytes.Contains(hi.body, []byte("Who beats whom")) {
		t.Error("with min_votes above every model, the page should list them all as provisional")
	}
	var none apiBoard
	v.get("/api/v1/leaderboard?min_votes=100000").json(t, &none)
	if len(none.Models) != 0 || none.Votes != board.Votes {
		t.Errorf("API with a high min_votes: %d models, %d votes", len(none.Models), none.Votes)
	}
	// Sorting by votes, server side.
	sorted := v.get("/leaderboard?pool=t2v&min_votes=0&sort=-votes")
	if sorted.status != http.StatusOK {
		t.Fatalf("sorted page = %d", sorted.status)
	}
}

func TestLeaderboard_CategoryFilterUsesThatCategorysVotes(t *testing.T) {
	a := newTestApp(t, "", true)
	a.newVoter().castVotes(30)
	a.recompute()
	v := a.newVoter()
	var all apiBoard
	v.get("/api/v1/leaderboard").json(t, &all)
	var total int64
	cats, err := a.srv.boards.Categories(context.Background(), models.PoolT2V)
	if err != nil || len(cats) < 2 {
		t.Fatalf("categories %v (%v)", cats, err)
	}
	for _, cat := range cats {
		r := v.get("/api/v1/leaderboard?category=" + url.QueryEscape(cat))
		if r.status != http.StatusOK {
			t.Fatalf("category %s = %d %s", cat, r.status, r.body)
		}
		var b apiBoard
		r.json(t, &b)
		total += b.Votes
	}
	if total != all.Votes || all.Votes == 0 {
		t.Fatalf("category leaderboards hold %d votes, the pool %d", total, all.Votes)
	}
}

func TestVotesJSONL_PublicFormatWithoutVoterIdentity(t *testing.T) {
	a := newTestApp(t, "", true)
	v := a.newVoter()
	m := v.matchup()
	v.vote(m.ID, "both_bad")
	v.castVotes(4)
	r := v.get("/api/v1/votes.jsonl")
	if r.status != http.StatusOK {
		t.Fatalf("GET votes.jsonl = %d", r.status)
	}
	sc := bufio.NewScanner(bytes.NewReader(r.body))
	n := 0
	for sc.Scan() {
		n++
		var row map[string]any
		if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
			t.Fatalf("line %d: %v", n, err)
		}
		var keys []string
		for k := range row {
			keys = append(keys, k)
		}
		if len(keys) != 8 {
			t.Errorf("line %d has fields %v, want model_a, model_b, winner, prompt_id, category, pool, tstamp, style", n, keys)
		}
		// The demo clips are measured, so every vote carries both clips'
		// style features.
		style, _ := row["style"].(map[string]any)
		for _, side := range []string{"a", "b"} {
			f, _ := style[side].(map[string]any)
			if len(f) != 5 || f["duration_s"] == nil || f["motion"] == nil || f["brightness"] == nil || f["saturation"] == nil || (f["has_audio"] != 0.0 && f["has_audio"] != 1.0) {
				t.Errorf("line %d: style of side %s is %v", n, side, f)
			}
		}
		if w := row["winner"]; n == 1 && w != "tie (bothbad)" {
			t.Errorf("first vote's winner = %v, want tie (bothbad)", w)
		}
	}
	if n != 5 {
		t.Fatalf("%d lines, want 5", n)
	}
	cookies := v.client.Jar.Cookies(mustURL(t, a.ts.URL))
	for _, secret := range append([]string{m.ID}, cookieValues(cookies)...) {
		if bytes.Contains(r.body, []byte(secret)) {
			t.Fatalf("votes.jsonl contains a matchup id or session value")
		}
	}
}

func TestVote_RevealCarriesTheCurrentRank(t *testing.T) {
	a := newTestApp(t, "", true)
	v := a.newVoter()
	v.castVotes(10)
	m := v.matchup()
	var before voteJSON
	v.vote(m.ID, "a").json(t, &before)
	if before.A.Rank != 0 {
		t.Fatalf("rank %d before any leaderboard exists", before.A.Rank)
	}
	a.recompute()
	ranked := 0
	for i := 0; i < 10; i++ {
		m = v.matchup()
		var after voteJSON
		v.vote(m.ID, "a").json(t, &after)
		var board apiBoard
		v.get("/api/v1/leaderboard?pool="+m.Pool).json(t, &board)
		want := map[string]int{}
		for _, row := range board.Models {
			want[row.Model.Slug] = row.Rank
		}
		for _, side := range []*revealJSON{after.A, after.B} {
			if side.Rank != want[side.Model.Slug] {
				t.Fatalf("reveal gives %s rank %d, the %s leaderboard %d", side.Model.Slug, side.Rank, m.Pool, want[side.Model.Slug])
			}
			if side.Rank > 0 {
				ranked++
			}
		}
	}
	if ranked == 0 {
		t.Fatal("no reveal carried a rank after the recompute")
	}
}

func TestMe_OwnRankingAfterEnoughVotes(t *testing.T) {
	a := newTestApp(t, "", true)
	a.newVoter().castVotes(20)
	a.recompute()
	v := a.newVoter()
	if r := v.get("/me"); r.status != http.StatusOK || !bytes.Contains(r.body, []byte("cast 0 of the 20")) {
		t.Fatalf("/me for a new voter = %d, want the 0 of 20 progress", r.status)
	}
	v.castVotes(19)
	if r := v.get("/me"); !bytes.Contains(r.body, []byte("cast 19 of the 20")) {
		t.Fatal("/me after 19 votes should still show progress")
	}
	v.castVotes(1)
	r := v.get("/me")
	if r.status != http.StatusOK || !bytes.Contains(r.body, []byte("Public rank")) || bytes.Contains(r.body, []byte("of the 20")) {
		t.Fatalf("/me after 20 votes = %d, want the side-by-side ranking", r.status)
	}
}

func TestMethodology_Renders(t *testing.T) {
	a := newTestApp(t, "", false)
	r := a.newVoter().get("/methodology")
	for _, want := range []string{"Bradley-Terry", "bootstrap", "Ties", "valid votes only", "rank spread", "floor"} {
		if !bytes.Contains(r.body, []byte(want)) {
			t.Errorf("methodology lacks %q", want)
		}
	}
	if r.status != http.StatusOK {
		t.Fatalf("GET /methodology = %d", r.status)
	}
}

func TestSpearman(t *testing.T) {
	for _, tc := range []struct {
		x, y []float64
		want float64
		ok   bool
	}{
		{[]float64{3, 2, 1}, []float64{30, 20, 10}, 1, true},
		{[]float64{3, 2, 1}, []float64{10, 20, 30}, -1, true},
		{[]float64{1, 2, 3, 4}, []float64{1, 3, 2, 4}, 0.8, true},
		{[]float64{1, 2}, []float64{1, 2}, 0, false},
		{[]float64{1, 1, 1}, []float64{1, 2, 3}, 0, false},
	} {
		got, ok := spearman(tc.x, tc.y)
		if ok != tc.ok || (ok && (got-tc.want > 1e-9 || tc.want-got > 1e-9)) {
			t.Errorf("spearman(%v, %v) = %v, %v; want %v, %v", tc.x, tc.y, got, ok, tc.want, tc.ok)
		}
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func cookieValues(cs []*http.Cookie) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Value)
	}
	return out
}

func TestVotesJSONL_StreamsEveryVoteAcrossPages(t *testing.T) {
	a := newTestApp(t, "", false)
	var b strings.Builder
	const n = 12345 // more than two keyset pages and flushes
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `{"model_a":"m%d","model_b":"m%d","winner":"model_b","tstamp":%d}`+"\n", i%7, (i+3)%7, 1700000000+i/100)
	}
	path := filepath.Join(t.TempDir(), "v.jsonl")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := a.store.ImportVotes(context.Background(), path, models.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	r := a.newVoter().get("/api/v1/votes.jsonl")
	if got := bytes.Count(r.body, []byte("\n")); r.status != http.StatusOK || got != n {
		t.Fatalf("GET votes.jsonl = %d with %d lines, want %d", r.status, got, n)
	}
}

func TestLeaderboard_InvalidatedVotesLeaveIt(t *testing.T) {
	a := newTestApp(t, "", true)
	a.newVoter().castVotes(12)
	spam := a.newVoter()
	spam.castVotes(8)
	a.recompute()
	var before apiBoard
	v := a.newVoter()
	v.get("/api/v1/leaderboard").json(t, &before)
	newest, err := a.store.RecentVotes(context.Background(), "", 1)
	if err != nil || len(newest) != 1 {
		t.Fatalf("recent votes: %v %v", newest, err)
	}
	n, err := a.store.InvalidateVoterVotes(context.Background(), models.Actor{Name: "test"}, newest[0].VoterID, "test")
	if err != nil || n != 8 {
		t.Fatalf("invalidated %d votes (%v), want 8", n, err)
	}
	a.recompute()
	var after apiBoard
	v.get("/api/v1/leaderboard").json(t, &after)
	if after.Votes > before.Votes {
		t.Fatalf("t2v votes went from %d up to %d after invalidating a voter", before.Votes, after.Votes)
	}
	var all int64
	for _, p := range models.Pools {
		var b apiBoard
		v.get("/api/v1/leaderboard?pool="+p).json(t, &b)
		all += b.Votes
	}
	if all != 12 {
		t.Fatalf("leaderboards count %d votes after invalidating 8 of 20, want 12", all)
	}
}

// The page cache must never serve a page older than what it shows: a new
// snapshot, a renamed or retired model, each shows on the next request.
func TestLeaderboardPage_CachedPageFollowsChanges(t *testing.T) {
	a := newTestApp(t, "", true)
	v := a.newVoter()
	v.castVotes(8)
	a.recompute()
	ctx := context.Background()
	off := false
	var first apiBoard
	v.get("/api/v1/leaderboard").json(t, &first)
	if len(first.Models) < 2 {
		t.Fatalf("t2v board has %d models, want 2 or more", len(first.Models))
	}
	one, two := first.Models[0].Model, first.Models[1].Model
	// The page's vote count is the t2v pool's, which the JSON API reports.
	votes := func() string {
		var b apiBoard
		v.get("/api/v1/leaderboard").json(t, &b)
		return fmt.Sprintf("%d valid votes", b.Votes)
	}
	renamed := "Renamed " + one.Name
	steps := []struct {
		name   string
		change func()
		want   []string
		absent string
	}{
		{"first render", func() {}, []string{one.Name, two.Name}, ""},
		{"served again", func() {}, []string{one.Name, two.Name}, ""},
		{"new snapshot", func() { v.castVotes(12); a.recompute() }, nil, ""},
		{"model renamed", func() {
			if _, err := a.store.UpdateModel(ctx, models.Actor{Name: "test"}, one.Slug, models.ModelPatch{Name: &renamed}); err != nil {
				t.Fatal(err)
			}
		}, []string{renamed}, ">" + one.Name},
		{"model retired", func() {
			if _, err := a.store.UpdateModel(ctx, models.Actor{Name: "test"}, two.Slug, models.ModelPatch{Active: &off}); err != nil {
				t.Fatal(err)
			}
		}, nil, two.Name},
	}
	seen := map[string]bool{}
	for _, st := range steps {
		st.change()
		want := append(st.want, votes())
		seen[want[len(want)-1]] = true
		r := v.get("/leaderboard")
		if r.status != http.StatusOK {
			t.Fatalf("%s: status %d", st.name, r.status)
		}
		for _, w := range want {
			if !strings.Contains(string(r.body), w) {
				t.Errorf("%s: page lacks %q", st.name, w)
			}
		}
		if st.absent != "" && strings.Contains(string(r.body), st.absent) {
			t.Errorf("%s: page still shows %q", st.name, st.absent)
		}
	}
	if len(seen) < 2 {
		t.Fatalf("the t2v vote count never changed (%v): the new snapshot step tests nothing", seen)
	}
}
