package handlers

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/arena-video/arena/models/testclock"
)

func TestErrors_StatusesAndMessages(t *testing.T) {
	app := newTestApp(t, "", true)
	v := app.newVoter()
	m := v.matchup()
	other := app.newVoter().matchup()

	cases := []struct {
		name        string
		method      string
		path        string
		contentType string
		body        string
		headers     []string
		want        int
		wantInMsg   string
	}{
		{"unknown API route", "GET", "/api/v1/nope", "", "", nil, 404, "nothing here"},
		{"wrong method", "GET", "/api/v1/matchups", "", "", nil, 405, "method"},
		{"malformed JSON", "POST", "/api/v1/matchups/" + m.ID + "/vote", "application/json", `{"choice":`, nil, 400, "malformed JSON"},
		{"empty vote body", "POST", "/api/v1/matchups/" + m.ID + "/vote", "application/json", ``, nil, 400, "JSON object"},
		{"unknown choice", "POST", "/api/v1/matchups/" + m.ID + "/vote", "application/json", `{"choice":"c"}`, nil, 400, "both_bad"},
		{"unknown field", "POST", "/api/v1/matchups/" + m.ID + "/vote", "application/json", `{"choice":"a","extra":1}`, nil, 400, "unknown field"},
		{"two objects", "POST", "/api/v1/matchups/" + m.ID + "/vote", "application/json", `{"choice":"a"}{"choice":"b"}`, nil, 400, "exactly one"},
		{"wrong content type", "POST", "/api/v1/matchups/" + m.ID + "/vote", "text/plain", `{"choice":"a"}`, nil, 415, "application/json"},
		{"form content type", "POST", "/api/v1/matchups", "application/x-www-form-urlencoded", `pool=t2v`, nil, 415, "application/json"},
		{"body over 64 KB", "POST", "/api/v1/matchups", "application/json", `{"category":"` + strings.Repeat("x", 70<<10) + `"}`, nil, 413, "too large"},
		{"unknown pool", "POST", "/api/v1/matchups", "application/json", `{"pool":"t2x"}`, nil, 400, "unknown pool"},
		{"unknown matchup", "POST", "/api/v1/matchups/AAAAAAAAAAAAAAAAAAAAAA/vote", "application/json", `{"choice":"a"}`, nil, 404, "no matchup"},
		{"malformed matchup id", "POST", "/api/v1/matchups/..%2f..%2fetc/vote", "application/json", `{"choice":"a"}`, nil, 404, ""},
		{"another voter's matchup", "POST", "/api/v1/matchups/" + other.ID + "/vote", "application/json", `{"choice":"a"}`, nil, 404, "no matchup"},
		{"cross-origin vote", "POST", "/api/v1/matchups/" + m.ID + "/vote", "application/json", `{"choice":"a"}`, []string{"Sec-Fetch-Site", "cross-site"}, 403, "cross-origin"},
		{"cross-origin by Origin", "POST", "/api/v1/matchups", "application/json", `{}`, []string{"Origin", "https://evil.example"}, 403, "cross-origin"},
		{"unknown clip", "GET", "/media/AAAAAAAAAAAAAAAAAAAAAA", "", "", nil, 404, "no clip"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := v.do(tc.method, tc.path, tc.contentType, strings.NewReader(tc.body), tc.headers...)
			if r.status != tc.want {
				t.Fatalf("status = %d, want %d (%s)", r.status, tc.want, r.body)
			}
			if strings.HasPrefix(tc.path, "/api/") {
				if msg := r.errorMessage(t); !strings.Contains(msg, tc.wantInMsg) {
					t.Errorf("message %q lacks %q", msg, tc.wantInMsg)
				}
			}
		})
	}
	// Nothing above may have voted on the matchup.
	if r := v.vote(m.ID, "a"); r.status != http.StatusOK {
		t.Fatalf("after the bad requests the matchup must still take a vote, got %d", r.status)
	}
}

func TestErrors_HTMLPagesAreReadable(t *testing.T) {
	app := newTestApp(t, "", true)
	v := app.newVoter()
	for _, tc := range []struct {
		path string
		want int
	}{
		{"/no-such-page", 404},
		{"/static/../go.mod", 404},
		{"/static/css/missing.css", 404},
	} {
		r := v.get(tc.path)
		if r.status != tc.want || !strings.Contains(string(r.body), "<h1>") || strings.Contains(string(r.body), "goroutine") {
			t.Errorf("GET %s = %d, want a readable %d page", tc.path, r.status, tc.want)
		}
	}
}

func TestErrors_NoClipsGives503(t *testing.T) {
	app := newTestApp(t, "", false)
	v := app.newVoter()
	r := v.postJSON("/api/v1/matchups", "")
	if r.status != http.StatusServiceUnavailable || !strings.Contains(r.errorMessage(t), "two active models") {
		t.Fatalf("= %d %s, want 503 explaining why", r.status, r.body)
	}
	if p := v.get("/"); p.status != http.StatusServiceUnavailable || !strings.Contains(string(p.body), "No matchup yet") {
		t.Fatalf("arena page = %d, want a 503 page", p.status)
	}
}

func TestErrors_ExpiredMatchupGives410(t *testing.T) {
	clock := testclock.New(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	app := newTestApp(t, "", true, withTTL(time.Hour), withClock(clock.Now))
	v := app.newVoter()
	m := v.matchup()
	clock.Advance(time.Hour)
	r := v.vote(m.ID, "a")
	if r.status != http.StatusGone || !strings.Contains(r.errorMessage(t), "expired") {
		t.Fatalf("= %d %s, want 410", r.status, r.body)
	}
}
