package handlers

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"strings"
	"testing"
)

// styleBoard is the API's leaderboard with the style-control fields.
type styleBoard struct {
	Votes  int64 `json:"votes"`
	Models []struct {
		Rank            int     `json:"rank"`
		Score           float64 `json:"score"`
		CILower         float64 `json:"ci_lower"`
		CIUpper         float64 `json:"ci_upper"`
		Votes           int64   `json:"votes"`
		BothBadRate     float64 `json:"both_bad_rate"`
		RankChangeVsRaw *int    `json:"rank_change_vs_raw"`
		Model           struct{ Slug string }
	} `json:"models"`
	StyleControl *struct {
		Votes        int64    `json:"votes"`
		Features     []string `json:"features"`
		Dropped      []string `json:"dropped"`
		Coefficients []struct {
			Name    string  `json:"name"`
			Value   float64 `json:"value"`
			CILower float64 `json:"ci_lower"`
			CIUpper float64 `json:"ci_upper"`
			Odds    float64 `json:"odds"`
		} `json:"coefficients"`
	} `json:"style_control"`
}

func TestLeaderboard_StyleControlToggle(t *testing.T) {
	a := newTestApp(t, "", true) // demo clips ship measured features
	for i := 0; i < 3; i++ {
		a.newVoter().castVotes(15)
	}
	a.recompute()
	v := a.newVoter()

	var raw, style styleBoard
	v.get("/api/v1/leaderboard?pool=t2v").json(t, &raw)
	if raw.StyleControl != nil {
		t.Error("the raw board carries style_control")
	}
	var anyBothBad bool
	for _, m := range raw.Models {
		anyBothBad = anyBothBad || m.BothBadRate > 0
		if m.RankChangeVsRaw != nil {
			t.Errorf("raw row %s has a rank change against itself", m.Model.Slug)
		}
	}
	if !anyBothBad {
		t.Error("a fifth of the votes were both bad, yet no model has a both-bad rate")
	}
	r := v.get("/api/v1/leaderboard?pool=t2v&control=style")
	if r.status != http.StatusOK {
		t.Fatalf("control=style = %d %s", r.status, r.body)
	}
	r.json(t, &style)
	sc := style.StyleControl
	if sc == nil || sc.Votes == 0 || sc.Votes > raw.Votes || len(sc.Coefficients) == 0 || len(sc.Features) != len(sc.Coefficients) {
		t.Fatalf("style_control %s", r.body)
	}
	for _, c := range sc.Coefficients {
		if c.Name == "has_audio" || !(c.CILower <= c.Value && c.Value <= c.CIUpper) || c.Odds <= 0 {
			t.Errorf("coefficient %+v (the silent pool has no sound to compare)", c)
		}
	}
	if len(style.Models) == 0 {
		t.Fatal("style board has no rows")
	}
	rawRank := map[string]int{}
	for _, m := range raw.Models {
		rawRank[m.Model.Slug] = m.Rank
	}
	for _, m := range style.Models {
		if m.RankChangeVsRaw == nil || *m.RankChangeVsRaw != rawRank[m.Model.Slug]-m.Rank {
			t.Errorf("%s: rank change vs raw %v, ranks raw %d style %d", m.Model.Slug, m.RankChangeVsRaw, rawRank[m.Model.Slug], m.Rank)
		}
		if m.CILower > m.Score || m.CIUpper < m.Score {
			t.Errorf("%s: score %v outside [%v, %v]", m.Model.Slug, m.Score, m.CILower, m.CIUpper)
		}
	}

	c := v.get("/api/v1/leaderboard.csv?pool=t2v&control=style")
	recs, err := csv.NewReader(bytes.NewReader(c.body)).ReadAll()
	if err != nil || len(recs) != len(style.Models)+1 || recs[0][len(recs[0])-1] != "rank_change_vs_raw" || recs[1][len(recs[1])-1] == "" {
		t.Fatalf("style CSV %q (%v)", c.body, err)
	}

	// The toggle is two plain links: it works without JavaScript.
	p := v.get("/leaderboard?pool=t2v")
	if !bytes.Contains(p.body, []byte(`href="/leaderboard?control=style&amp;pool=t2v"`)) {
		t.Error("raw page lacks a link to the style board")
	}
	sp := v.get("/leaderboard?pool=t2v&control=style")
	if sp.status != http.StatusOK {
		t.Fatalf("style page = %d", sp.status)
	}
	for _, want := range []string{`aria-current="page">Style control</a>`, "What sways voters", "vs raw", `name="control" value="style"`, "/api/v1/leaderboard?control=style"} {
		if !bytes.Contains(sp.body, []byte(want)) {
			t.Errorf("style page lacks %q", want)
		}
	}
}

func TestLeaderboard_BadControlIs400(t *testing.T) {
	a := newTestApp(t, "", false)
	v := a.newVoter()
	for _, q := range []string{"control=raw", "control=STYLE", "control=" + strings.Repeat("s", 100)} {
		for _, path := range []string{"/api/v1/leaderboard?", "/api/v1/leaderboard.csv?", "/leaderboard?"} {
			r := v.get(path + q)
			if r.status != http.StatusBadRequest {
				t.Errorf("GET %s%s = %d, want 400", path, q, r.status)
			}
		}
		if msg := v.get("/api/v1/leaderboard?" + q).errorMessage(t); !strings.Contains(msg, "control must be") {
			t.Errorf("error %q does not say what control takes", msg)
		}
	}
	if r := v.get("/api/v1/leaderboard?control="); r.status != http.StatusOK {
		t.Errorf("empty control = %d, want the raw board", r.status)
	}
}
