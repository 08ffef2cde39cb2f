package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/arena-video/arena/models"
)

// runArenaIn runs a command with the given stdin.
func runArenaIn(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), args, func(string) string { return "" }, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func openTestStore(t *testing.T, dir string) *models.Store {
	t.Helper()
	st, err := models.Open(context.Background(), models.Options{DSN: filepath.Join(dir, "arena.db")})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestAdminCreate_ReadsThePasswordFromStdin(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name, stdin string
		args        []string
		wantCode    int
		want        string
	}{
		{"short password", "short\n", []string{"--username", "root", "--password-stdin"}, 1, "at least 12"},
		{"no username", "long enough password\n", []string{"--password-stdin"}, 1, "--username"},
		{"no terminal", "", []string{"--username", "root"}, 1, "--password-stdin"},
		{"created", "long enough password\r\n", []string{"--username", "root", "--password-stdin"}, 0, "created admin"},
		{"taken", "long enough password\n", []string{"--username", "root", "--password-stdin"}, 1, "already exists"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runArenaIn(t, tc.stdin, append([]string{"admin", "create", "--data-dir", dir}, tc.args...)...)
			if code != tc.wantCode || !strings.Contains(out+errOut, tc.want) {
				t.Fatalf("exit %d, output %q %q; want exit %d mentioning %q", code, out, errOut, tc.wantCode, tc.want)
			}
		})
	}
	st := openTestStore(t, dir)
	if _, err := st.Authenticate(context.Background(), "root", "long enough password"); err != nil {
		t.Errorf("cannot sign in with the password given on stdin (line ending must be dropped): %v", err)
	}
	if n, _ := st.CountAdmins(context.Background()); n != 1 {
		t.Fatalf("%d admins", n)
	}
}

func TestAdminToken_PrintsAndRevokes(t *testing.T) {
	dir := t.TempDir()
	if code, _, errOut := runArenaIn(t, "long enough password\n", "admin", "create", "--data-dir", dir, "--username", "root", "--password-stdin"); code != 0 {
		t.Fatalf("admin create: %s", errOut)
	}
	code, out, errOut := runArenaIn(t, "", "admin", "token", "--data-dir", dir, "--username", "root")
	tok := strings.TrimSpace(out)
	if code != 0 || !strings.HasPrefix(tok, "arena_") || strings.Contains(tok, "\n") {
		t.Fatalf("admin token: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	st := openTestStore(t, dir)
	ctx := context.Background()
	if a, err := st.AdminByToken(ctx, tok); err != nil || a.Username != "root" {
		t.Fatalf("the printed token does not work: %v", err)
	}
	if code, out, _ := runArenaIn(t, "", "admin", "token", "--data-dir", dir, "--username", "root", "--revoke"); code != 0 || !strings.Contains(out, "revoked 1") {
		t.Fatalf("revoke: exit %d %q", code, out)
	}
	if _, err := st.AdminByToken(ctx, tok); !errors.Is(err, models.ErrBadCredentials) {
		t.Errorf("revoked token still works: %v", err)
	}
	if code, _, errOut := runArenaIn(t, "", "admin", "token", "--data-dir", dir, "--username", "nobody"); code == 0 || !strings.Contains(errOut, "nobody") {
		t.Errorf("token for an unknown admin: exit %d %q", code, errOut)
	}
}

// clipVariant makes a distinct valid MP4 from the test clip by appending a
// free box.
func clipVariant(t *testing.T, tag byte) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "clip.mp4"))
	if err != nil {
		t.Fatal(err)
	}
	box := make([]byte, 16)
	binary.BigEndian.PutUint32(box, 16)
	copy(box[4:], "free")
	for i := 8; i < 16; i++ {
		box[i] = tag
	}
	return append(b, box...)
}

