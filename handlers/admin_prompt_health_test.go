package handlers

import (
	"bytes"
	"context"
	"encoding/csv"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/arena-video/arena/models"
	"github.com/arena-video/arena/static"
)

type promptHealthBody struct {
	Sort          string             `json:"sort"`
	MinVotes      int                `json:"min_votes"`
	MinModelVotes int                `json:"min_model_votes"`
	Prompts       []promptHealthJSON `json:"prompts"`
}

// TestAdminPromptHealth: the API, the CSV and the dashboard show every
// prompt's health from the votes cast, sorted as asked; a bad sort is a 400
// and the API needs an admin.
func TestAdminPromptHealth(t *testing.T) {
	a := newAdminApp(t, adminOptions{suiteDB: true})
	ctx := context.Background()
	if _, err := static.SeedDemo(ctx, a.store, a.blobs); err != nil {
		t.Fatal(err)
	}
	const cast = 12
	choices := []string{models.ChoiceA, models.ChoiceB, models.ChoiceTie, models.ChoiceBothBad}
	for i := range cast {
		voter := models.NewID()
		m, err := a.store.IssueMatchup(ctx, voter, models.MatchupFilter{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		a.clock.Advance(time.Minute) // past the minimum watch time
		if _, err := a.store.RecordVote(ctx, voter, m.ID, choices[i%len(choices)]); err != nil {
			t.Fatal(err)
		}
	}
	prompts, err := a.store.LoadPromptHealth(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tok := a.token()
	api := a.bare()

	t.Run("json", func(t *testing.T) {
		for _, sort := range []string{"", "votes", "-votes", "discrimination", "-both_bad_rate", "prompt"} {
			r := api.get("/api/v1/admin/prompts/health?sort="+sort, bearer(tok)...)
			if r.status != http.StatusOK {
				t.Fatalf("sort=%q: %d %s", sort, r.status, r.body)
			}
			var got promptHealthBody
			r.json(t, &got)
			if len(got.Prompts) != len(prompts) || got.MinVotes != models.PromptHealthMinVotes || got.MinModelVotes != models.DiscriminationMinModelVotes {
				t.Fatalf("sort=%q: %d prompts, thresholds %d/%d; want %d prompts", sort, len(got.Prompts), got.MinVotes, got.MinModelVotes, len(prompts))
			}
			var votes, a, b int64
			for i, p := range got.Prompts {
				votes += p.Votes
				if i > 0 {
					prev := got.Prompts[i-1]
					switch sort {
					case "votes":
						a, b = prev.Votes, p.Votes
					case "-votes":
						a, b = p.Votes, prev.Votes
					case "prompt":
						a, b = int64(prev.ID), int64(p.ID)
					}
					if a > b {
						t.Errorf("sort=%q: prompt %d before %d out of order", sort, prev.ID, p.ID)
					}
				}
			}
			if votes != cast {
				t.Errorf("sort=%q: %d votes in all, want %d", sort, votes, cast)
			}
		}
	})

	t.Run("csv", func(t *testing.T) {
		r := api.get("/api/v1/admin/prompts/health.csv?sort=-votes", bearer(tok)...)
		if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") {
			t.Fatalf("csv = %d %s", r.status, r.header.Get("Content-Type"))
		}
		recs, err := csv.NewReader(bytes.NewReader(r.body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != len(prompts)+1 || recs[0][0] != "prompt_id" || recs[0][10] != "discrimination" {
			t.Fatalf("csv has %d rows, header %v; want %d prompts", len(recs), recs[0], len(prompts))
		}
	})

	t.Run("bad sort", func(t *testing.T) {
		for _, path := range []string{"/api/v1/admin/prompts/health?sort=nope", "/api/v1/admin/prompts/health.csv?sort=--votes"} {
			if r := api.get(path, bearer(tok)...); r.status != http.StatusBadRequest || !bytes.Contains(r.body, []byte("sort must be one of")) {
				t.Errorf("%s = %d %s, want 400 naming the sort keys", path, r.status, r.body)
			}
		}
		if r := a.login().get("/admin?sort=nope"); r.status != http.StatusBadRequest {
			t.Errorf("dashboard with a bad sort = %d, want 400", r.status)
		}
	})

	t.Run("auth", func(t *testing.T) {
		for _, path := range []string{"/api/v1/admin/prompts/health", "/api/v1/admin/prompts/health.csv"} {
			if r := api.get(path); r.status != http.StatusUnauthorized {
				t.Errorf("%s without credentials = %d, want 401", path, r.status)
			}
			if r := api.get(path, bearer("not-a-token")...); r.status != http.StatusUnauthorized {
				t.Errorf("%s with a bad token = %d, want 401", path, r.status)
			}
		}
	})

	t.Run("dashboard", func(t *testing.T) {
		r := a.login().get("/admin?sort=votes")
		if r.status != http.StatusOK {
			t.Fatalf("dashboard = %d", r.status)
		}
		body := string(r.body)
		for _, want := range []string{`id="prompt-health"`, `href="/admin?sort=-votes#prompt-health"`, `aria-sort="ascending"`,
			`href="/admin?sort=both_bad_rate#prompt-health"`, `/api/v1/admin/prompts/health.csv?sort=votes`, "no_separation"} {
			if !strings.Contains(body, want) {
				t.Errorf("dashboard lacks %q", want)
			}
		}
	})
}
