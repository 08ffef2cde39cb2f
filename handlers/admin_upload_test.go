package handlers

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/arena-video/arena/models"
	"github.com/arena-video/arena/models/media"
)

// uploadLimit is the clip size limit of the upload tests: small, so the
// oversized case stays small.
const uploadLimit = 64 << 10

func TestUploadClip(t *testing.T) {
	needFFmpeg(t)
	mp4 := readTestdata(t, "clip.mp4")
	webm := readTestdata(t, "clip.webm")
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")
	for _, tc := range []struct {
		name       string
		before     []byte // uploaded first, successfully
		model      string
		prompt     string // "" means the seeded prompt
		fileName   string
		data       []byte
		wantStatus int
		wantMsg    string
		wantClips  int // clip rows afterwards
	}{
		{name: "valid MP4", model: "alpha", fileName: "a.mp4", data: mp4, wantStatus: 202, wantClips: 1},
		{name: "valid WebM", model: "alpha", fileName: "a.webm", data: webm, wantStatus: 202, wantClips: 1},
		{name: "PNG renamed .mp4", model: "alpha", fileName: "a.mp4", data: png, wantStatus: 415, wantMsg: "accepted are MP4"},
		{name: "empty", model: "alpha", fileName: "a.mp4", data: nil, wantStatus: 422, wantMsg: "empty"},
		{name: "truncated", model: "alpha", fileName: "a.mp4", data: mp4[:len(mp4)*2/3], wantStatus: 422, wantMsg: "truncated"},
		{name: "oversized", model: "alpha", fileName: "a.mp4", data: withFreeBox(mp4, 1, uploadLimit), wantStatus: 413, wantMsg: "limit"},
		{name: "duplicate", before: mp4, model: "beta", fileName: "again.mp4", data: mp4, wantStatus: 409, wantMsg: "already clip", wantClips: 1},
		{name: "../ in the file name", model: "alpha", fileName: "../../../../etc/passwd.mp4", data: mp4, wantStatus: 202, wantClips: 1},
		{name: "unknown model", model: "nobody", fileName: "a.mp4", data: mp4, wantStatus: 404, wantMsg: "nobody"},
		{name: "unknown prompt", model: "alpha", prompt: "999", fileName: "a.mp4", data: mp4, wantStatus: 404, wantMsg: "prompt"},
		{name: "malformed prompt", model: "alpha", prompt: "one", fileName: "a.mp4", data: mp4, wantStatus: 400, wantMsg: "prompt_id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := newAdminApp(t, adminOptions{maxUpload: uploadLimit})
			_, _, p := a.seedCatalog()
			tok := a.token()
			prompt := tc.prompt
			if prompt == "" {
				prompt = uintString(p.ID)
			}
			upload := func(model, prompt, name string, data []byte) response {
				ct, body := multipartBody(t, [][2]string{{"model", model}, {"prompt_id", prompt}}, testFile{"file", name, data})
				return a.bare().do(http.MethodPost, "/api/v1/admin/clips", ct, body, bearer(tok)...)
			}
			var first adminClipJSON
			if tc.before != nil {
				r := upload("alpha", prompt, "first.mp4", tc.before)
				if r.status != http.StatusAccepted {
					t.Fatalf("first upload = %d %s", r.status, r.body)
				}
				r.json(t, &first)
			}

			r := upload(tc.model, prompt, tc.fileName, tc.data)
			if r.status != tc.wantStatus {
				t.Fatalf("status %d, want %d: %s", r.status, tc.wantStatus, r.body)
			}
			if tc.wantMsg != "" {
				if msg := r.errorMessage(t); !strings.Contains(msg, tc.wantMsg) {
					t.Errorf("error %q does not mention %q", msg, tc.wantMsg)
				}
			}
			if tc.name == "duplicate" && !strings.Contains(string(r.body), first.PublicID) {
				t.Errorf("409 does not name the existing clip %s: %s", first.PublicID, r.body)
			}
			var got adminClipJSON
			if r.status == http.StatusAccepted {
				r.json(t, &got)
				if got.Status != models.ClipProcessing || got.Original == nil || got.Original.Width != 64 || got.Original.Height != 36 ||
					got.DurationMS != 1000 || got.HasAudio || !models.ValidID(got.PublicID) {
					t.Errorf("clip = %+v, want processing, an original of 64x36, 1000 ms, silent", got)
				}
				if ready := a.waitReady(got.PublicID); ready.Width != 64 || ready.Height != 36 || !ready.MetadataStripped {
					t.Errorf("ready clip = %+v, want the 64x36 rendition (never upscaled)", ready)
				}
			}

			// Afterwards: exactly the expected rows and blobs (original,
			// rendition, poster), and no temp file.
			clips, err := a.store.ListClips(context.Background(), 0)
			if err != nil {
				t.Fatal(err)
			}
			if len(clips) != tc.wantClips {
				t.Fatalf("%d clip rows, want %d", len(clips), tc.wantClips)
			}
			if tc.before != nil {
				a.waitReady(first.PublicID)
			}
			var wantBlobs []string
			for _, c := range clips {
				if c, err = a.store.ClipStatus(context.Background(), c.PublicID); err != nil {
					t.Fatal(err)
				}
				for _, k := range []string{c.OriginalKey, c.BlobKey, c.PosterKey} {
					wantBlobs = append(wantBlobs, "blobs/"+k[:2]+"/"+k)
				}
			}
			sort.Strings(wantBlobs)
			if got := dataFiles(t, a.dir, "blobs"); strings.Join(got, ",") != strings.Join(wantBlobs, ",") {
				t.Errorf("blobs = %v, want %v", got, wantBlobs)
			}
			if tmp := dataFiles(t, a.dir, "tmp"); len(tmp) != 0 {
				t.Errorf("temporary files left behind: %v", tmp)
			}
			for _, w := range wantBlobs {
				b, err := os.ReadFile(filepath.Join(a.dir, w))
				if err != nil {
					t.Fatal(err)
				}
				sum := sha256.Sum256(b)
				if key := hex.EncodeToString(sum[:]); "blobs/"+key[:2]+"/"+key != w {
					t.Errorf("blob %s does not hold the bytes its name says", w)
				}
			}
			// Nothing was written outside the data dir's own layout.
			for _, f := range dataFiles(t, a.dir, ".") {
				if !strings.HasPrefix(f, "blobs/") && !strings.HasPrefix(f, "arena.db") {
					t.Errorf("unexpected file %s in the data dir", f)
				}
			}
		})
	}
}

