package handlers

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/arena-video/arena/models"
	"github.com/arena-video/arena/models/media"
	"github.com/arena-video/arena/models/testdb"
)

// Catalog size of the benchmark: a real arena's 100 models × 500 prompts.
const (
	benchModels  = 100
	benchPrompts = 500
)

// BenchmarkCatalog measures the server time, through the real router, of
// the admin clips page, the admin dashboard and issuing a matchup with a
// catalog of 100 models × 500 prompts = 50,000 clips (rows only: no file is
// transcoded). Targets: clips page under 20 ms, dashboard under 50 ms,
// issuing a matchup under 1 ms. On SQLite by default; with
// ARENA_TEST_POSTGRES_URL set it runs on PostgreSQL too. Run it with
//
//	go test ./handlers/ -run '^$' -bench Catalog -benchtime 2s
func BenchmarkCatalog(b *testing.B) {
	ctx := context.Background()
	dir := b.TempDir()
	dsn := testdb.DSN(b, dir)
	b.Logf("database: %s", testdb.Backend())
	store, err := models.Open(ctx, models.Options{DSN: dsn, Logger: slog.New(slog.DiscardHandler), PasswordCost: bcrypt.MinCost})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { store.Close() })
	blobs, err := media.NewStore(dir, media.StoreOptions{})
	if err != nil {
		b.Fatal(err)
	}
	seedBenchCatalog(b, store)
	if _, err := store.CreateAdmin(ctx, models.Actor{Name: "test"}, testAdminUser, testAdminPassword); err != nil {
		b.Fatal(err)
	}
	srv, err := New(Config{Store: store, Blobs: blobs, SessionKeys: testKeys(), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	do := func(req *http.Request, want int) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		if w.Code != want {
			b.Fatalf("%s %s: status %d, want %d: %.300s", req.Method, req.URL, w.Code, want, w.Body)
		}
		return w
	}
	login := httptest.NewRequest(http.MethodPost, "/admin/login",
		strings.NewReader(url.Values{"username": {testAdminUser}, "password": {testAdminPassword}}.Encode()))
	login.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	admin := do(login, http.StatusSeeOther).Result().Cookies()
	page := func(path string) func() {
		return func() {
			req := httptest.NewRequest(http.MethodGet, path, nil)
			for _, c := range admin {
				req.AddCookie(c)
			}
			do(req, http.StatusOK)
		}
	}
	var voter []*http.Cookie
	issue := func() {
		req := httptest.NewRequest(http.MethodPost, "/api/v1/matchups", strings.NewReader(`{}`))
		req.Header.Set("Content-Type", "application/json")
		for _, c := range voter {
			req.AddCookie(c)
		}
		if w := do(req, http.StatusCreated); voter == nil {
			voter = w.Result().Cookies()
		}
	}
	for _, bc := range []struct {
		name string
		run  func()
	}{
		{"clips_page", page("/admin/clips")},
		{"clips_page_filtered", page("/admin/clips?model=model-042&status=ready&page=3")},
		{"clips_api", page("/api/v1/admin/clips?prompt=250&limit=100")},
		{"dashboard", page("/admin")},
		{"issue_matchup", issue},
	} {
		bc.run() // warm caches the way a running server has them
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				bc.run()
			}
		})
	}
}

// seedBenchCatalog adds benchModels models, benchPrompts prompts and one
// ready clip per model and prompt, written as rows in a few statements.
func seedBenchCatalog(b *testing.B, store *models.Store) {
	ctx := context.Background()
	for i := range benchModels {
		m := models.Model{Slug: fmt.Sprintf("model-%03d", i), Name: fmt.Sprintf("Model %03d", i)}
		if err := store.CreateModel(ctx, &m); err != nil {
			b.Fatal(err)
		}
	}
	for i := range benchPrompts {
		p := models.Prompt{Text: fmt.Sprintf("A prompt about scene %d, with a camera that moves slowly", i), Modality: models.ModalityT2V, Category: fmt.Sprintf("cat-%d", i%10)}
		if err := store.CreatePrompt(ctx, &p); err != nil {
			b.Fatal(err)
		}
	}
	db := store.Pools()["write"]
	ph := func(n int) string { return "?" }
	if db == nil {
		db = store.Pools()["pool"]
		ph = func(n int) string { return fmt.Sprintf("$%d", n) }
	}
	const cols = "public_id, prompt_id, model_id, pool, sha256, blob_key, mime, size, duration_ms, width, height, has_audio, metadata_stripped, active, created_at, status, progress"
	const perRow = 17
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer tx.Rollback()
	now := time.Now().UTC()
	var (
		rows []string
		args []any
	)
	flush := func() {
		if len(rows) == 0 {
			return
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO clips ("+cols+") VALUES "+strings.Join(rows, ","), args...); err != nil {
			b.Fatal(err)
		}
		rows, args = rows[:0], args[:0]
	}
	n := 0
	for p := 1; p <= benchPrompts; p++ {
		for m := 1; m <= benchModels; m++ {
			n++
			marks := make([]string, perRow)
			for i := range marks {
				marks[i] = ph(len(args) + i + 1)
			}
			rows = append(rows, "("+strings.Join(marks, ",")+")")
			sum := fmt.Sprintf("%064x", n)
			args = append(args, models.NewID(), p, m, models.PoolOf(models.ModalityT2V, false), sum, sum, "video/mp4", int64(2_000_000+n%5000),
				int64(5000), 1280, 720, false, true, true, now, models.ClipReady, 100)
			if len(rows) == 500 {
				flush()
			}
		}
	}
	flush()
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}
