package handlers

import (
	"log/slog"
	"net/http"
	"strings"
	"testing"
)

// TestRequestLog_OneLinePerRequestToItsOwnLogger: each request is logged
// once, to Config.RequestLogger when one is set and to Logger otherwise,
// with its route and status and never its cookie.
func TestRequestLog_OneLinePerRequestToItsOwnLogger(t *testing.T) {
	for _, tc := range []struct {
		name       string
		ownRequest bool
	}{
		{"request logger set", true},
		{"request logger nil", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var server, requests syncBuffer
			app := newConfiguredApp(t, "", true, func(c *Config) {
				c.Logger = slog.New(slog.NewJSONHandler(&server, nil))
				if tc.ownRequest {
					c.RequestLogger = slog.New(slog.NewJSONHandler(&requests, nil))
				}
			})
			v := app.newVoter()
			m := v.matchup()
			if r := v.vote(m.ID, "a"); r.status != http.StatusOK {
				t.Fatalf("vote = %d %s", r.status, r.body)
			}
			want, other := &requests, &server
			if !tc.ownRequest {
				want, other = &server, &requests
			}
			log := want.String()
			for _, line := range []string{
				`"msg":"request","method":"POST","route":"/api/v1/matchups","status":201`,
				`"msg":"request","method":"POST","route":"/api/v1/matchups/:id/vote","status":200`,
			} {
				if n := strings.Count(log, line); n != 1 {
					t.Errorf("%d lines with %s, want 1:\n%s", n, line, log)
				}
			}
			if tc.ownRequest && strings.Contains(other.String(), `"msg":"request"`) {
				t.Errorf("request lines in the server's log:\n%s", other.String())
			}
			for _, c := range v.client.Jar.Cookies(mustURL(t, app.ts.URL)) {
				if strings.Contains(log, c.Value) {
					t.Errorf("cookie %s logged", c.Name)
				}
			}
		})
	}
}