func TestUploadClip_SeveralFilesFromThePage(t *testing.T) {
	needFFmpeg(t)
	a := newAdminApp(t, adminOptions{maxUpload: uploadLimit})
	_, _, p := a.seedCatalog()
	v := a.login()
	mp4 := readTestdata(t, "clip.mp4")
	ct, body := multipartBody(t, [][2]string{{"prompt_id", uintString(p.ID)}},
		testFile{"file:alpha", "alpha.mp4", withFreeBox(mp4, 'a', 16)},
		testFile{"file:beta", "beta.mp4", withFreeBox(mp4, 'b', 16)},
		testFile{"file:beta", "broken.mp4", []byte("not a video at all")},
	)
	r := v.do(http.MethodPost, "/admin/clips", ct, body)
	if r.status != http.StatusUnsupportedMediaType {
		t.Errorf("status %d, want the status of the failed file (415)", r.status)
	}
	page := string(r.body)
	for _, want := range []string{"alpha.mp4", "beta.mp4", "broken.mp4", "stored as clip", "415"} {
		if !strings.Contains(page, want) {
			t.Errorf("results page lacks %q", want)
		}
	}
	clips, _ := a.store.ListClips(context.Background(), p.ID)
	if len(clips) != 2 || clips[0].ModelID == clips[1].ModelID {
		t.Fatalf("clips = %+v, want one for each model", clips)
	}
	for _, c := range clips {
		a.waitReady(c.PublicID)
	}
	// Two models now have clips for the prompt, so it makes matchups.
	if m := a.newVoter().matchup(); m.Prompt.Text != p.Text {
		t.Errorf("matchup prompt %q", m.Prompt.Text)
	}
	if a.recomputes.Load() == 0 {
		t.Error("uploading clips did not ask for a recompute")
	}
}

