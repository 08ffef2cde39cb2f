package e2e

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"golang.org/x/crypto/bcrypt"

	"github.com/arena-video/arena/handlers"
	"github.com/arena-video/arena/models"
	"github.com/arena-video/arena/models/leaderboard"
	"github.com/arena-video/arena/models/media"
	"github.com/arena-video/arena/static"
)

// chromiumPath is where Debian installs Chromium; the suite drives that
// browser and never downloads one.
const chromiumPath = "/usr/bin/chromium"

// stepTimeout bounds one browser step, so a broken page fails the test in
// seconds instead of hanging the suite.
const stepTimeout = 20 * time.Second

// minWatch is the watch time before a vote in the browser tests: shorter
// than the demo clips, so a vote unlocks by time, not by playing through.
const minWatch = 1500 * time.Millisecond

// site is the real Arena server, on a SQLite file in a temp dir.
type site struct {
	URL    string
	Store  *models.Store
	Blobs  *media.Store
	Boards *leaderboard.Boards
	Models []models.Model
}

// startSite serves Arena over httptest, seeded with the demo data when seed
// is true. watch overrides minWatch, for tests that vote through the API
// faster than a person watches.
func startSite(t *testing.T, seed bool, watch ...time.Duration) *site {
	t.Helper()
	wait := minWatch
	if len(watch) > 0 {
		wait = watch[0]
	}
	dir := t.TempDir()
	ctx := context.Background()
	// The cheapest bcrypt cost keeps an admin's sign-in quick under -race.
	store, err := models.Open(ctx, models.Options{DSN: filepath.Join(dir, "arena.db"), Logger: slog.New(slog.DiscardHandler), PasswordCost: bcrypt.MinCost, MinWatch: wait})
	if err != nil {
		t.Fatal(err)
	}
	blobs, err := media.NewStore(dir, media.StoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if seed {
		if _, err := static.SeedDemo(ctx, store, blobs); err != nil {
			t.Fatal(err)
		}
	}
	// The real job queue: uploads become renditions as on a server.
	profile := media.DefaultProfile()
	profile.BoxWidth, profile.BoxHeight, profile.Kbps, profile.AudioKbps, profile.Preset = 640, 360, 800, 96, "superfast"
	tc := models.NewTranscoder(store, blobs, models.TranscoderOptions{Profile: profile, Poll: 100 * time.Millisecond, Logger: slog.New(slog.DiscardHandler)})
	boards := leaderboard.New(store, leaderboard.Options{})
	srv, err := handlers.New(handlers.Config{
		Store:            store,
		Boards:           boards,
		Blobs:            blobs,
		SessionKeys:      [][]byte{[]byte(strings.Repeat("h", 32)), []byte(strings.Repeat("e", 32))},
		Logger:           slog.New(slog.DiscardHandler),
		Demo:             seed,
		Transcode:        tc.Trigger,
		RenditionProfile: profile.String(),
	})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	tctx, stopTranscoder := context.WithCancel(ctx)
	transcoderDone := make(chan struct{})
	go func() {
		defer close(transcoderDone)
		tc.Run(tctx)
	}()
	t.Cleanup(func() {
		ts.Close()
		stopTranscoder()
		<-transcoderDone
		store.Close()
	})
	ms, err := store.ListModels(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return &site{URL: ts.URL, Store: store, Blobs: blobs, Boards: boards, Models: ms}
}

// browser is one Chromium tab driven by a test.
type browser struct {
	t   *testing.T
	ctx context.Context
}

// newBrowser starts a fresh headless Chromium with its own profile, or skips
// the test when Chromium is not installed.
func newBrowser(t *testing.T) *browser {
	t.Helper()
	if testing.Short() {
		t.Skip("browser tests are skipped with -short")
	}
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skipf("Chromium is not installed at %s; install it (apt-get install chromium) to run the browser tests", chromiumPath)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("autoplay-policy", "no-user-gesture-required"),
		chromedp.Flag("mute-audio", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 800),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	b := &browser{t: t, ctx: ctx}
	// The first run starts the browser; it must not carry a timeout, which
	// would end the browser with it.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	b.do(chromedp.EmulateViewport(1280, 800))
	return b
}

// do runs steps in order and fails the test on the first error.
func (b *browser) do(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.t.Fatalf("browser: %v", err)
	}
}

// eval evaluates a JavaScript expression in the page and decodes its value
// into v; a promise is awaited.
func (b *browser) eval(js string, v any) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](js, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("evaluate %q: %v", js, err)
	}
	if v == nil {
		return
	}
	if err := json.Unmarshal(raw, v); err != nil {
		b.t.Fatalf("evaluate %q: decode %s: %v", js, raw, err)
	}
}

func (b *browser) evalString(js string) string {
	b.t.Helper()
	var s string
	b.eval(js, &s)
	return s
}

func (b *browser) evalBool(js string) bool {
	b.t.Helper()
	var ok bool
	b.eval(js, &ok)
	return ok
}

func (b *browser) evalFloat(js string) float64 {
	b.t.Helper()
	var f float64
	b.eval(js, &f)
	return f
}

// waitFor polls a JavaScript condition until it holds, failing the test with
// what after timeout. A page that navigates meanwhile is polled again.
func (b *browser) waitFor(what, js string, timeout time.Duration) {
	b.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		left := time.Until(deadline)
		ctx, cancel := context.WithTimeout(b.ctx, left+5*time.Second)
		_, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(left), chromedp.WithPollingInterval(50*time.Millisecond)))
		cancel()
		if err == nil {
			return
		}
		if !navigated(err) || time.Now().After(deadline) {
			b.t.Fatalf("waiting for %s (%s): %v", what, js, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// navigated reports whether an evaluation failed because the page went
// away under it, as it does after a form post.
func navigated(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "navigated or closed") || strings.Contains(msg, "context was destroyed") || strings.Contains(msg, "Cannot find context")
}

// open loads a page and waits for it to finish loading.
func (b *browser) open(url string) {
	b.t.Helper()
	b.do(chromedp.Navigate(url))
}

// press sends one key, as a keyboard would, to whatever has focus.
func (b *browser) press(key string) {
	b.t.Helper()
	b.do(chromedp.KeyEvent(key))
}

// click clicks the first element matching a CSS selector, as a mouse
// would, once the page has stopped scrolling: the arena scrolls smoothly to
// each new matchup and to the reveal, and a click aimed while the page moves
// lands beside its button.
func (b *browser) click(css string) {
	b.t.Helper()
	b.waitFor("the page to stop scrolling", `(() => {
		const y = window.scrollY, still = window.__arenaLastScrollY === y;
		window.__arenaLastScrollY = y;
		return still;
	})()`, 10*time.Second)
	b.do(chromedp.Click(chromedp.CSS(css)))
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// jsArray quotes strings as a JavaScript array literal.
func jsArray(ss []string) string {
	b, _ := json.Marshal(ss)
	return string(b)
}

func strconvFloat(f float64) string { return strconv.FormatFloat(f, 'f', 6, 64) }

// attr reads an attribute of the first element matching a CSS selector
// through the DOM, so it works with scripts off.
func (b *browser) attr(sel, name string) (string, bool) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	r, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(sel), name))
	if err != nil {
		b.t.Fatalf("attribute %s of %s: %v", name, sel, err)
	}
	return r.Value, r.Exists
}

// text reads the visible text of the first element matching a CSS selector.
func (b *browser) text(sel string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.t.Fatalf("text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

func itoa(n int) string { return strconv.Itoa(n) }

func contains(s, sub string) bool { return strings.Contains(s, sub) }
