package e2e

import (
	"context"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// mustServe fails the test at once, with a clear message, when the page
// it drives is not served: a route that disappeared is a failure, never a
// skip.
func mustServe(t *testing.T, s *site, path string) {
	t.Helper()
	res, err := http.Get(s.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d, want 200: the page this test drives is not served", path, res.StatusCode)
	}
}

// voteFromPage casts n votes through the page's own API calls, as a voter
// who already watched the clips would, so the leaderboard has data.
func (b *browser) voteFromPage(n int) {
	b.t.Helper()
	var ok int
	b.eval(`(async () => {
		const post = (path, body) => fetch(path, {method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)});
		const choices = ["a", "b", "a", "tie", "b", "a", "both_bad"];
		let ok = 0;
		for (let i = 0; i < `+itoa(n)+`; i++) {
			const m = await (await post("/api/v1/matchups", {pool: "t2v"})).json();
			const r = await post("/api/v1/matchups/" + m.id + "/vote", {choice: choices[i % choices.length]});
			if (r.ok) ok++;
		}
		return ok;
	})()`, &ok)
	if ok != n {
		b.t.Fatalf("%d of %d votes accepted", ok, n)
	}
}

func TestLeaderboard_RendersTableAndCharts(t *testing.T) {
	t.Parallel()
	s := startSite(t, true, 0) // the votes below come at script speed; they must count

	mustServe(t, s, "/leaderboard")
	b := newBrowser(t)
	b.open(s.URL + "/")
	b.voteFromPage(40)
	if _, err := s.Boards.Recompute(context.Background(), true); err != nil {
		t.Fatal(err)
	}

	// The ranking is recomputed in the background: reload until it shows.
	deadline := time.Now().Add(2 * time.Minute) // a bound for a ranking that never shows
	for {
		b.open(s.URL + "/leaderboard")
		if b.evalFloat(`document.querySelectorAll("main table tbody tr").length`) >= 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the leaderboard shows no ranked models after 40 votes")
		}
		time.Sleep(500 * time.Millisecond)
	}
	var names []string
	b.eval(`[...document.querySelectorAll("main table tbody tr")].map(r => r.textContent)`, &names)
	for _, m := range s.Models {
		found := false
		for _, row := range names {
			if contains(row, m.Name) {
				found = true
			}
		}
		if !found {
			t.Errorf("model %q is missing from the leaderboard", m.Name)
		}
	}
	if n := b.evalFloat(`document.querySelectorAll("main svg, main canvas").length`); n < 1 {
		t.Errorf("the leaderboard draws no chart")
	}
	if n := b.evalFloat(`[...document.querySelectorAll("main svg, main canvas")].filter(c => c.getBoundingClientRect().width > 100).length`); n < 1 {
		t.Errorf("the leaderboard's charts have no size")
	}
	b.checkNames("leaderboard")
	b.checkContrast("leaderboard")
	b.shot("leaderboard")

	// On a phone the page itself never scrolls sideways; wide tables scroll
	// inside their own box.
	b.do(chromedp.EmulateViewport(375, 812, chromedp.EmulateMobile))
	b.open(s.URL + "/leaderboard")
	if w := b.evalFloat(`document.documentElement.scrollWidth`); w > 375 {
		t.Errorf("the leaderboard is %v px wide on a 375 px phone", w)
	}
	// Chart labels stay readable: at least 9 px tall on the phone.
	var heights []float64
	b.eval(`[...document.querySelectorAll("main svg text")].map(t => t.getBoundingClientRect().height).filter(h => h > 0)`, &heights)
	if len(heights) == 0 {
		t.Fatalf("no chart labels on the phone")
	}
	slices.Sort(heights)
	if h := heights[len(heights)/2]; h < 9 {
		t.Errorf("chart labels are %.1f px tall on a phone (median), want at least 9", h)
	}
	b.do(chromedp.ScrollIntoView(chromedp.CSS("main svg")))
	b.shot("leaderboard-phone")
}