func TestImportClips_ImportsSkipsAndReports(t *testing.T) {
	dataDir := t.TempDir()
	src := t.TempDir()
	write := func(name string, b []byte) {
		t.Helper()
		p := filepath.Join(src, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	png, err := os.ReadFile(filepath.Join("testdata", "src.png"))
	if err != nil {
		t.Fatal(err)
	}
	write("clips/a1.mp4", clipVariant(t, 1))
	write("clips/b1.mp4", clipVariant(t, 2))
	write("clips/a2.mp4", clipVariant(t, 3))
	write("clips/broken.mp4", []byte("this is not a video"))
	write("img/src.png", png)
	write("manifest.csv", []byte("model,prompt,category,modality,file,source_image\n"+
		"Alpha One,A kite over a beach,nature,t2v,clips/a1.mp4,\n"+
		"Beta 2,A kite over a beach,nature,t2v,clips/b1.mp4,\n"+
		"Alpha One,Animate this,art,i2v,clips/a2.mp4,img/src.png\n"+
		"Beta 2,A kite over a beach,nature,t2v,clips/broken.mp4,\n"+
		"Beta 2,A kite over a beach,nature,t2v,clips/missing.mp4,\n"+
		"Beta 2,,nature,t2v,clips/b1.mp4,\n"))
	man := filepath.Join(src, "manifest.csv")

	code, out, errOut := runArenaIn(t, "", "import", "clips", "--data-dir", dataDir, man)
	if code == 0 {
		t.Fatalf("exit 0 although rows failed: %s %s", out, errOut)
	}
	for _, want := range []string{"imported 3, skipped 0", "failed 3", "line 5 (clips/broken.mp4)", "line 6 (clips/missing.mp4)", "line 7", "prompt must have", "rendered 3, failed 0"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
	st := openTestStore(t, dataDir)
	ctx := context.Background()
	ms, _ := st.ListModels(ctx)
	if len(ms) != 2 || ms[0].Slug != "alpha-one" || ms[1].Slug != "beta-2" || ms[0].Name != "Alpha One" {
		t.Errorf("models = %+v", ms)
	}
	ps, _ := st.ListPrompts(ctx)
	if len(ps) != 2 {
		t.Fatalf("prompts = %+v, want the two distinct ones", ps)
	}
	for _, p := range ps {
		if (p.Modality == "i2v") != (p.ImageKey != "") {
			t.Errorf("prompt %+v: i2v prompts need their image, others none", p)
		}
	}
	clips, _ := st.ListClips(ctx, 0)
	if len(clips) != 3 {
		t.Errorf("%d clips, want 3", len(clips))
	}
	for _, c := range clips {
		if c.Status != models.ClipReady || c.BlobKey == c.OriginalKey || c.RenditionProfile == "" {
			t.Errorf("clip %s is %s (rendition %s, original %s), want ready with its own rendition", c.PublicID, c.Status, c.BlobKey, c.OriginalKey)
		}
	}

	// Fix the manifest's bad rows and run again: stored clips are skipped.
	write("manifest.csv", []byte("model,prompt,category,modality,file,source_image\n"+
		"Alpha One,A kite over a beach,nature,t2v,clips/a1.mp4,\n"+
		"Beta 2,A kite over a beach,nature,t2v,clips/b1.mp4,\n"+
		"Alpha One,Animate this,art,i2v,clips/a2.mp4,img/src.png\n"))
	code, out, errOut = runArenaIn(t, "", "import", "clips", "--data-dir", dataDir, man)
	if code != 0 || !strings.Contains(out, "imported 0, skipped 3 (already stored), failed 0") {
		t.Fatalf("second run: exit %d %q %q", code, out, errOut)
	}
	if clips, _ := st.ListClips(ctx, 0); len(clips) != 3 {
		t.Errorf("%d clips after the second run, want still 3", len(clips))
	}
	if tmp, _ := os.ReadDir(filepath.Join(dataDir, "tmp")); len(tmp) != 0 {
		t.Errorf("temporary files left: %v", tmp)
	}
}

// --no-wait stores and queues; a server (or media reprocess) renders later.
// Reprocessing keeps public ids and re-renders with the new profile.
func TestImportClips_NoWaitThenReprocess(t *testing.T) {
	dataDir, src := t.TempDir(), t.TempDir()
	for i, name := range []string{"a.mp4", "b.mp4"} {
		if err := os.WriteFile(filepath.Join(src, name), clipVariant(t, byte(10+i)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	man := filepath.Join(src, "m.csv")
	os.WriteFile(man, []byte("model,prompt,category,modality,file\nAlpha,A cat,pets,t2v,a.mp4\nBeta,A cat,pets,t2v,b.mp4\n"), 0o644)
	code, out, errOut := runArenaIn(t, "", "import", "clips", "--no-wait", "--data-dir", dataDir, man)
	if code != 0 || !strings.Contains(out, "2 clips queued") {
		t.Fatalf("import --no-wait: exit %d %q %q", code, out, errOut)
	}
	st := openTestStore(t, dataDir)
	ctx := context.Background()
	clips, _ := st.ListClips(ctx, 0)
	for _, c := range clips {
		if c.Status != models.ClipProcessing {
			t.Errorf("clip %s is %s after --no-wait, want processing", c.PublicID, c.Status)
		}
	}
	if code, out, errOut := runArenaIn(t, "", "media", "reprocess", "--data-dir", dataDir); code == 0 {
		t.Errorf("reprocess without --all or --clip: exit 0 %q %q", out, errOut)
	}
	// --all renders the open jobs and waits for them.
	code, out, errOut = runArenaIn(t, "", "media", "reprocess", "--all", "--rendition-box", "320x180", "--data-dir", dataDir)
	if code != 0 || !strings.Contains(out, "queued 2 clips") || !strings.Contains(out, "rendered 2, failed 0") {
		t.Fatalf("reprocess --all: exit %d %q %q", code, out, errOut)
	}
	code, out, errOut = runArenaIn(t, "", "media", "reprocess", "--clip", clips[0].PublicID, "--rendition-box", "32x18", "--data-dir", dataDir)
	if code != 0 || !strings.Contains(out, "queued 1 clips") || !strings.Contains(out, "rendered 1, failed 0") {
		t.Fatalf("reprocess --clip: exit %d %q %q", code, out, errOut)
	}
	c, err := st.ClipStatus(ctx, clips[0].PublicID)
	if err != nil || c.Status != models.ClipReady || c.Width > 32 || !strings.Contains(c.RenditionProfile, "32x18") {
		t.Errorf("reprocessed clip = %+v %v, want ready at most 32 wide with the new profile", c, err)
	}
}

func TestImportClips_RefusesABadManifest(t *testing.T) {
	dir := t.TempDir()
	man := filepath.Join(dir, "m.csv")
	os.WriteFile(man, []byte("model,prompt\nx,y\n"), 0o644)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{man}, "missing column"},
		{nil, "exactly one manifest"},
		{[]string{filepath.Join(dir, "none.csv")}, "none.csv"},
		{[]string{"--max-upload-mb", "0", man}, "max-upload-mb"},
	} {
		code, _, errOut := runArenaIn(t, "", append([]string{"import", "clips", "--data-dir", dir}, tc.args...)...)
		if code == 0 || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d %q, want a failure naming %q", tc.args, code, errOut, tc.want)
		}
	}
}

// serveOnce starts serve with args until it listens, then stops it, and
// returns what it printed on stdout.
func serveOnce(t *testing.T, args ...string) string {
	t.Helper()
	srv := startServe(t, args...)
	srv.stop(t)
	return srv.stdout.String()
}

func TestServeDemo_CreatesAnAdminOnce(t *testing.T) {
	dir := t.TempDir()
	out := serveOnce(t, "--data-dir", dir, "--demo")
	_, after, ok := strings.Cut(out, "with password ")
	pw, _, _ := strings.Cut(after, " ")
	if !ok || len(pw) < models.MinPasswordLen {
		t.Fatalf("no demo password printed: %q", out)
	}
	if again := serveOnce(t, "--data-dir", dir, "--demo"); strings.Contains(again, "password") {
		t.Errorf("a second start printed a password again: %q", again)
	}
	st := openTestStore(t, dir)
	if _, err := st.Authenticate(context.Background(), demoAdmin, pw); err != nil {
		t.Errorf("the printed demo password does not sign in: %v", err)
	}
}
