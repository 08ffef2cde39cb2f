package handlers

import (
	"bytes"
	"context"
	"encoding/binary"
	"io/fs"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/arena-video/arena/models"
	"github.com/arena-video/arena/models/media"
	"github.com/arena-video/arena/models/media/s3test"
	"github.com/arena-video/arena/models/testclock"
	"github.com/arena-video/arena/models/testdb"
)

const (
	testAdminUser     = "root"
	testAdminPassword = "correct horse battery"
)

// adminApp is the real router on a real SQLite file with one admin, a clock
// the test moves, and a counter of recompute requests.
type adminApp struct {
	*testApp
	clock      *testclock.Clock
	recomputes atomic.Int32 // recomputes asked for by hand or by a finished rendition
	// profile, when set, is the rendition profile of every render from then
	// on: how a test changes the profile of a running server, as an
	// operator does by restarting it with new settings.
	profile *atomic.Pointer[media.Profile]
}

// reprofiled renders with the profile a test set, else with the one asked
// for.
type reprofiled struct {
	*media.Store
	profile *atomic.Pointer[media.Profile]
}

func (r reprofiled) Render(ctx context.Context, key string, src media.Source, p media.Profile, progress media.Progress) (media.Rendition, error) {
	if q := r.profile.Load(); q != nil {
		audio := p.Audio
		p = *q
		p.Audio = audio
	}
	return r.Store.Render(ctx, key, src, p, progress)
}

type adminOptions struct {
	maxUpload int64 // 0: the default
	noFFmpeg  bool  // run as if ffmpeg were not installed
	proxies   bool  // trust X-Forwarded-For from the test client
	// suiteDB runs on the suite's database (PostgreSQL too when the suite
	// re-runs there) instead of always on a SQLite file.
	suiteDB bool
	// bucket keeps every file in the S3 test bucket instead of the data
	// directory (skipping the test without ARENA_TEST_S3_URL).
	bucket bool
}

