package handlers

import (
	"io/fs"
	"net/http"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// dataDirListing lists every file in the data dir with its size, except
// SQLite's shared-memory index, which readers touch.
func dataDirListing(t *testing.T, dir string) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, "-shm") {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out[rel] = info.Size()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestBadInput_EveryEndpointRefusesCleanly sends malformed, oversized,
// hostile and nonsensical requests to every endpoint. Each must get the
// right status and a message a person can act on, must never show markup
// unescaped, and must leave the database and the data dir exactly as they
// were.
func TestBadInput_EveryEndpointRefusesCleanly(t *testing.T) {
	app := newTestApp(t, "", true)
	v := app.newVoter()
	m := v.matchup() // a live matchup of this voter, for the vote routes
	vote := "/api/v1/matchups/" + m.ID + "/vote"
	form := "/matchups/" + m.ID + "/vote"
	const (
		js   = "application/json"
		fm   = "application/x-www-form-urlencoded"
		xss  = `<script>alert(1)</script>`
		sqli = `' OR 1=1; DROP TABLE matchups; --`
	)
	long := strings.Repeat("A", 2000)
	cases := []struct {
		name, method, path, ct, body string
		hdr                          []string
		want                         int
		msg                          string
	}{
		// POST /api/v1/matchups
		{"matchup: malformed JSON", "POST", "/api/v1/matchups", js, `{"pool":`, nil, 400, "malformed JSON"},
		{"matchup: JSON null", "POST", "/api/v1/matchups", js, `null`, nil, 400, "JSON object"},
		{"matchup: JSON array", "POST", "/api/v1/matchups", js, `[{"pool":"t2v"}]`, nil, 400, "JSON object"},
		{"matchup: bare string", "POST", "/api/v1/matchups", js, `"t2v"`, nil, 400, "JSON object"},
		{"matchup: unknown field", "POST", "/api/v1/matchups", js, `{"pool":"t2v","model":"x"}`, nil, 400, "unknown field"},
		{"matchup: unknown filter", "POST", "/api/v1/matchups", js, `{"sort":"score"}`, nil, 400, "unknown field"},
		{"matchup: number as pool", "POST", "/api/v1/matchups", js, `{"pool":5}`, nil, 400, "malformed JSON"},
		{"matchup: huge number", "POST", "/api/v1/matchups", js, `{"pool":1e999}`, nil, 400, "malformed JSON"},
		{"matchup: unknown pool", "POST", "/api/v1/matchups", js, `{"pool":"t2v-4k"}`, nil, 400, "unknown pool"},
		{"matchup: script as pool", "POST", "/api/v1/matchups", js, `{"pool":"` + xss + `"}`, nil, 400, "unknown pool"},
		{"matchup: NUL in pool", "POST", "/api/v1/matchups", js, `{"pool":"t2v\u0000"}`, nil, 400, "unknown pool"},
		{"matchup: NUL in category", "POST", "/api/v1/matchups", js, `{"category":"a\u0000b"}`, nil, 400, "category"},
		{"matchup: script as category", "POST", "/api/v1/matchups", js, `{"category":"` + xss + `"}`, nil, 400, "unknown category"},
		{"matchup: SQL as category", "POST", "/api/v1/matchups", js, `{"category":"` + sqli + `"}`, nil, 400, "unknown category"},
		{"matchup: category too long", "POST", "/api/v1/matchups", js, `{"category":"` + strings.Repeat("c", 65) + `"}`, nil, 400, "64 characters"},
		{"matchup: invalid UTF-8", "POST", "/api/v1/matchups", js, "{\"pool\":\"\xff\xfe\"}", nil, 400, "unknown pool"},
		{"matchup: deep nesting", "POST", "/api/v1/matchups", js, `{"pool":` + strings.Repeat("[", 5000) + strings.Repeat("]", 5000) + `}`, nil, 400, "malformed JSON"},
		{"matchup: trailing data", "POST", "/api/v1/matchups", js, `{} {}`, nil, 400, "exactly one"},
		{"matchup: over 64 KB", "POST", "/api/v1/matchups", js, `{"category":"` + strings.Repeat("x", 70<<10) + `"}`, nil, 413, "too large"},
		{"matchup: text/plain", "POST", "/api/v1/matchups", "text/plain", `{}`, nil, 415, "application/json"},
		{"matchup: multipart", "POST", "/api/v1/matchups", "multipart/form-data; boundary=x", "--x--", nil, 415, "application/json"},
		{"matchup: JSON look-alike type", "POST", "/api/v1/matchups", "application/jsonp", `{}`, nil, 415, "application/json"},
		{"matchup: cross-site", "POST", "/api/v1/matchups", js, `{}`, []string{"Sec-Fetch-Site", "cross-site"}, 403, "cross-origin"},
		{"matchup: GET", "GET", "/api/v1/matchups", "", "", nil, 405, "method"},

		// POST /api/v1/matchups/{id}/vote
		{"vote: empty body", "POST", vote, js, ``, nil, 400, "JSON object"},
		{"vote: null choice", "POST", vote, js, `{"choice":null}`, nil, 400, "choice"},
		{"vote: number choice", "POST", vote, js, `{"choice":1}`, nil, 400, "malformed JSON"},
		{"vote: negative choice", "POST", vote, js, `{"choice":-1}`, nil, 400, "malformed JSON"},
		{"vote: capital A", "POST", vote, js, `{"choice":"A"}`, nil, 400, "choice"},
		{"vote: a stray closing brace after the object", "POST", vote, js, `{"Choice":"a"}}`, nil, 400, "exactly one"},
		{"matchup: a stray closing bracket after the object", "POST", "/api/v1/matchups", js, `{"pool":"t2v"}]`, nil, 400, "exactly one"},
		{"vote: script as choice", "POST", vote, js, `{"choice":"` + xss + `"}`, nil, 400, "choice"},
		{"vote: SQL as choice", "POST", vote, js, `{"choice":"` + sqli + `"}`, nil, 400, "choice"},
		{"vote: extra field", "POST", vote, js, `{"choice":"a","valid":true}`, nil, 400, "unknown field"},
		{"vote: duplicate key", "POST", vote, js, `{"choice":"a","choice":"x"}`, nil, 400, "choice"},
		{"vote: form body", "POST", vote, fm, `choice=a`, nil, 415, "application/json"},
		{"vote: NUL in id", "POST", "/api/v1/matchups/AAAAAAAAAAAAAAAAAAAA%00A/vote", js, `{"choice":"a"}`, nil, 404, "no matchup"},
		{"vote: very long id", "POST", "/api/v1/matchups/" + long + "/vote", js, `{"choice":"a"}`, nil, 404, "no matchup"},
		{"vote: traversal id", "POST", "/api/v1/matchups/..%2f..%2f..%2fetc%2fpasswd/vote", js, `{"choice":"a"}`, nil, 404, ""},
		{"vote: SQL id", "POST", "/api/v1/matchups/'%20OR%20'1'='1/vote", js, `{"choice":"a"}`, nil, 404, "no matchup"},
		{"vote: GET", "GET", vote, "", "", nil, 405, "method"},

		// POST /matchups/{id}/vote (the plain form)
		{"form: no choice", "POST", form, fm, ``, nil, 400, "choose"},
		{"form: script as choice", "POST", form, fm, "choice=" + xss, nil, 400, "choose"},
		{"form: SQL as choice", "POST", form, fm, "choice=" + sqli, nil, 400, "choose"},
		{"form: script as id", "POST", "/matchups/%3Cscript%3Ealert(1)%3C%2Fscript%3E/vote", fm, "choice=a", nil, 404, "not issued to you"},
		{"form: traversal id", "POST", "/matchups/..%2f..%2farena.db/vote", fm, "choice=a", nil, 404, "not issued to you"},
		{"form: body over 16 KB", "POST", form, fm, "choice=a&x=" + strings.Repeat("y", 20<<10), nil, 413, "too large"},
		{"form: cross-site", "POST", form, fm, "choice=a", []string{"Origin", "https://evil.example"}, 403, "cross-origin"},

		// GET /media/{id} and the prompt image
		{"media: traversal", "GET", "/media/..%2f..%2farena.db", "", "", nil, 404, "no clip"},
		{"media: dotted traversal", "GET", "/media/%2e%2e%2fsession.keys", "", "", nil, 404, "no clip"},
		{"media: blob path", "GET", "/media/blobs%2f00", "", "", nil, 404, "no clip"},
		{"media: NUL", "GET", "/media/AAAAAAAAAAAAAAAAAAAAA%00", "", "", nil, 404, "no clip"},
		{"media: very long id", "GET", "/media/" + long, "", "", nil, 404, "no clip"},
		{"media: script id", "GET", "/media/%3Cscript%3E", "", "", nil, 404, "no clip"},
		{"media: HEAD traversal", "HEAD", "/media/..%2f..%2farena.db", "", "", nil, 404, ""},
		{"media: POST", "POST", m.A.VideoURL, js, `{}`, nil, 405, "method"},
		{"media: bad range", "GET", m.A.VideoURL, "", "", []string{"Range", "bytes=999999999-"}, 416, ""},
		{"prompt image: negative id", "GET", "/media/prompts/-1/image", "", "", nil, 404, "no prompt"},
		{"prompt image: huge id", "GET", "/media/prompts/99999999999999999999999/image", "", "", nil, 404, "no prompt"},
		{"prompt image: hex id", "GET", "/media/prompts/0x1/image", "", "", nil, 404, "no prompt"},
		{"prompt image: traversal", "GET", "/media/prompts/..%2f..%2farena.db/image", "", "", nil, 404, "no prompt"},

		// GET /static/*
		{"static: dot-dot", "GET", "/static/../arena.db", "", "", nil, 404, "no such file"},
		{"static: encoded dot-dot", "GET", "/static/..%2f..%2fgo.mod", "", "", nil, 404, "no such file"},
		{"static: dotted encoding", "GET", "/static/%2e%2e/%2e%2e/etc/passwd", "", "", nil, 404, "no such file"},
		{"static: climb out of css", "GET", "/static/css/../../templates/layout.html", "", "", nil, 404, "no such file"},
		{"static: NUL", "GET", "/static/css/arena.css%00.html", "", "", nil, 404, "no such file"},
		{"static: directory", "GET", "/static/css", "", "", nil, 404, "no such file"},

		// Leaderboard and exports: unknown filters and nonsense numbers.
		{"leaderboard: unknown pool", "GET", "/api/v1/leaderboard?pool=t2v-4k", "", "", nil, 400, "pool"},
		{"leaderboard: script pool", "GET", "/api/v1/leaderboard?pool=%3Cscript%3Ealert(1)%3C/script%3E", "", "", nil, 400, "pool"},
		{"leaderboard: SQL category", "GET", "/api/v1/leaderboard?category=%27%20OR%201%3D1%3B%20DROP%20TABLE%20matchups%3B%20--", "", "", nil, 400, "category"},
		{"leaderboard: negative min_votes", "GET", "/api/v1/leaderboard?min_votes=-1", "", "", nil, 400, "min_votes"},
		{"leaderboard: huge min_votes", "GET", "/api/v1/leaderboard?min_votes=99999999999999999999999", "", "", nil, 400, "min_votes"},
		{"leaderboard: word min_votes", "GET", "/api/v1/leaderboard?min_votes=lots", "", "", nil, 400, "min_votes"},
		{"leaderboard: bad retired", "GET", "/api/v1/leaderboard?retired=maybe", "", "", nil, 400, "retired"},
		{"leaderboard CSV: unknown pool", "GET", "/api/v1/leaderboard.csv?pool=nope", "", "", nil, 400, "pool"},
		{"leaderboard page: unknown pool", "GET", "/leaderboard?pool=%3Cscript%3Ealert(1)%3C/script%3E", "", "", nil, 400, "pool"},
		{"leaderboard page: negative min_votes", "GET", "/leaderboard?min_votes=-5", "", "", nil, 400, "min_votes"},
		{"votes export: POST", "POST", "/api/v1/votes.jsonl", js, `{}`, nil, 405, "method"},

		// Everything else
		{"health: POST", "POST", "/healthz", js, `{}`, nil, 405, "method"},
		{"unknown page with script", "GET", "/%3Cscript%3Ealert(1)%3C/script%3E", "", "", nil, 404, "nothing here"},
		{"long URL", "GET", "/media/" + strings.Repeat("x", MaxURLBytes), "", "", nil, 414, "too long"},
		{"long query on the API", "POST", "/api/v1/matchups?q=" + strings.Repeat("x", MaxURLBytes), js, `{}`, nil, 414, "too long"},
	}
	rows := app.rowCounts()
	files := dataDirListing(t, app.dir)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := v.do(tc.method, tc.path, tc.ct, strings.NewReader(tc.body), tc.hdr...)
			if r.status != tc.want {
				t.Fatalf("status %d, want %d: %.300s", r.status, tc.want, r.body)
			}
			body := string(r.body)
			switch {
			case tc.method == http.MethodHead:
			case strings.HasPrefix(tc.path, "/api/"):
				if msg := r.errorMessage(t); !strings.Contains(msg, tc.msg) {
					t.Errorf("message %q lacks %q", msg, tc.msg)
				}
			case tc.want == http.StatusRequestedRangeNotSatisfiable:
			default:
				if !strings.Contains(r.header.Get("Content-Type"), "text/html") || !strings.Contains(body, tc.msg) {
					t.Errorf("want an HTML page saying %q, got %s: %.300s", tc.msg, r.header.Get("Content-Type"), body)
				}
			}
			if strings.Contains(body, "<script>alert") {
				t.Errorf("response shows markup live: %.300s", body)
			}
			if got := app.rowCounts(); !reflect.DeepEqual(got, rows) {
				t.Errorf("database changed: %v -> %v", rows, got)
			}
			if got := dataDirListing(t, app.dir); !reflect.DeepEqual(got, files) {
				t.Errorf("data dir changed: %v -> %v", files, got)
			}
		})
	}
	if len(cases) < 40 {
		t.Fatalf("only %d cases", len(cases))
	}
	// After all that, the voter's matchup still takes its one vote.
	if r := v.vote(m.ID, "tie"); r.status != http.StatusOK {
		t.Fatalf("vote after the bad inputs = %d %s", r.status, r.body)
	}
}
