package handlers

import (
	"context"
	"database/sql"
	"encoding/json"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"github.com/arena-video/arena/models"

	_ "github.com/mattn/go-sqlite3" // to mark a vote as the integrity checks would
)

func TestAdminAPI_CreateModel(t *testing.T) {
	a := newAdminApp(t, adminOptions{})
	tok := a.token()
	post := func(body string) response {
		return a.bare().do(http.MethodPost, "/api/v1/admin/models", "application/json", strings.NewReader(body), bearer(tok)...)
	}
	valid := `{"slug":"veo-3","name":"Veo 3","organization":"Google","release_date":"2025-05-20","license":"proprietary","homepage":"https://deepmind.google/veo"}`
	r := post(valid)
	if r.status != http.StatusCreated {
		t.Fatalf("create = %d %s", r.status, r.body)
	}
	var m adminModelJSON
	r.json(t, &m)
	if m.Slug != "veo-3" || m.Name != "Veo 3" || !m.Active || m.ReleaseDate != "2025-05-20" {
		t.Errorf("created %+v", m)
	}
	for _, tc := range []struct {
		name, body string
		status     int
		msg        string
	}{
		{"taken slug", valid, 409, "veo-3"},
		{"bad slug", `{"slug":"Veo 3","name":"x"}`, 400, "slug"},
		{"slug too long", `{"slug":"` + strings.Repeat("a", 65) + `","name":"x"}`, 400, "slug"},
		{"no name", `{"slug":"x"}`, 400, "name"},
		{"bad date", `{"slug":"x","name":"x","release_date":"20/05/2025"}`, 400, "release_date"},
		{"bad license", `{"slug":"x","name":"x","license":"gpl"}`, 400, "license"},
		{"bad homepage", `{"slug":"x","name":"x","homepage":"javascript:alert(1)"}`, 400, "homepage"},
		{"unknown field", `{"slug":"x","name":"x","colour":"red"}`, 400, "colour"},
		{"malformed", `{"slug":`, 400, "JSON"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := post(tc.body)
			if r.status != tc.status || !strings.Contains(r.errorMessage(t), tc.msg) {
				t.Errorf("status %d %s, want %d naming %q", r.status, r.body, tc.status, tc.msg)
			}
		})
	}
	if n, _ := a.store.CountModels(context.Background()); n != 1 {
		t.Errorf("%d models, want only the valid one", n)
	}
	es := webAudit(t, a.store)
	if len(es) != 1 || es[0].Action != "model.create" || es[0].Actor != testAdminUser || es[0].Target != "model:veo-3" || es[0].IP == "" {
		t.Errorf("audit = %+v, want one model.create by %s", es, testAdminUser)
	}
}

func TestAdminAPI_DeactivatingAModelStopsItsMatchups(t *testing.T) {
	a := newAdminApp(t, adminOptions{})
	_, _, p := a.seedCatalog()
	ctx := context.Background()
	gamma := models.Model{Slug: "gamma", Name: "Gamma"}
	if err := a.store.CreateModel(ctx, &gamma); err != nil {
		t.Fatal(err)
	}
	mp4 := readTestdata(t, "clip.mp4")
	tok := a.token()
	for i, slug := range []string{"alpha", "beta", "gamma"} {
		a.uploadReady(slug, p.ID, withFreeBox(mp4, byte(i), 8))
	}
	r := a.bare().do(http.MethodPatch, "/api/v1/admin/models/gamma", "application/json", strings.NewReader(`{"active":false}`), bearer(tok)...)
	if r.status != http.StatusOK {
		t.Fatalf("PATCH = %d %s", r.status, r.body)
	}
	var m adminModelJSON
	r.json(t, &m)
	if m.Active || m.Name != "Gamma" {
		t.Errorf("patched %+v", m)
	}
	gammaClips := make(map[string]bool)
	clips, _ := a.store.ListClips(ctx, 0)
	for _, c := range clips {
		if c.ModelID == gamma.ID {
			gammaClips[mediaURL(c)] = true
		}
	}
	voter := a.newVoter()
	for range 20 {
		mu := voter.matchup()
		if gammaClips[mu.A.VideoURL] || gammaClips[mu.B.VideoURL] {
			t.Fatal("a deactivated model's clip appears in a new matchup")
		}
	}
	// Its clip and row stay.
	if len(clips) != 3 {
		t.Errorf("%d clips, want 3: nothing is deleted", len(clips))
	}
	if a.store.RankingChanges() == 0 {
		t.Error("deactivating a model did not ask for a recompute")
	}
	if r := a.bare().do(http.MethodPatch, "/api/v1/admin/models/nobody", "application/json", strings.NewReader(`{"active":false}`), bearer(tok)...); r.status != http.StatusNotFound {
		t.Errorf("PATCH unknown model = %d", r.status)
	}
	if r := a.bare().do(http.MethodPatch, "/api/v1/admin/models/alpha", "application/json", strings.NewReader(`{"license":"maybe"}`), bearer(tok)...); r.status != http.StatusBadRequest {
		t.Errorf("PATCH bad license = %d", r.status)
	}
}

