package handlers

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/arena-video/arena/models"
)

// seedClipRows makes the models and prompts named and one ready clip per
// model and prompt, as rows: nothing is transcoded. It returns the
// prompts in creation order.
func (a *adminApp) seedClipRows(slugs []string, prompts int) []models.Prompt {
	a.t.Helper()
	ctx := context.Background()
	var ms []models.Model
	for _, slug := range slugs {
		m := models.Model{Slug: slug, Name: strings.ToUpper(slug[:1]) + slug[1:]}
		if err := a.store.CreateModel(ctx, &m); err != nil {
			a.t.Fatal(err)
		}
		ms = append(ms, m)
	}
	var ps []models.Prompt
	for i := range prompts {
		p := models.Prompt{Text: fmt.Sprintf("Scene %d", i), Modality: models.ModalityT2V}
		if err := a.store.CreatePrompt(ctx, &p); err != nil {
			a.t.Fatal(err)
		}
		ps = append(ps, p)
		for _, m := range ms {
			sum := fmt.Sprintf("%032x%032x", p.ID, m.ID)
			c := models.Clip{ModelID: m.ID, PromptID: p.ID, SHA256: sum, BlobKey: sum, MIME: "video/mp4", Size: 1000, DurationMS: 5000, Width: 640, Height: 360}
			if err := a.store.CreateClip(ctx, &c); err != nil {
				a.t.Fatal(err)
			}
		}
	}
	return ps
}

type clipListJSON struct {
	Clips []adminClipJSON `json:"clips"`
	pageJSON
}

func TestAdminAPI_ClipListIsPagedAndFiltered(t *testing.T) {
	a := newAdminApp(t, adminOptions{suiteDB: true})
	ps := a.seedClipRows([]string{"alpha", "beta", "gamma"}, 4) // 12 clips
	tok := a.token()
	// One clip of beta is deactivated: the active filter finds it.
	var off adminClipJSON
	r := a.bare().get("/api/v1/admin/clips?model=beta&limit=1", bearer(tok)...)
	var first clipListJSON
	r.json(t, &first)
	if r.status != http.StatusOK || len(first.Clips) != 1 {
		t.Fatalf("first beta clip = %d %s", r.status, r.body)
	}
	if r := a.bare().do(http.MethodPatch, "/api/v1/admin/clips/"+first.Clips[0].PublicID, "application/json", strings.NewReader(`{"active": false}`), bearer(tok)...); r.status != http.StatusOK {
		t.Fatalf("deactivate = %d %s", r.status, r.body)
	} else {
		r.json(t, &off)
	}

	for _, tc := range []struct {
		query            string
		total            int64
		clips, pages     int
		prev, next       string
		allModel, allOff string
	}{
		{query: "", total: 12, clips: 12, pages: 1},
		{query: "limit=5", total: 12, clips: 5, pages: 3, next: "/api/v1/admin/clips?limit=5&page=2"},
		{query: "limit=5&page=2", total: 12, clips: 5, pages: 3, prev: "/api/v1/admin/clips?limit=5", next: "/api/v1/admin/clips?limit=5&page=3"},
		{query: "limit=5&page=3", total: 12, clips: 2, pages: 3, prev: "/api/v1/admin/clips?limit=5&page=2"},
		{query: "limit=5&page=9", total: 12, clips: 0, pages: 3, prev: "/api/v1/admin/clips?limit=5&page=3"},
		{query: "model=gamma", total: 4, clips: 4, pages: 1, allModel: "gamma"},
		{query: fmt.Sprintf("prompt=%d", ps[2].ID), total: 3, clips: 3, pages: 1},
		{query: fmt.Sprintf("model=alpha&prompt=%d", ps[0].ID), total: 1, clips: 1, pages: 1, allModel: "alpha"},
		{query: "pool=" + models.PoolT2V + "&status=ready", total: 12, clips: 12, pages: 1},
		{query: "pool=" + models.PoolI2V, total: 0, clips: 0, pages: 0},
		{query: "status=processing", total: 0, clips: 0, pages: 0},
		{query: "active=false", total: 1, clips: 1, pages: 1, allOff: off.PublicID},
		{query: "active=true&model=beta", total: 3, clips: 3, pages: 1, allModel: "beta"},
	} {
		t.Run(tc.query, func(t *testing.T) {
			r := a.bare().get("/api/v1/admin/clips?"+tc.query, bearer(tok)...)
			if r.status != http.StatusOK {
				t.Fatalf("status %d: %s", r.status, r.body)
			}
			var got clipListJSON
			r.json(t, &got)
			if got.Total != tc.total || len(got.Clips) != tc.clips || got.Pages != tc.pages || got.Prev != tc.prev || got.Next != tc.next {
				t.Errorf("total %d, %d clips, %d pages, prev %q, next %q; want %d, %d, %d, %q, %q",
					got.Total, len(got.Clips), got.Pages, got.Prev, got.Next, tc.total, tc.clips, tc.pages, tc.prev, tc.next)
			}
			for i, c := range got.Clips {
				if tc.allModel != "" && c.Model != tc.allModel {
					t.Errorf("clip %s is of %s, want only %s", c.PublicID, c.Model, tc.allModel)
				}
				if tc.allOff != "" && (c.PublicID != tc.allOff || c.Active) {
					t.Errorf("clip %s (active %v) listed, want only the deactivated %s", c.PublicID, c.Active, tc.allOff)
				}
				if i > 0 && got.Clips[i-1].PublicID == c.PublicID {
					t.Errorf("clip %s listed twice", c.PublicID)
				}
			}
		})
	}
}

