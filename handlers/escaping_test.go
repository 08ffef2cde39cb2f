package handlers

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/arena-video/arena/static"
)

// TestEscaping_MarkupInEveryTextFieldShowsAsText puts markup into every
// text an admin can set (model name and organization, prompt text and
// category) and checks every page and JSON that shows them: the markup is
// escaped, never live.
func TestEscaping_MarkupInEveryTextFieldShowsAsText(t *testing.T) {
	a := newAdminApp(t, adminOptions{})
	ctx := context.Background()
	if _, err := static.SeedDemo(ctx, a.store, a.blobs); err != nil {
		t.Fatal(err)
	}
	const xss = `<script>alert(1)</script><img src=x onerror=alert(2)>`
	tok := bearer(a.token())
	ms, _ := a.store.ListModels(ctx)
	for _, m := range ms {
		r := a.bare().do(http.MethodPatch, "/api/v1/admin/models/"+m.Slug, "application/json",
			strings.NewReader(`{"name":"`+strings.ReplaceAll(xss, `"`, `\"`)+` `+m.Slug+`","organization":"`+strings.ReplaceAll(xss, `"`, `\"`)+`"}`), tok...)
		if r.status != http.StatusOK {
			t.Fatalf("patch model = %d %s", r.status, r.body)
		}
	}
	for id := 1; id <= 8; id++ {
		r := a.bare().do(http.MethodPatch, "/api/v1/admin/prompts/"+uintString(uint(id)), "application/json",
			strings.NewReader(`{"text":"`+strings.ReplaceAll(xss, `"`, `\"`)+`","category":"<b>cat</b>"}`), tok...)
		if r.status != http.StatusOK {
			t.Fatalf("patch prompt %d = %d %s", id, r.status, r.body)
		}
	}
	adm := a.login()
	v := a.testApp.newVoter()
	arena := v.get("/")
	id := between(string(arena.body), `data-matchup-id="`, `"`)
	pages := map[string]response{
		"arena":          arena,
		"reveal":         v.do(http.MethodPost, "/matchups/"+id+"/vote", "application/x-www-form-urlencoded", strings.NewReader("choice=a")),
		"matchup JSON":   v.postJSON("/api/v1/matchups", ""),
		"admin":          adm.get("/admin"),
		"admin models":   adm.get("/admin/models"),
		"admin prompts":  adm.get("/admin/prompts"),
		"admin clips":    adm.get("/admin/clips"),
		"admin votes":    adm.get("/admin/votes"),
		"admin audit":    adm.get("/admin/audit"),
		"admin model":    adm.get("/admin/models/" + ms[0].Slug),
		"admin API list": a.bare().get("/api/v1/admin/models", tok...),
	}
	for _, extra := range []string{"/leaderboard", "/methodology", "/me", "/api/v1/leaderboard", "/api/v1/leaderboard.csv", "/api/v1/votes.jsonl"} {
		if r := v.get(extra); r.status == http.StatusOK {
			pages[extra] = r
		}
	}
	shown := 0
	for name, r := range pages {
		if r.status != http.StatusOK && r.status != http.StatusCreated {
			t.Errorf("%s = %d", name, r.status)
			continue
		}
		body := string(r.body)
		if strings.HasSuffix(name, ".csv") {
			// CSV carries text as is; it is safe because browsers are told
			// it is CSV and must not sniff it into HTML.
			if !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") || r.header.Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("%s served as %q without nosniff", name, r.header.Get("Content-Type"))
			}
			continue
		}
		for _, live := range []string{"<script>alert", "<img src=x", "<b>cat"} {
			if strings.Contains(body, live) {
				t.Errorf("%s shows markup live: %q", name, live)
			}
		}
		if strings.Contains(body, "alert(1)") {
			shown++
		}
	}
	if shown < 5 {
		t.Fatalf("the marked-up text appears escaped on only %d pages: the test is not looking at them", shown)
	}
}