func TestAdminAPI_Prompts(t *testing.T) {
	a := newAdminApp(t, adminOptions{})
	tok := a.token()
	r := a.bare().do(http.MethodPost, "/api/v1/admin/prompts", "application/json",
		strings.NewReader(`{"text":"A fox in snow","category":"animals","modality":"t2v"}`), bearer(tok)...)
	if r.status != http.StatusCreated {
		t.Fatalf("create t2v = %d %s", r.status, r.body)
	}
	var p adminPromptJSON
	r.json(t, &p)
	if p.ID == 0 || p.Modality != "t2v" || p.ImageURL != "" {
		t.Errorf("created %+v", p)
	}

	png := readTestdata(t, "src.png")
	ct, body := multipartBody(t, [][2]string{{"text", "Make it move"}, {"category", "art"}, {"modality", "i2v"}}, testFile{"image", "src.png", png})
	r = a.bare().do(http.MethodPost, "/api/v1/admin/prompts", ct, body, bearer(tok)...)
	if r.status != http.StatusCreated {
		t.Fatalf("create i2v = %d %s", r.status, r.body)
	}
	r.json(t, &p)
	if p.Modality != "i2v" || p.ImageURL == "" {
		t.Fatalf("created %+v, want an image URL", p)
	}
	if got := a.bare().get(p.ImageURL); got.status != http.StatusOK || got.header.Get("Content-Type") != "image/png" {
		t.Errorf("GET %s = %d %s", p.ImageURL, got.status, got.header.Get("Content-Type"))
	}

	for _, tc := range []struct {
		name, ct string
		body     func() (string, string)
		status   int
	}{
		{"i2v without image", "", func() (string, string) {
			return "application/json", `{"text":"x","modality":"i2v"}`
		}, 400},
		{"bad modality", "", func() (string, string) { return "application/json", `{"text":"x","modality":"v2v"}` }, 400},
		{"empty text", "", func() (string, string) { return "application/json", `{"text":" ","modality":"t2v"}` }, 400},
		{"image that is not one", "", func() (string, string) {
			ct, b := multipartBody(t, [][2]string{{"text", "x"}, {"modality", "i2v"}}, testFile{"image", "a.png", []byte("GIF89a....")})
			return ct, b.String()
		}, 415},
		{"image for t2v", "", func() (string, string) {
			ct, b := multipartBody(t, [][2]string{{"text", "x"}, {"modality", "t2v"}}, testFile{"image", "a.png", png})
			return ct, b.String()
		}, 400},
		{"form encoding", "", func() (string, string) { return "application/x-www-form-urlencoded", "text=x" }, 415},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ct, body := tc.body()
			r := a.bare().do(http.MethodPost, "/api/v1/admin/prompts", ct, strings.NewReader(body), bearer(tok)...)
			if r.status != tc.status {
				t.Errorf("status %d %s, want %d", r.status, r.body, tc.status)
			}
		})
	}
	ps, _ := a.store.ListPrompts(context.Background())
	if len(ps) != 2 {
		t.Errorf("%d prompts, want 2", len(ps))
	}
	// Only the one image is stored: refused uploads left nothing.
	if blobs := dataFiles(t, a.dir, "blobs"); len(blobs) != 1 {
		t.Errorf("blobs = %v, want the one source image", blobs)
	}

	r = a.bare().do(http.MethodPatch, "/api/v1/admin/prompts/"+uintString(p.ID), "application/json", strings.NewReader(`{"active":false,"category":"paintings"}`), bearer(tok)...)
	if r.status != http.StatusOK {
		t.Fatalf("PATCH = %d %s", r.status, r.body)
	}
	r.json(t, &p)
	if p.Active || p.Category != "paintings" {
		t.Errorf("patched %+v", p)
	}
	if r := a.bare().do(http.MethodPatch, "/api/v1/admin/prompts/999", "application/json", strings.NewReader(`{"active":false}`), bearer(tok)...); r.status != http.StatusNotFound {
		t.Errorf("PATCH unknown prompt = %d", r.status)
	}
}

