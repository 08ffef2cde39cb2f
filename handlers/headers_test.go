package handlers

import (
	"net/http"
	"strings"
	"testing"
)

// TestHeaders_StrictOnEveryKindOfResponse checks the security headers on a
// page, JSON, a clip, a static file and errors of each kind.
func TestHeaders_StrictOnEveryKindOfResponse(t *testing.T) {
	for _, tc := range []struct {
		name      string
		publicURL string
		wantHSTS  bool
	}{
		{"plain http", "", false},
		{"behind https", "https://arena.example.org", true},
		{"http public URL", "http://arena.example.org", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			app := newConfiguredApp(t, "", true, func(c *Config) { c.PublicURL = tc.publicURL })
			v := app.newVoter()
			m := v.matchup()
			for _, r := range []response{
				v.get("/"),
				v.postJSON("/api/v1/matchups", ""),
				v.get(m.A.VideoURL),
				v.get("/static/css/arena.css"),
				v.get("/nope"),
				v.get("/api/v1/nope"),
				v.postJSON("/api/v1/matchups", "{"),
				v.get("/" + strings.Repeat("x", MaxURLBytes)),
			} {
				h := r.header
				csp := h.Get("Content-Security-Policy")
				for _, want := range []string{"default-src 'none'", "script-src 'self'", "style-src 'self'", "media-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'"} {
					if !strings.Contains(csp, want) {
						t.Errorf("status %d: CSP %q lacks %q", r.status, csp, want)
					}
				}
				if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") || strings.Contains(csp, "data:") || strings.Contains(csp, "*") {
					t.Errorf("CSP %q allows inline code, data: URLs or any origin", csp)
				}
				for k, want := range map[string]string{
					"X-Content-Type-Options":       "nosniff",
					"Referrer-Policy":              "same-origin",
					"X-Frame-Options":              "DENY",
					"Cross-Origin-Resource-Policy": "same-origin",
				} {
					if got := h.Get(k); got != want {
						t.Errorf("status %d: %s = %q, want %q", r.status, k, got, want)
					}
				}
				hsts := h.Get("Strict-Transport-Security")
				if tc.wantHSTS != strings.Contains(hsts, "max-age=") {
					t.Errorf("status %d: HSTS %q, want it %v", r.status, hsts, tc.wantHSTS)
				}
			}
		})
	}
}

// TestPages_NoInlineScriptOrStyle keeps pages compatible with the CSP: a
// page with inline code would break under it.
func TestPages_NoInlineScriptOrStyle(t *testing.T) {
	app := newTestApp(t, "", true)
	v := app.newVoter()
	m := v.matchup()
	pages := map[string]string{
		"arena":  string(v.get("/").body),
		"error":  string(v.get("/nope").body),
		"reveal": string(v.do(http.MethodPost, "/matchups/"+m.ID+"/vote", "application/x-www-form-urlencoded", strings.NewReader("choice=a")).body),
	}
	for name, body := range pages {
		low := strings.ToLower(body)
		for _, bad := range []string{"<script>", "<style", " style=", " onclick=", " onload=", "javascript:"} {
			if strings.Contains(low, bad) {
				t.Errorf("%s page contains %q", name, bad)
			}
		}
		if strings.Count(low, "<script") != strings.Count(low, "<script src=") {
			t.Errorf("%s page has a script without src", name)
		}
	}
}