func TestUploadClip_FieldsMustComeFirst(t *testing.T) {
	a := newAdminApp(t, adminOptions{})
	a.seedCatalog()
	var body bytes.Buffer
	ct, b := multipartBody(t, nil, testFile{"file", "a.mp4", readTestdata(t, "clip.mp4")})
	body.Write(b.Bytes())
	r := a.bare().do(http.MethodPost, "/api/v1/admin/clips", ct, &body, bearer(a.token())...)
	if r.status != http.StatusBadRequest || !strings.Contains(r.errorMessage(t), "before the file") {
		t.Errorf("status %d %s, want 400 asking for the fields first", r.status, r.body)
	}
	if r := a.bare().do(http.MethodPost, "/api/v1/admin/clips", "application/json", strings.NewReader("{}"), bearer(a.token())...); r.status != http.StatusUnsupportedMediaType {
		t.Errorf("JSON body: status %d, want 415", r.status)
	}
}

// The served clip is the rendition: metadata planted in the upload naming
// the model is gone, and the original with it stays reachable by admins only.
// Both live in the data directory or in a bucket, whichever the server uses.
func TestUploadClip_ServesTheRenditionAndKeepsTheOriginalPrivate(t *testing.T) {
	for _, store := range []string{"dir", "s3"} {
		t.Run(store, func(t *testing.T) { testServesTheRendition(t, adminOptions{bucket: store == "s3"}) })
	}
}

