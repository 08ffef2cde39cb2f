package handlers

import (
	"context"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/arena-video/arena/static"
)

// TestBadInput_AdminEndpointsRefuseCleanly is the bad-input suite for the
// admin pages and API: without credentials, with forged ones, and signed in
// with malformed, hostile or nonsensical input. Each request must get the
// right status and a message, echo no markup, and leave the database and the
// data dir unchanged.
func TestBadInput_AdminEndpointsRefuseCleanly(t *testing.T) {
	a := newAdminApp(t, adminOptions{})
	if _, err := static.SeedDemo(context.Background(), a.store, a.blobs); err != nil {
		t.Fatal(err)
	}
	tok := bearer(a.token())
	adm := a.login()
	anon := a.bare()
	const (
		js   = "application/json"
		fm   = "application/x-www-form-urlencoded"
		xss  = `<script>alert(1)</script>`
		sqli = `' OR 1=1; DROP TABLE models; --`
	)
	long := strings.Repeat("A", 3000)
	type req struct {
		name, method, path, ct, body string
		hdr                          []string
		as                           *voter
		want                         int
		msg                          string
	}
	api := func(name, method, path, ct, body string, want int, msg string) req {
		return req{name, method, path, ct, body, tok, anon, want, msg}
	}
	cases := []req{
		// No or forged credentials.
		{"no token", "GET", "/api/v1/admin/models", "", "", nil, anon, 401, ""},
		{"SQL as token", "GET", "/api/v1/admin/models", "", "", []string{"Authorization", "Bearer " + sqli}, anon, 401, ""},
		{"huge token", "GET", "/api/v1/admin/models", "", "", []string{"Authorization", "Bearer " + strings.Repeat("x", 6000)}, anon, 401, ""},
		{"basic auth", "GET", "/api/v1/admin/audit", "", "", []string{"Authorization", "Basic cm9vdDpyb290"}, anon, 401, ""},
		{"create model without token", "POST", "/api/v1/admin/models", js, `{"slug":"x","name":"X"}`, nil, anon, 401, ""},
		{"invalidate without token", "POST", "/api/v1/admin/voters/AAAAAAAAAAAAAAAAAAAAAA/invalidate", js, `{"reason":"x"}`, nil, anon, 401, ""},
		{"forged admin cookie", "GET", "/api/v1/admin/models", "", "", []string{"Cookie", "arena_admin=" + long}, anon, 401, ""},
		{"cross-site form with session", "POST", "/admin/models", fm, "slug=x&name=X", []string{"Sec-Fetch-Site", "cross-site"}, adm, 403, "cross-origin"},

		// Models.
		api("model: malformed JSON", "POST", "/api/v1/admin/models", js, `{"slug":`, 400, "malformed JSON"),
		api("model: unknown field", "POST", "/api/v1/admin/models", js, `{"slug":"x","name":"X","admin":true}`, 400, "unknown field"),
		api("model: traversal slug", "POST", "/api/v1/admin/models", js, `{"slug":"../../etc","name":"X"}`, 400, "slug"),
		api("model: script slug", "POST", "/api/v1/admin/models", js, `{"slug":"`+xss+`","name":"X"}`, 400, "slug"),
		api("model: SQL slug", "POST", "/api/v1/admin/models", js, `{"slug":"`+sqli+`","name":"X"}`, 400, "slug"),
		api("model: NUL slug", "POST", "/api/v1/admin/models", js, `{"slug":"a\u0000b","name":"X"}`, 400, "slug"),
		api("model: empty name", "POST", "/api/v1/admin/models", js, `{"slug":"x","name":"  "}`, 400, "name"),
		api("model: long name", "POST", "/api/v1/admin/models", js, `{"slug":"x","name":"`+long+`"}`, 400, "name"),
		api("model: bad date", "POST", "/api/v1/admin/models", js, `{"slug":"x","name":"X","release_date":"2026-13-45"}`, 400, "release_date"),
		api("model: unknown license", "POST", "/api/v1/admin/models", js, `{"slug":"x","name":"X","license":"free"}`, 400, "license"),
		api("model: script homepage", "POST", "/api/v1/admin/models", js, `{"slug":"x","name":"X","homepage":"javascript:alert(1)"}`, 400, "homepage"),
		api("model: duplicate slug", "POST", "/api/v1/admin/models", js, `{"slug":"demo-aurora","name":"X"}`, 409, ""),
		api("model: text body", "POST", "/api/v1/admin/models", "text/plain", `{"slug":"x","name":"X"}`, 415, "application/json"),
		api("model: over 64 KB", "POST", "/api/v1/admin/models", js, `{"slug":"x","name":"`+strings.Repeat("n", 70<<10)+`"}`, 413, "too large"),
		api("model patch: traversal", "PATCH", "/api/v1/admin/models/..%2f..%2fetc", js, `{"active":false}`, 404, ""),
		api("model patch: unknown", "PATCH", "/api/v1/admin/models/no-such-model", js, `{"active":false}`, 404, ""),
		api("model patch: wrong type", "PATCH", "/api/v1/admin/models/demo-aurora", js, `{"active":"no"}`, 400, "malformed JSON"),

		// Prompts.
		api("prompt: text body", "POST", "/api/v1/admin/prompts", "text/plain", `x`, 415, "JSON"),
		api("prompt: unknown modality", "POST", "/api/v1/admin/prompts", js, `{"text":"a cat","modality":"t2a"}`, 400, "modality"),
		api("prompt: empty text", "POST", "/api/v1/admin/prompts", js, `{"text":"","modality":"t2v"}`, 400, "text"),
		api("prompt: long category", "POST", "/api/v1/admin/prompts", js, `{"text":"a cat","modality":"t2v","category":"`+long+`"}`, 400, "category"),
		api("prompt patch: negative id", "PATCH", "/api/v1/admin/prompts/-1", js, `{"active":false}`, 404, ""),
		api("prompt patch: huge id", "PATCH", "/api/v1/admin/prompts/99999999999999999999999", js, `{"active":false}`, 404, ""),
		api("prompt patch: traversal", "PATCH", "/api/v1/admin/prompts/..%2f1", js, `{"active":false}`, 404, ""),

		// Clips.
		api("clip upload: JSON", "POST", "/api/v1/admin/clips", js, `{"file":"x"}`, 415, "multipart"),
		api("clip upload: no file", "POST", "/api/v1/admin/clips", "multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\ndemo-aurora\r\n--b--\r\n", 400, "no file"),
		api("clip upload: text file named like a path", "POST", "/api/v1/admin/clips", "multipart/form-data; boundary=b",
			"--b\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\ndemo-aurora\r\n--b\r\nContent-Disposition: form-data; name=\"prompt_id\"\r\n\r\n1\r\n--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"../../../etc/evil.mp4\"\r\nContent-Type: video/mp4\r\n\r\n#!/bin/sh\nrm -rf /\n\r\n--b--\r\n", 415, ""),
		api("clip patch: traversal", "PATCH", "/api/v1/admin/clips/..%2f..%2farena.db", js, `{"active":false}`, 404, ""),

		// Moderation and reads.
		api("invalidate: long id", "POST", "/api/v1/admin/voters/"+long+"/invalidate", js, `{"reason":"spam"}`, 404, ""),
		api("invalidate: traversal", "POST", "/api/v1/admin/voters/..%2f..%2fetc/invalidate", js, `{"reason":"spam"}`, 404, ""),
		api("invalidate: no reason", "POST", "/api/v1/admin/voters/AAAAAAAAAAAAAAAAAAAAAA/invalidate", js, `{}`, 400, "reason"),
		api("restore: unknown voter", "POST", "/api/v1/admin/voters/AAAAAAAAAAAAAAAAAAAAAA/restore", js, `{"reason":"ok"}`, 404, ""),

		// Pages, signed in.
		{"page: script slug", "POST", "/admin/models", fm, "slug=" + xss + "&name=X", nil, adm, 400, "slug"},
		{"page: unknown model", "GET", "/admin/models/%3Cscript%3E", "", "", nil, adm, 404, ""},
		{"page: form body as JSON", "POST", "/admin/prompts", js, `{"text":"x"}`, nil, adm, 400, ""},
	}
	rows := a.rowCounts()
	files := dataDirListing(t, a.dir)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.as.do(tc.method, tc.path, tc.ct, strings.NewReader(tc.body), tc.hdr...)
			if r.status != tc.want {
				t.Fatalf("status %d, want %d: %.300s", r.status, tc.want, r.body)
			}
			body := string(r.body)
			if strings.HasPrefix(tc.path, "/api/") {
				if msg := r.errorMessage(t); !strings.Contains(msg, tc.msg) {
					t.Errorf("message %q lacks %q", msg, tc.msg)
				}
			} else if !strings.Contains(body, tc.msg) {
				t.Errorf("page lacks %q: %.300s", tc.msg, body)
			}
			if strings.Contains(body, "<script>alert") {
				t.Errorf("response shows markup live: %.300s", body)
			}
			if got := a.rowCounts(); !reflect.DeepEqual(got, rows) {
				t.Errorf("database changed: %v -> %v", rows, got)
			}
			if got := dataDirListing(t, a.dir); !reflect.DeepEqual(got, files) {
				t.Errorf("data dir changed: %v -> %v", files, got)
			}
		})
	}
	if r := anon.get("/admin"); r.status != http.StatusSeeOther {
		t.Errorf("GET /admin without a session = %d, want a redirect to the login", r.status)
	}
}