func TestAdminForms_CreateAndDeactivate(t *testing.T) {
	a := newAdminApp(t, adminOptions{})
	v := a.login()
	r := v.postForm("/admin/models", url.Values{"slug": {"kling"}, "name": {"Kling"}, "license": {"proprietary"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("create model form = %d %s", r.status, r.body)
	}
	if r := v.postForm("/admin/models", url.Values{"slug": {"kling"}, "name": {"Kling"}}); r.status != http.StatusConflict || !strings.Contains(string(r.body), "kling") {
		t.Errorf("taken slug from the form = %d, want a 409 page", r.status)
	}
	if r := v.postForm("/admin/models/kling", url.Values{"name": {"Kling 2"}, "organization": {"Kuaishou"}}); r.status != http.StatusSeeOther {
		t.Errorf("edit form = %d %s", r.status, r.body)
	}
	if r := v.postForm("/admin/models/kling", url.Values{"active": {"false"}}); r.status != http.StatusSeeOther {
		t.Errorf("deactivate form = %d", r.status)
	}
	m, _ := a.store.ModelBySlug(context.Background(), "kling")
	if m.Name != "Kling 2" || m.Organization != "Kuaishou" || m.Active {
		t.Errorf("model after the forms: %+v", m)
	}
	ct, body := multipartBody(t, [][2]string{{"text", "A storm at sea"}, {"category", "weather"}, {"modality", "t2v"}}, testFile{"image", "", nil})
	if r := v.do(http.MethodPost, "/admin/prompts", ct, body); r.status != http.StatusSeeOther {
		t.Errorf("prompt form with an empty file input = %d %s", r.status, r.body)
	}
	if page := v.get("/admin/prompts"); !strings.Contains(string(page.body), "A storm at sea") {
		t.Error("the prompts page does not list the new prompt")
	}
}

func TestModeration_InvalidateAndRestoreAVotersVotes(t *testing.T) {
	a := newAdminApp(t, adminOptions{})
	_, _, p := a.seedCatalog()
	ctx := context.Background()
	mp4 := readTestdata(t, "clip.mp4")
	for i, m := range []string{"alpha", "beta"} {
		a.uploadReady(m, p.ID, withFreeBox(mp4, byte(i), 8))
	}
	bad, good := a.newVoter(), a.newVoter()
	for _, v := range []*voter{bad, bad, bad, good} {
		if r := v.vote(v.matchup().ID, "a"); r.status != http.StatusOK {
			t.Fatalf("vote = %d %s", r.status, r.body)
		}
	}
	// One of the bad voter's votes was already invalid for another reason;
	// restoring must leave it so.
	rows, _ := a.store.RecentVotes(ctx, "", 10)
	var badID string
	counts := map[string]int{}
	for _, r := range rows {
		counts[r.VoterID]++
	}
	for id, n := range counts {
		if n == 3 {
			badID = id
		}
	}
	if badID == "" {
		t.Fatalf("votes = %+v", rows)
	}
	markTooFast(t, a, badID)

	tok := a.token()
	call := func(action, body string) response {
		return a.bare().do(http.MethodPost, "/api/v1/admin/voters/"+badID+"/"+action, "application/json", strings.NewReader(body), bearer(tok)...)
	}
	if r := call("invalidate", `{"reason":""}`); r.status != http.StatusBadRequest {
		t.Errorf("invalidate without a reason = %d", r.status)
	}
	r := call("invalidate", `{"reason":"scripted voting from one address"}`)
	if r.status != http.StatusOK || !strings.Contains(string(r.body), `"changed":2`) {
		t.Fatalf("invalidate = %d %s, want 2 votes changed", r.status, r.body)
	}
	validity := func() map[string]int {
		out := map[string]int{}
		rows, _ := a.store.RecentVotes(ctx, "", 10)
		for _, r := range rows {
			key := "good"
			if r.VoterID == badID {
				key = "bad"
			}
			out[key+":"+r.InvalidReason]++
		}
		return out
	}
	if got := validity(); got["bad:admin"] != 2 || got["bad:too_fast"] != 1 || got["good:"] != 1 {
		t.Errorf("after invalidate: %v", got)
	}
	if r := call("restore", `{"reason":"appeal accepted"}`); r.status != http.StatusOK || !strings.Contains(string(r.body), `"changed":2`) {
		t.Fatalf("restore = %d %s", r.status, r.body)
	}
	if got := validity(); got["bad:"] != 2 || got["bad:too_fast"] != 1 || got["good:"] != 1 {
		t.Errorf("after restore: %v", got)
	}
	if r := a.bare().do(http.MethodPost, "/api/v1/admin/voters/AAAAAAAAAAAAAAAAAAAAAA/invalidate", "application/json", strings.NewReader(`{"reason":"x"}`), bearer(tok)...); r.status != http.StatusNotFound {
		t.Errorf("unknown voter = %d", r.status)
	}
	if n := a.store.RankingChanges(); n < 2 {
		t.Errorf("%d recomputes asked for, want one per moderation", n)
	}

	// The votes page and API show the flags; the audit log has the reasons.
	if page := a.login().get("/admin/votes?voter=" + badID); page.status != http.StatusOK || !strings.Contains(string(page.body), "too_fast") {
		t.Errorf("votes page = %d", page.status)
	}
	audit := a.bare().get("/api/v1/admin/audit", bearer(tok)...)
	var export struct {
		Entries []auditJSON `json:"entries"`
	}
	if err := json.Unmarshal(audit.body, &export); err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range export.Entries {
		actions = append(actions, e.Action)
	}
	joined := strings.Join(actions, ",")
	if !strings.Contains(joined, "voter.restore,voter.invalidate") || !strings.Contains(string(audit.body), "scripted voting from one address") {
		t.Errorf("audit export = %s", audit.body)
	}
	if dl := a.login().get("/admin/audit.json"); dl.status != http.StatusOK || !strings.Contains(dl.header.Get("Content-Disposition"), "attachment") {
		t.Errorf("audit download = %d %q", dl.status, dl.header.Get("Content-Disposition"))
	}
}

// markTooFast marks one valid vote of a voter invalid for another reason,
// as the integrity checks would, straight in the database file.
func markTooFast(t *testing.T, a *adminApp, voterID string) {
	t.Helper()
	db, err := sql.Open("sqlite3", filepath.Join(a.dir, "arena.db")+"?_busy_timeout=10000")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, _ := a.store.RecentVotes(context.Background(), voterID, 1)
	if _, err := db.Exec(`UPDATE matchups SET valid = 0, invalid_reason = 'too_fast' WHERE id = ?`, rows[0].MatchupID); err != nil {
		t.Fatal(err)
	}
}

func TestDashboard_ShowsCoverageAndUnpairedClips(t *testing.T) {
	a := newAdminApp(t, adminOptions{})
	_, _, p := a.seedCatalog()
	clip := a.uploadReady("alpha", p.ID, readTestdata(t, "clip.mp4"))
	d, err := a.store.LoadDashboard(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	cv, err := a.store.LoadCoverage(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if d.Models != 2 || d.Clips != 1 || len(cv.Prompts) != 1 || len(cv.Unpaired) != 1 || cv.Unpaired[0].PublicID != clip.PublicID {
		t.Errorf("dashboard = %+v, coverage = %+v", d, cv)
	}
	page := a.login().get("/admin")
	if page.status != http.StatusOK || !strings.Contains(string(page.body), clip.PublicID) || !strings.Contains(string(page.body), p.Text) {
		t.Errorf("dashboard page = %d, want the unpaired clip and the prompt listed", page.status)
	}
}

func TestAdminAPI_FamilyAndVersionReachTheModelPage(t *testing.T) {
	a := newAdminApp(t, adminOptions{})
	tok := a.token()
	r := a.bare().do(http.MethodPost, "/api/v1/admin/models", "application/json",
		strings.NewReader(`{"slug":"happyhorse-1-0","name":"HappyHorse 1.0","family":"HappyHorse","version":"1.0"}`), bearer(tok)...)
	if r.status != http.StatusCreated {
		t.Fatalf("POST = %d %s", r.status, r.body)
	}
	r = a.bare().do(http.MethodPost, "/api/v1/admin/models", "application/json", strings.NewReader(`{"slug":"happyhorse-1-1","name":"HappyHorse 1.1"}`), bearer(tok)...)
	if r.status != http.StatusCreated {
		t.Fatalf("POST = %d %s", r.status, r.body)
	}
	r = a.bare().do(http.MethodPatch, "/api/v1/admin/models/happyhorse-1-1", "application/json", strings.NewReader(`{"family":"HappyHorse","version":"1.1"}`), bearer(tok)...)
	var m adminModelJSON
	r.json(t, &m)
	if r.status != http.StatusOK || m.Family != "HappyHorse" || m.Version != "1.1" {
		t.Fatalf("PATCH = %d %+v", r.status, m)
	}
	if r := a.bare().do(http.MethodPatch, "/api/v1/admin/models/happyhorse-1-1", "application/json", strings.NewReader(`{"version":"`+strings.Repeat("x", 33)+`"}`), bearer(tok)...); r.status != http.StatusBadRequest {
		t.Errorf("PATCH a 33-character version = %d, want 400", r.status)
	}
	var rep modelReportJSON
	a.bare().get("/api/v1/models/happyhorse-1-1").json(t, &rep)
	if rep.Model.Family != "HappyHorse" || rep.Model.Version != "1.1" || len(rep.Model.Versions) != 2 || rep.Model.Versions[0].Version != "1.0" {
		t.Errorf("model API: %+v", rep.Model)
	}
	if page := a.bare().get("/families/HappyHorse"); page.status != http.StatusOK || !strings.Contains(string(page.body), "HappyHorse 1.0") {
		t.Errorf("family page = %d", page.status)
	}
	retired := false
	if _, err := a.store.UpdateModel(context.Background(), models.Actor{Name: "test"}, "happyhorse-1-0", models.ModelPatch{Active: &retired}); err != nil {
		t.Fatal(err)
	}
	a.bare().get("/api/v1/models/happyhorse-1-0").json(t, &rep)
	if rep.Model.Status != "retired" || rep.Model.RetiredAt == nil {
		t.Errorf("a retired model's status: %q at %v", rep.Model.Status, rep.Model.RetiredAt)
	}
	var evs struct{ Events []eventJSON }
	a.bare().get("/api/v1/events").json(t, &evs)
	if len(evs.Events) != 1 || evs.Events[0].Kind != "retired" || evs.Events[0].Title != "HappyHorse 1.0 was retired" {
		t.Errorf("events after a retirement: %+v", evs.Events)
	}
}