func testServesTheRendition(t *testing.T, o adminOptions) {
	needFFmpeg(t)
	const secret = "Made-by-SecretModel-9000"
	src := filepath.Join(t.TempDir(), "tagged.mp4")
	out, err := exec.Command("ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc=size=64x36:rate=10",
		"-t", "1", "-c:v", "libx264", "-pix_fmt", "yuv420p",
		"-metadata", "title="+secret, "-metadata", "comment="+secret, "-metadata:s:v", "handler_name="+secret, "-y", src).CombinedOutput()
	if err != nil {
		t.Fatalf("ffmpeg: %v %s", err, out)
	}
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte(secret)) {
		t.Fatal("the generated clip does not carry the tag; the test would prove nothing")
	}
	a := newAdminApp(t, o)
	_, _, p := a.seedCatalog()
	ct, body := multipartBody(t, [][2]string{{"model", "alpha"}, {"prompt_id", uintString(p.ID)}}, testFile{"file", "tagged.mp4", data})
	r := a.bare().do(http.MethodPost, "/api/v1/admin/clips", ct, body, bearer(a.token())...)
	if r.status != http.StatusAccepted {
		t.Fatalf("upload = %d %s", r.status, r.body)
	}
	var clip adminClipJSON
	r.json(t, &clip)
	clip = a.waitReady(clip.PublicID)
	if !clip.MetadataStripped || clip.Progress != 100 || clip.RenditionProfile == "" {
		t.Errorf("ready clip = %+v", clip)
	}
	if o := clip.Original; o == nil || o.Codec != "h264" || o.FPS != 10 || o.Kbps <= 0 || o.MIME != "video/mp4" {
		t.Errorf("original probe = %+v, want h264 at 10 fps with a bitrate", o)
	}
	served := a.bare().get("/media/" + clip.PublicID)
	if served.status != http.StatusOK || len(served.body) == 0 {
		t.Fatalf("GET /media = %d", served.status)
	}
	if bytes.Equal(served.body, data) {
		t.Fatal("/media serves the original")
	}
	if bytes.Contains(served.body, []byte(secret)) || bytes.Contains(served.body, []byte("SecretModel")) {
		t.Error("the served clip still names the model")
	}
	if bytes.Contains(served.body, []byte("Lavf")) {
		t.Error("the served clip carries ffmpeg's version tag")
	}
	if poster := a.bare().get("/media/" + clip.PublicID + "/poster"); poster.status != http.StatusOK || !bytes.HasPrefix(poster.body, []byte{0xFF, 0xD8}) {
		t.Errorf("poster = %d, want a JPEG", poster.status)
	}
	// The original: admins only, as uploaded, never cached by others.
	if r := a.bare().get(clip.Original.URL); r.status != http.StatusSeeOther {
		t.Errorf("original without a session = %d, want a redirect to the login", r.status)
	}
	orig := a.login().get(clip.Original.URL)
	if orig.status != http.StatusOK || !bytes.Equal(orig.body, data) {
		t.Errorf("original = %d (%d bytes), want the upload's %d bytes", orig.status, len(orig.body), len(data))
	}
	if cc := orig.header.Get("Cache-Control"); !strings.Contains(cc, "private") {
		t.Errorf("original Cache-Control %q, want private", cc)
	}
	// The original, the rendition and its poster are in the server's blob
	// store, and the render left nothing in the data directory.
	var keys []string
	if err := a.blobs.Blobs().Walk(context.Background(), func(b media.BlobInfo) error {
		keys = append(keys, b.Key)
		return nil
	}); err != nil || len(keys) != 3 {
		t.Errorf("blob store %s holds %v (%v), want the original, the rendition and the poster", a.blobs.Blobs(), keys, err)
	}
	// Style features are measured from a copy of the rendition after it
	// is ready, so the copy may still be there for a moment.
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		files := dataFiles(t, a.dir, "tmp")
		if len(files) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Errorf("left behind %v", files)
			break
		}
	}
	if _, err := os.Stat(filepath.Join(a.dir, "blobs")); o.bucket && err == nil {
		t.Errorf("with a bucket, files went to the data directory: %v", dataFiles(t, a.dir, "blobs"))
	}
}

// Without ffmpeg nothing can become a rendition: uploads get 503 saying to
// install it, nothing is stored, and /healthz says ingestion is off.
func TestUploadClip_WithoutFFmpegIsRefused(t *testing.T) {
	a := newAdminApp(t, adminOptions{noFFmpeg: true})
	_, _, p := a.seedCatalog()
	ct, body := multipartBody(t, [][2]string{{"model", "alpha"}, {"prompt_id", uintString(p.ID)}}, testFile{"file", "a.mp4", readTestdata(t, "clip.mp4")})
	r := a.bare().do(http.MethodPost, "/api/v1/admin/clips", ct, body, bearer(a.token())...)
	if r.status != http.StatusServiceUnavailable || !strings.Contains(r.errorMessage(t), "apt-get install ffmpeg") {
		t.Errorf("upload = %d %s, want 503 saying to install ffmpeg", r.status, r.body)
	}
	if files := dataFiles(t, a.dir, "blobs"); len(files) != 0 {
		t.Errorf("stored %v", files)
	}
	var health struct {
		Status    string
		Ingestion struct {
			OK      bool
			Message string
		}
	}
	h := a.bare().get("/healthz")
	h.json(t, &health)
	if h.status != http.StatusOK || health.Ingestion.OK || !strings.Contains(health.Ingestion.Message, "ffmpeg") {
		t.Errorf("/healthz = %d %s, want 200 saying ingestion is off", h.status, h.body)
	}
	if page := a.login().get("/admin"); !strings.Contains(string(page.body), "Ingestion is off") {
		t.Error("the dashboard does not say ingestion is off")
	}
}
