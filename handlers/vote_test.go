package handlers

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/arena-video/arena/models"
)

func TestVoterCycle_MatchupVoteReveal(t *testing.T) {
	app := newTestApp(t, "", true)
	v := app.newVoter()

	page := v.get("/")
	if page.status != http.StatusOK || !strings.Contains(string(page.body), `id="clip-a"`) {
		t.Fatalf("GET / = %d, want the arena page", page.status)
	}
	if c := page.header.Get("Set-Cookie"); !strings.Contains(c, "HttpOnly") || !strings.Contains(c, "SameSite=Lax") {
		t.Errorf("voter cookie %q must be HttpOnly and SameSite=Lax", c)
	}

	m := v.matchup()
	if !models.ValidID(m.ID) || m.A.VideoURL == m.B.VideoURL || m.Prompt.Text == "" || !models.ValidPool(m.Pool) {
		t.Fatalf("bad matchup %+v", m)
	}
	if m.A.DurationMS <= 0 || m.B.DurationMS <= 0 {
		t.Errorf("clip durations missing: %+v", m)
	}
	r := v.vote(m.ID, "a")
	if r.status != http.StatusOK {
		t.Fatalf("vote = %d %s", r.status, r.body)
	}
	var res voteJSON
	r.json(t, &res)
	if res.Choice != "a" || res.A.Model.Name == "" || res.B.Model.Name == "" || res.A.Model.Slug == res.B.Model.Slug {
		t.Fatalf("reveal %+v: want two different named models", res)
	}
	if again := v.vote(m.ID, "b"); again.status != http.StatusConflict {
		t.Fatalf("second vote = %d, want 409", again.status)
	}
}

func TestVote_AllChoicesAccepted(t *testing.T) {
	app := newTestApp(t, "", true)
	v := app.newVoter()
	for _, choice := range []string{"a", "b", "tie", "both_bad"} {
		m := v.matchup()
		if r := v.vote(m.ID, choice); r.status != http.StatusOK {
			t.Errorf("choice %s = %d %s", choice, r.status, r.body)
		}
	}
}

func TestVote_ConcurrentVotesOnOneMatchupGiveOne200(t *testing.T) {
	app := newTestApp(t, "", true)
	v := app.newVoter()
	m := v.matchup()
	const n = 40
	statuses := make([]int, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// send, not vote: only the test's goroutine may stop the test.
			body := `{"choice":"` + []string{"a", "b", "tie", "both_bad"}[i%4] + `"}`
			r, err := v.send(http.MethodPost, "/api/v1/matchups/"+m.ID+"/vote", "application/json", strings.NewReader(body))
			statuses[i], errs[i] = r.status, err
		}()
	}
	wg.Wait()
	count := map[int]int{}
	for i, s := range statuses {
		if errs[i] != nil {
			t.Errorf("vote %d got no response: %v", i, errs[i])
		}
		count[s]++
	}
	if count[http.StatusOK] != 1 || count[http.StatusConflict] != n-1 {
		t.Fatalf("statuses %v: want one 200 and %d 409", count, n-1)
	}
}

func TestVote_PlainFormWithoutJavaScript(t *testing.T) {
	app := newTestApp(t, "", true)
	v := app.newVoter()
	page := v.get("/")
	id := between(string(page.body), `data-matchup-id="`, `"`)
	if !models.ValidID(id) {
		t.Fatalf("no matchup id in the page")
	}
	form := url.Values{"choice": {"tie"}}
	r := v.do(http.MethodPost, "/matchups/"+id+"/vote", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	if r.status != http.StatusOK {
		t.Fatalf("form vote = %d %s", r.status, r.body)
	}
	body := string(r.body)
	if !strings.Contains(body, "You chose <strong>Tie</strong>") || !strings.Contains(body, `href="/"`) {
		t.Errorf("reveal page lacks the choice or the next link")
	}
	if !strings.Contains(body, "Demo") {
		t.Errorf("reveal page names no model")
	}
}

func TestVote_PrefersPairsTheVoterHasNotJudged(t *testing.T) {
	app := newTestApp(t, "", true)
	v := app.newVoter()
	seen := map[[2]string]bool{}
	// A silent text-to-video prompt with 5 models has 10 pairs; the demo has
	// several such prompts, so 30 votes never need to repeat a pair.
	for range 30 {
		m := v.matchup()
		k := [2]string{m.A.VideoURL, m.B.VideoURL}
		if k[0] > k[1] {
			k[0], k[1] = k[1], k[0]
		}
		if seen[k] {
			t.Fatalf("pair %v issued again although unjudged pairs remain", k)
		}
		seen[k] = true
		if r := v.vote(m.ID, "a"); r.status != http.StatusOK {
			t.Fatal(r.status)
		}
	}
}

func between(s, start, end string) string {
	i := strings.Index(s, start)
	if i < 0 {
		return ""
	}
	s = s[i+len(start):]
	j := strings.Index(s, end)
	if j < 0 {
		return ""
	}
	return s[:j]
}