func newAdminApp(t *testing.T, o adminOptions) *adminApp {
	t.Helper()
	dir := t.TempDir()
	clock := testclock.New(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	ctx := context.Background()
	dsn := filepath.Join(dir, "arena.db")
	if o.suiteDB {
		dsn = testdb.DSN(t, dir)
	}
	store, err := models.Open(ctx, models.Options{DSN: dsn, Logger: slog.New(slog.DiscardHandler), Now: clock.Now,
		PasswordCost: bcrypt.MinCost})
	if err != nil {
		t.Fatal(err)
	}
	so := media.StoreOptions{DisableFFmpeg: o.noFFmpeg}
	if o.bucket {
		so.Blobs = s3test.Store(t)
	}
	blobs, err := media.NewStore(dir, so)
	if err != nil {
		t.Fatal(err)
	}
	// The real job queue, polling often so tests wait little.
	var a *adminApp
	profile := new(atomic.Pointer[media.Profile])
	tc := models.NewTranscoder(store, reprofiled{blobs, profile}, models.TranscoderOptions{Profile: testProfile(), Poll: 50 * time.Millisecond, Logger: slog.New(slog.DiscardHandler),
		Ready: func() { a.recomputes.Add(1) }})
	if _, err := store.CreateAdmin(ctx, models.Actor{Name: "test"}, testAdminUser, testAdminPassword); err != nil {
		t.Fatal(err)
	}
	a = &adminApp{testApp: &testApp{t: t, dir: dir, keys: testKeys(), store: store, blobs: blobs}, clock: clock, profile: profile}
	cfg := Config{
		Store: store, Blobs: blobs, SessionKeys: a.keys, Logger: slog.New(slog.DiscardHandler),
		MaxUploadBytes: o.maxUpload,
		Recompute:      func() { a.recomputes.Add(1) },
		Now:            clock.Now,
		ExportDir:      filepath.Join(dir, "export"),
		Transcode:      tc.Trigger,
	}
	if o.proxies {
		cfg.TrustedProxies = loopback()
	}
	a.srv, err = New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	a.ts = httptest.NewServer(a.srv)
	t.Cleanup(a.close)
	if !o.noFFmpeg {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() {
			defer close(done)
			tc.Run(ctx)
		}()
		t.Cleanup(func() { cancel(); <-done })
	}
	return a
}

// testProfile is a small rendition, so tests transcode quickly.
func testProfile() media.Profile {
	p := media.DefaultProfile()
	p.BoxWidth, p.BoxHeight, p.Kbps, p.AudioKbps, p.Preset = 320, 180, 400, 64, "superfast"
	return p
}

// needFFmpeg skips a test that needs ffmpeg where it is not installed (CI
// installs it).
func needFFmpeg(t testing.TB) {
	t.Helper()
	for _, p := range []string{"ffmpeg", "ffprobe"} {
		if _, err := exec.LookPath(p); err != nil {
			t.Skipf("%s is not installed: clips cannot be ingested here (CI installs it)", p)
		}
	}
}

// waitReady polls the admin API until the clip's rendition is ready and
// returns the clip; a failed clip fails the test.
func (a *adminApp) waitReady(publicID string) adminClipJSON {
	a.t.Helper()
	tok := a.token()
	deadline := time.Now().Add(60 * time.Second)
	for {
		var c adminClipJSON
		r := a.bare().get("/api/v1/admin/clips/"+publicID, bearer(tok)...)
		if r.status != http.StatusOK {
			a.t.Fatalf("GET clip %s = %d %s", publicID, r.status, r.body)
		}
		r.json(a.t, &c)
		switch {
		case c.Status == models.ClipReady:
			return c
		case c.Status == models.ClipFailed:
			a.t.Fatalf("clip %s failed: %s", publicID, c.Error)
		case time.Now().After(deadline):
			a.t.Fatalf("clip %s still %s at %d%% after 60 s", publicID, c.Status, c.Progress)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// uploadReady uploads data as a clip of model for prompt through the API
// and waits for its rendition.
func (a *adminApp) uploadReady(model string, promptID uint, data []byte) adminClipJSON {
	a.t.Helper()
	needFFmpeg(a.t)
	ct, body := multipartBody(a.t, [][2]string{{"model", model}, {"prompt_id", uintString(promptID)}}, testFile{"file", model + ".mp4", data})
	r := a.bare().do(http.MethodPost, "/api/v1/admin/clips", ct, body, bearer(a.token())...)
	if r.status != http.StatusAccepted {
		a.t.Fatalf("upload = %d %s", r.status, r.body)
	}
	var c adminClipJSON
	r.json(a.t, &c)
	if c.Status != models.ClipProcessing {
		a.t.Fatalf("a new upload is %q, want processing", c.Status)
	}
	c = a.waitReady(c.PublicID)
	return c
}

// waitJobs waits until the clip jobs with the given ids are done; a failed
// job fails the test.
func (a *adminApp) waitJobs(ids []uint) {
	a.t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		jobs, err := a.store.ClipJobsByID(context.Background(), ids)
		if err != nil {
			a.t.Fatal(err)
		}
		done := 0
		for _, j := range jobs {
			switch j.State {
			case models.JobDone:
				done++
			case models.JobFailed:
				a.t.Fatalf("job %d failed: %s", j.ID, j.Error)
			}
		}
		if done == len(ids) {
			return
		}
		if time.Now().After(deadline) {
			a.t.Fatalf("jobs %v not done after 60 s: %+v", ids, jobs)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// publicIDOf returns the public id in a clip's media URL.
func publicIDOf(u string) string {
	path, _, _ := strings.Cut(u, "?")
	return strings.TrimPrefix(path, "/media/")
}

// client is a browser that does not follow redirects, so tests see them.
func (a *adminApp) client() *voter {
	jar, _ := cookiejar.New(nil)
	return &voter{t: a.t, app: a.testApp, client: &http.Client{
		Jar: jar, Timeout: 60 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// bare is a client without cookies: it sends only the headers a test gives.
func (a *adminApp) bare() *voter {
	return &voter{t: a.t, app: a.testApp, client: &http.Client{
		Timeout:       60 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

func (v *voter) postForm(path string, vals url.Values, hdr ...string) response {
	return v.do(http.MethodPost, path, "application/x-www-form-urlencoded", strings.NewReader(vals.Encode()), hdr...)
}

// login signs the client in and fails the test unless that works.
func (a *adminApp) login() *voter {
	a.t.Helper()
	v := a.client()
	r := v.postForm("/admin/login", url.Values{"username": {testAdminUser}, "password": {testAdminPassword}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/admin" {
		a.t.Fatalf("login = %d %s", r.status, r.body)
	}
	return v
}

// token makes an API token for the test admin.
func (a *adminApp) token() string {
	a.t.Helper()
	tok, err := a.store.CreateAdminToken(context.Background(), models.Actor{Name: "test"}, testAdminUser)
	if err != nil {
		a.t.Fatal(err)
	}
	return tok
}

func bearer(tok string) []string { return []string{"Authorization", "Bearer " + tok} }

// adminCookie returns the value of the admin cookie a response set.
func adminCookie(r response) string {
	for _, c := range (&http.Response{Header: r.header}).Cookies() {
		if c.Name == adminSessionName {
			return c.Value
		}
	}
	return ""
}

// testFile describes one file of a test upload.
type testFile struct {
	field, name string
	data        []byte
}

// multipartBody builds a multipart/form-data body: fields in order, then
// files.
func multipartBody(t testing.TB, fields [][2]string, files ...testFile) (string, *bytes.Buffer) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for _, f := range fields {
		if err := w.WriteField(f[0], f[1]); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range files {
		fw, err := w.CreateFormFile(f.field, f.name)
		if err != nil {
			t.Fatal(err)
		}
		fw.Write(f.data)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return w.FormDataContentType(), &buf
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// withFreeBox appends an ISO BMFF "free" box holding n bytes of tag to an
// MP4: still a valid clip, but with different bytes, so tests can make as
// many distinct clips as they need.
func withFreeBox(mp4 []byte, tag byte, n int) []byte {
	box := make([]byte, 8+n)
	binary.BigEndian.PutUint32(box, uint32(8+n))
	copy(box[4:], "free")
	for i := 8; i < len(box); i++ {
		box[i] = tag
	}
	return append(append([]byte(nil), mp4...), box...)
}

// dataFiles lists the files under dir/sub, relative to dir, sorted.
func dataFiles(t testing.TB, dir, sub string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(filepath.Join(dir, sub), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		out = append(out, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(out)
	return out
}

// seedCatalog adds two models and a t2v prompt through the store.
func (a *adminApp) seedCatalog() (alpha, beta models.Model, prompt models.Prompt) {
	a.t.Helper()
	ctx := context.Background()
	alpha = models.Model{Slug: "alpha", Name: "Alpha"}
	beta = models.Model{Slug: "beta", Name: "Beta"}
	prompt = models.Prompt{Text: "A red kite over a beach", Category: "nature", Modality: models.ModalityT2V}
	for _, m := range []*models.Model{&alpha, &beta} {
		if err := a.store.CreateModel(ctx, m); err != nil {
			a.t.Fatal(err)
		}
	}
	if err := a.store.CreatePrompt(ctx, &prompt); err != nil {
		a.t.Fatal(err)
	}
	return alpha, beta, prompt
}

// webAudit returns the audit log, newest first, without the entries of the
// test's own set-up (the admin and token it creates as "test").
func webAudit(t *testing.T, store *models.Store) []models.AuditEntry {
	t.Helper()
	es, err := store.ListAudit(context.Background(), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []models.AuditEntry
	for _, e := range es {
		if e.Actor != "test" {
			out = append(out, e)
		}
	}
	return out
}
