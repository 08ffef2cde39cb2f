package handlers

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/arena-video/arena/models"
)

type coverageJSON struct {
	ActiveModels  int                  `json:"active_models"`
	ActivePrompts int                  `json:"active_prompts"`
	Gaps          int                  `json:"gaps"`
	Unpaired      int                  `json:"unpaired_clips"`
	Models        []coverageModelJSON  `json:"models"`
	Prompts       []coveragePromptJSON `json:"prompts"`
}

type gapsJSON struct {
	Gaps []struct {
		PromptID uint   `json:"prompt_id"`
		Model    string `json:"model"`
	} `json:"gaps"`
	pageJSON
}

// Three models, four prompts: alpha and beta cover every prompt, gamma has
// a clip of the first prompt only, and a fourth model, delta, none. One
// more prompt has only alpha's clip, so that clip is unpaired.
func TestCoverage_SummarizesModelsPromptsAndGaps(t *testing.T) {
	a := newAdminApp(t, adminOptions{suiteDB: true})
	ctx := context.Background()
	ps := a.seedClipRows([]string{"alpha", "beta"}, 4)
	gamma := models.Model{Slug: "gamma", Name: "Gamma"}
	delta := models.Model{Slug: "delta", Name: "Delta"}
	for _, m := range []*models.Model{&gamma, &delta} {
		if err := a.store.CreateModel(ctx, m); err != nil {
			t.Fatal(err)
		}
	}
	lone := models.Prompt{Text: "Only alpha", Modality: models.ModalityT2V}
	if err := a.store.CreatePrompt(ctx, &lone); err != nil {
		t.Fatal(err)
	}
	alpha, err := a.store.ModelBySlug(ctx, "alpha")
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range []models.Clip{{ModelID: gamma.ID, PromptID: ps[0].ID}, {ModelID: alpha.ID, PromptID: lone.ID}} {
		sum := fmt.Sprintf("%064x", 1000+i)
		c.SHA256, c.BlobKey, c.MIME, c.DurationMS, c.Width, c.Height = sum, sum, "video/mp4", 5000, 640, 360
		if err := a.store.CreateClip(ctx, &c); err != nil {
			t.Fatal(err)
		}
	}
	tok := a.token()

	var cv coverageJSON
	r := a.bare().get("/api/v1/admin/coverage", bearer(tok)...)
	r.json(t, &cv)
	// 4 models × 5 prompts = 20 pairs; covered: 4×2 + 1 (gamma) + 1 (alpha, lone) = 10.
	if r.status != http.StatusOK || cv.ActiveModels != 4 || cv.ActivePrompts != 5 || cv.Gaps != 10 || cv.Unpaired != 1 {
		t.Fatalf("coverage = %d %+v, want 4 models, 5 prompts, 10 gaps, 1 unpaired clip", r.status, cv)
	}
	prompts := map[string]int{}
	for _, m := range cv.Models {
		prompts[m.Model] = m.Prompts
	}
	if prompts["alpha"] != 5 || prompts["beta"] != 4 || prompts["gamma"] != 1 || prompts["delta"] != 0 {
		t.Errorf("prompts per model = %v", prompts)
	}
	if p := cv.Prompts[0]; p.PromptID != lone.ID || p.Models != 1 || p.Missing != 3 {
		t.Errorf("least covered prompt = %+v, want prompt %d with 1 model, 3 missing", p, lone.ID)
	}

	var all gapsJSON
	r = a.bare().get("/api/v1/admin/coverage/gaps?limit=4", bearer(tok)...)
	r.json(t, &all)
	if r.status != http.StatusOK || all.Total != 10 || all.Pages != 3 || len(all.Gaps) != 4 || all.Next != "/api/v1/admin/coverage/gaps?page=2&limit=4" || all.Prev != "" {
		t.Fatalf("gaps page 1 = %d %+v", r.status, all)
	}
	if g := all.Gaps[0]; g.PromptID != ps[0].ID || g.Model != "delta" {
		t.Errorf("first gap = %+v, want delta on prompt %d", g, ps[0].ID)
	}
	seen := map[string]bool{}
	for page := 1; page <= 3; page++ {
		var got gapsJSON
		a.bare().get(fmt.Sprintf("/api/v1/admin/coverage/gaps?limit=4&page=%d", page), bearer(tok)...).json(t, &got)
		for _, g := range got.Gaps {
			key := fmt.Sprintf("%d/%s", g.PromptID, g.Model)
			if seen[key] {
				t.Errorf("gap %s on two pages", key)
			}
			seen[key] = true
		}
	}
	if len(seen) != 10 {
		t.Errorf("%d distinct gaps over the pages, want 10", len(seen))
	}
	for _, q := range []string{"?page=0", "?limit=0", "?limit=1001", "?page=x"} {
		if r := a.bare().get("/api/v1/admin/coverage/gaps"+q, bearer(tok)...); r.status != http.StatusBadRequest {
			t.Errorf("gaps%s = %d, want 400", q, r.status)
		}
	}

	page := a.login()
	dash := string(page.get("/admin").body)
	for _, want := range []string{"<strong>10</strong> pairs have no active clip", "has no clip of <span class=\"mono\">delta</span>", `href="/admin/coverage"`} {
		if !strings.Contains(dash, want) {
			t.Errorf("dashboard lacks %q", want)
		}
	}
	full := page.get("/admin/coverage?gaps_page=2&prompts_page=1")
	if full.status != http.StatusOK || !strings.Contains(string(full.body), "10 in all") || !strings.Contains(string(full.body), "Only alpha") {
		t.Errorf("coverage page = %d, want the gap count and the lone prompt", full.status)
	}
	if r := page.get("/admin/coverage?gaps_page=-1"); r.status != http.StatusBadRequest {
		t.Errorf("coverage page with a bad page = %d, want 400", r.status)
	}
}
