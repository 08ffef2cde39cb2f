package handlers

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/arena-video/arena/models"
	"github.com/arena-video/arena/models/media"
	"github.com/arena-video/arena/models/testdb"
	"github.com/arena-video/arena/static"
)

// TestMain runs every handler test on SQLite, and again on PostgreSQL when
// ARENA_TEST_POSTGRES_URL is set.
func TestMain(m *testing.M) { os.Exit(testdb.Main(m)) }

// testApp is the real router on a real database (a SQLite file in a temp dir,
// or a PostgreSQL database of its own), served by httptest, seeded with the
// demo data.
type testApp struct {
	t     *testing.T
	dir   string
	keys  [][]byte
	store *models.Store
	blobs *media.Store
	srv   *Server
	ts    *httptest.Server
}

type appOption func(*models.Options)

func withTTL(d time.Duration) appOption { return func(o *models.Options) { o.MatchupTTL = d } }

func withClock(now func() time.Time) appOption { return func(o *models.Options) { o.Now = now } }

func testKeys() [][]byte {
	return [][]byte{bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 32)}
}

// newTestApp starts an app on dir (a new temp dir when empty), seeding the
// demo data when seed is true.
func newTestApp(t *testing.T, dir string, seed bool, opts ...appOption) *testApp {
	t.Helper()
	return newConfiguredApp(t, dir, seed, nil, opts...)
}

// newConfiguredApp is newTestApp with a hook that edits the server's Config
// (rate limits, proxies, public URL) before it starts.
func newConfiguredApp(t *testing.T, dir string, seed bool, configure func(*Config), opts ...appOption) *testApp {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	o := models.Options{DSN: testdb.DSN(t, dir), Logger: slog.New(slog.DiscardHandler)}
	for _, f := range opts {
		f(&o)
	}
	ctx := context.Background()
	store, err := models.Open(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	blobs, err := media.NewStore(dir, media.StoreOptions{DisableFFmpeg: true})
	if err != nil {
		t.Fatal(err)
	}
	if seed {
		if _, err := static.SeedDemo(ctx, store, blobs); err != nil {
			t.Fatal(err)
		}
	}
	a := &testApp{t: t, dir: dir, keys: testKeys(), store: store, blobs: blobs}
	cfg := Config{Store: store, Blobs: blobs, SessionKeys: a.keys, Logger: slog.New(slog.DiscardHandler), Demo: seed,
		ExportDir: filepath.Join(dir, "export")}
	if configure != nil {
		configure(&cfg)
	}
	a.srv, err = New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	a.ts = httptest.NewServer(a.srv)
	t.Cleanup(a.close)
	return a
}

func (a *testApp) close() {
	if a.ts != nil {
		a.ts.Close()
		a.ts = nil
	}
	if a.store != nil {
		a.store.Close()
		a.store = nil
	}
}

// voter is a browser-like client with its own cookie jar.
type voter struct {
	t      *testing.T
	app    *testApp
	client *http.Client
}

func (a *testApp) newVoter() *voter {
	jar, _ := cookiejar.New(nil)
	return &voter{t: a.t, app: a, client: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %q: %v", r.body, err)
	}
}

func (r response) errorMessage(t *testing.T) string {
	t.Helper()
	var e struct {
		Error string `json:"error"`
	}
	r.json(t, &e)
	if e.Error == "" {
		t.Fatalf("error response without a message: %s", r.body)
	}
	return e.Error
}

func (v *voter) do(method, path, contentType string, body io.Reader, hdr ...string) response {
	v.t.Helper()
	r, err := v.send(method, path, contentType, body, hdr...)
	if err != nil {
		v.t.Fatal(err)
	}
	return r
}

// send is do for requests sent from goroutines of their own, which must
// not stop the test (only the test's goroutine may): it returns the error
// of a request that got no response, for the test to count and report.
func (v *voter) send(method, path, contentType string, body io.Reader, hdr ...string) (response, error) {
	req, err := http.NewRequest(method, v.app.ts.URL+path, body)
	if err != nil {
		return response{}, err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := v.client.Do(req)
	if err != nil {
		return response{}, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return response{}, err
	}
	return response{status: res.StatusCode, header: res.Header, body: b}, nil
}

func (v *voter) get(path string, hdr ...string) response {
	return v.do(http.MethodGet, path, "", nil, hdr...)
}

func (v *voter) postJSON(path, body string, hdr ...string) response {
	return v.do(http.MethodPost, path, "application/json", strings.NewReader(body), hdr...)
}

// matchup asks for a matchup and fails the test unless it gets one.
func (v *voter) matchup() matchupJSON {
	v.t.Helper()
	r := v.postJSON("/api/v1/matchups", "")
	if r.status != http.StatusCreated {
		v.t.Fatalf("POST /api/v1/matchups = %d %s", r.status, r.body)
	}
	var m matchupJSON
	r.json(v.t, &m)
	return m
}

func (v *voter) vote(id, choice string) response {
	return v.postJSON("/api/v1/matchups/"+id+"/vote", `{"choice":"`+choice+`"}`)
}