func TestAdminClipList_RefusesBadParameters(t *testing.T) {
	a := newAdminApp(t, adminOptions{})
	a.seedClipRows([]string{"alpha", "beta"}, 1)
	tok := a.token()
	page := a.login()
	for _, tc := range []struct{ query, says string }{
		{"page=0", "page must be a number from 1 on"},
		{"page=two", "page must be a number from 1 on"},
		{"limit=0", "limit must be a number from 1 to 500"},
		{"limit=501", "limit must be a number from 1 to 500"},
		{"model=nobody", `no model with slug \"nobody\"`},
		{"prompt=first", "prompt must be a prompt's number"},
		{"pool=sideways", "pool must be one of"},
		{"status=done", "status must be processing, ready or failed"},
		{"active=maybe", "active must be true or false"},
	} {
		t.Run(tc.query, func(t *testing.T) {
			r := a.bare().get("/api/v1/admin/clips?"+tc.query, bearer(tok)...)
			if r.status != http.StatusBadRequest || !strings.Contains(string(r.body), tc.says) {
				t.Errorf("API = %d %s, want 400 saying %q", r.status, r.body, tc.says)
			}
			if r := page.get("/admin/clips?" + tc.query); r.status != http.StatusBadRequest {
				t.Errorf("page = %d, want 400", r.status)
			}
		})
	}
}

func TestAdminClipsPage_ShowsOnePageWithLinks(t *testing.T) {
	a := newAdminApp(t, adminOptions{})
	a.seedClipRows([]string{"alpha", "beta", "gamma"}, 3) // 9 clips
	page := a.login()
	r := page.get("/admin/clips?model=beta&limit=2")
	body := string(r.body)
	if r.status != http.StatusOK {
		t.Fatalf("status %d", r.status)
	}
	if n := strings.Count(body, "data-clip="); n != 2 {
		t.Errorf("%d clip rows, want 2", n)
	}
	if !strings.Contains(body, `href="/admin/clips?limit=2&amp;model=beta&amp;page=2" rel="next"`) || strings.Contains(body, `rel="prev"`) {
		t.Errorf("want a next link keeping the filter and no previous link:\n%s", body)
	}
	if !strings.Contains(body, "3 clips") || !strings.Contains(body, "page 1 of 2") {
		t.Error("want the total and the page count shown")
	}
	if !strings.Contains(body, `<option value="beta" selected>`) {
		t.Error("want the filter form to keep the model chosen")
	}
	r = page.get("/admin/clips?model=beta&limit=2&page=2")
	if n := strings.Count(string(r.body), "data-clip="); r.status != http.StatusOK || n != 1 || !strings.Contains(string(r.body), `rel="prev"`) {
		t.Errorf("page 2 = %d with %d rows, want 200, 1 row and a previous link", r.status, n)
	}
}
