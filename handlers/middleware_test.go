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

// TestRequestID_GeneratedOrPassedOn: every answer carries X-Request-Id,
// 32 fresh letters unless the request brought one, and its log line names
// the same id.
func TestRequestID_GeneratedOrPassedOn(t *testing.T) {
	var requests syncBuffer
	app := newConfiguredApp(t, "", true, func(c *Config) {
		c.RequestLogger = slog.New(slog.NewJSONHandler(&requests, nil))
	})
	v := app.newVoter()
	seen := map[string]bool{}
	for _, tc := range []struct {
		name, sent string
	}{
		{"none sent", ""},
		{"none sent again", ""},
		{"sent by a proxy", "proxy-7f3a"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var hdr []string
			if tc.sent != "" {
				hdr = []string{"X-Request-Id", tc.sent}
			}
			r := v.get("/healthz", hdr...)
			id := r.header.Get("X-Request-Id")
			switch {
			case tc.sent != "" && id != tc.sent:
				t.Errorf("X-Request-Id = %q, want the one sent, %q", id, tc.sent)
			case tc.sent == "" && (len(id) != 32 || strings.Trim(id, requestIDLetters) != ""):
				t.Errorf("X-Request-Id = %q, want 32 letters", id)
			case seen[id]:
				t.Errorf("X-Request-Id %q given twice", id)
			}
			seen[id] = true
			if !strings.Contains(requests.String(), `"request_id":"`+id+`"`) {
				t.Errorf("no request line with id %q:\n%s", id, requests.String())
			}
		})
	}
}

// TestRequireJSON_ContentTypes: the API takes JSON however its type is
// spelled, an empty body without a type, and refuses anything else.
func TestRequireJSON_ContentTypes(t *testing.T) {
	app := newTestApp(t, "", true)
	v := app.newVoter()
	for _, tc := range []struct {
		contentType, body string
		want              int
	}{
		{"application/json", "{}", http.StatusCreated},
		{"application/json; charset=utf-8", "{}", http.StatusCreated},
		{"Application/JSON", "{}", http.StatusCreated},
		{"", "", http.StatusCreated},
		{"text/plain", "{}", http.StatusUnsupportedMediaType},
		{"application/jsonx", "{}", http.StatusUnsupportedMediaType},
		{"", "{}", http.StatusUnsupportedMediaType},
	} {
		r := v.do(http.MethodPost, "/api/v1/matchups", tc.contentType, strings.NewReader(tc.body))
		if r.status != tc.want {
			t.Errorf("Content-Type %q, body %q: status %d, want %d: %s", tc.contentType, tc.body, r.status, tc.want, r.body)
		}
	}
}
