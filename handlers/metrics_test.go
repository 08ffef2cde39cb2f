package handlers

import (
	"net/http"
	"strings"
	"testing"
)

func TestMetrics_CountsTheVotingCycle(t *testing.T) {
	app := newTestApp(t, "", true)
	v := app.newVoter()
	for range 3 {
		m := v.matchup()
		if r := v.vote(m.ID, "a"); r.status != http.StatusOK {
			t.Fatalf("vote = %d %s", r.status, r.body)
		}
	}
	r := v.get("/metrics")
	if r.status != http.StatusOK {
		t.Fatalf("GET /metrics = %d", r.status)
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Errorf("Content-Type = %q, want Prometheus text format", ct)
	}
	body := string(r.body)
	for _, want := range []string{
		`arena_http_requests_total{method="POST",route="/api/v1/matchups",status="201"} 3`,
		`arena_http_requests_total{method="POST",route="/api/v1/matchups/:id/vote",status="200"} 3`,
		`arena_http_request_duration_seconds_bucket{method="POST",route="/api/v1/matchups",le="+Inf"} 3`,
		`arena_matchups_issued_total 3`,
		`arena_votes_total{reason="",valid="true"} 3`,
		`arena_votes_stored 3`,
		`arena_recompute_duration_seconds_count 0`,
		`go_sql_open_connections{db_name=`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

func TestMetrics_TokenGuardsTheEndpoint(t *testing.T) {
	app := newTestApp(t, "", true)
	app.srv.cfg.MetricsToken = "s3cret"
	v := app.newVoter()
	for _, tc := range []struct {
		name, auth string
		want       int
	}{
		{"no token", "", http.StatusUnauthorized},
		{"wrong token", "Bearer nope", http.StatusUnauthorized},
		{"not bearer", "s3cret", http.StatusUnauthorized},
		{"right token", "Bearer s3cret", http.StatusOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var hdr []string
			if tc.auth != "" {
				hdr = []string{"Authorization", tc.auth}
			}
			r := v.get("/metrics", hdr...)
			if r.status != tc.want {
				t.Fatalf("GET /metrics = %d, want %d", r.status, tc.want)
			}
			if tc.want == http.StatusUnauthorized && r.header.Get("WWW-Authenticate") == "" {
				t.Error("401 without WWW-Authenticate")
			}
		})
	}
}
