package handlers

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/arena-video/arena/static"
)

func TestSkip_API(t *testing.T) {
	a := newTestApp(t, "", true)
	v := a.newVoter()
	skip := func(id, body string) response { return v.postJSON("/api/v1/matchups/"+id+"/skip", body) }
	for _, tc := range []struct {
		name, body string
		want       int
		msg        string
	}{
		{"no reason", `{}`, 400, "reason"},
		{"unknown reason", `{"reason":"bored"}`, 400, "reason"},
		{"bad side", `{"reason":"broken","side":"c"}`, 400, "side"},
		{"unknown field", `{"reason":"broken","why":"x"}`, 400, ""},
		{"not JSON", `reason=broken`, 400, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := v.matchup()
			r := skip(m.ID, tc.body)
			if r.status != tc.want || (tc.msg != "" && !strings.Contains(r.errorMessage(t), tc.msg)) {
				t.Errorf("status %d %s, want %d mentioning %q", r.status, r.body, tc.want, tc.msg)
			}
		})
	}
	m := v.matchup()
	if r := a.newVoter().postJSON("/api/v1/matchups/"+m.ID+"/skip", `{"reason":"cant_decide"}`); r.status != http.StatusNotFound {
		t.Errorf("another voter's skip = %d, want 404", r.status)
	}
	r := skip(m.ID, `{"reason":"broken","side":"b"}`)
	if r.status != http.StatusOK || !strings.Contains(string(r.body), `"skipped":true`) {
		t.Fatalf("skip = %d %s", r.status, r.body)
	}
	if strings.Contains(string(r.body), "model") {
		t.Errorf("a skip reveals the models: %s", r.body)
	}
	if r := skip(m.ID, `{"reason":"broken"}`); r.status != http.StatusConflict {
		t.Errorf("second skip = %d, want 409", r.status)
	}
	if r := v.vote(m.ID, "a"); r.status != http.StatusConflict || !strings.Contains(r.errorMessage(t), "skipped") {
		t.Errorf("vote on a skipped matchup = %d %s, want 409", r.status, r.body)
	}
	// From another origin a skip is refused like a vote.
	m = v.matchup()
	if r := v.do(http.MethodPost, "/api/v1/matchups/"+m.ID+"/skip", "application/json", strings.NewReader(`{"reason":"broken"}`), "Sec-Fetch-Site", "cross-site"); r.status != http.StatusForbidden {
		t.Errorf("cross-site skip = %d, want 403", r.status)
	}
}

// Without JavaScript the page's Skip form works and shows the next matchup.
func TestSkip_FormWithoutJavaScript(t *testing.T) {
	a := newTestApp(t, "", true)
	v := a.newVoter()
	page := v.get("/")
	id := between(string(page.body), `data-matchup-id="`, `"`)
	if !strings.Contains(string(page.body), `action="/matchups/`+id+`/skip"`) {
		t.Fatal("the arena page has no skip form")
	}
	r := v.postForm("/matchups/"+id+"/skip", url.Values{"reason": {"inappropriate"}})
	// The browser follows the redirect to the arena: a new matchup.
	if next := between(string(r.body), `data-matchup-id="`, `"`); r.status != http.StatusOK || next == "" || next == id {
		t.Fatalf("skip form = %d, next matchup %q after %q", r.status, next, id)
	}
	if r := v.postForm("/matchups/"+id+"/skip", url.Values{"reason": {"cant_decide"}}); r.status != http.StatusConflict {
		t.Errorf("skipping twice = %d, want 409", r.status)
	}
	if r := v.postForm("/matchups/"+id+"/skip", url.Values{"reason": {"nope"}}); r.status != http.StatusBadRequest {
		t.Errorf("bad reason = %d, want 400", r.status)
	}
}

// The dashboard lists skips, reported clips and the blindness audit; the
// audit is also JSON for admins.
func TestDashboard_SkipsReportsAndBlindness(t *testing.T) {
	a := newAdminApp(t, adminOptions{})
	if _, err := static.SeedDemo(context.Background(), a.store, a.blobs); err != nil {
		t.Fatal(err)
	}
	v := a.newVoter()
	m := v.matchup()
	if r := v.postJSON("/api/v1/matchups/"+m.ID+"/skip", `{"reason":"broken","side":"a"}`); r.status != http.StatusOK {
		t.Fatalf("skip = %d %s", r.status, r.body)
	}
	page := string(a.login().get("/admin").body)
	for _, want := range []string{"Skips and reports", "1 reported a clip broken", "Blindness audit", "t2v"} {
		if !strings.Contains(page, want) {
			t.Errorf("dashboard lacks %q", want)
		}
	}
	var audit struct {
		Pools []struct {
			Pool     string
			Clips    int
			Accuracy float64
			Chance   float64
		}
	}
	r := a.bare().get("/api/v1/admin/blindness", bearer(a.token())...)
	r.json(t, &audit)
	if r.status != http.StatusOK || len(audit.Pools) == 0 || audit.Pools[0].Clips == 0 || audit.Pools[0].Chance <= 0 {
		t.Errorf("blindness = %d %s", r.status, r.body)
	}
}
