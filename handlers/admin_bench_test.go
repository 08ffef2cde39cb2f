package handlers

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/arena-video/arena/models"
	"github.com/arena-video/arena/models/media"
)

// BenchmarkUploadLarge uploads a source of 100 MB and one of 1 GB through
// the real upload handler and job queue, and reports how much the heap grew
// at its peak while receiving, probing and rendering each (the design target
// is under 64 MB, whatever the size). The sources are real video that ffmpeg
// decodes frame by frame: uncompressed 1080p30 (4:2:2 rawvideo in
// QuickTime, 4 MB a frame), so 1 GB is 8.6 s of video and renders in minutes on two cores
// rather than the hours a compressed 1 GB source would take. The body is read
// from disk through an io.Pipe as it is sent, so the benchmark holds no copy;
// the client runs in the same process, so the figure is an upper bound for
// the server. ffmpeg is a separate, streaming process; its memory is not the
// server's. Run it with
//
//	go test ./handlers/ -run '^$' -bench UploadLarge -benchtime 1x
func BenchmarkUploadLarge(b *testing.B) {
	if testing.Short() {
		b.Skip("uploads 1.1 GB and renders it; not run with -short")
	}
	needFFmpeg(b)
	for _, size := range []struct {
		name  string
		bytes int64
	}{{"100MB", 100 << 20}, {"1GB", 1 << 30}} {
		b.Run(size.name, func(b *testing.B) { benchUpload(b, size.bytes) })
	}
}

func benchUpload(b *testing.B, size int64) {
	ctx := context.Background()
	src := rawSource(b, size)
	store, blobs := openBenchStore(b, models.Options{})
	if _, err := store.CreateAdmin(ctx, models.Actor{Name: "test"}, testAdminUser, testAdminPassword); err != nil {
		b.Fatal(err)
	}
	tok, err := store.CreateAdminToken(ctx, models.Actor{Name: "test"}, testAdminUser)
	if err != nil {
		b.Fatal(err)
	}
	_, p := benchModelAndPrompt(b, store)
	// The real job queue, with the default profile, renders each upload in
	// this process, so the peak covers receiving, probing and transcoding.
	tc := models.NewTranscoder(store, blobs, models.TranscoderOptions{Profile: media.DefaultProfile(), Poll: 20 * time.Millisecond, Logger: slog.New(slog.DiscardHandler)})
	tctx, stopTC := context.WithCancel(ctx)
	tcDone := make(chan struct{})
	go func() { defer close(tcDone); tc.Run(tctx) }()
	defer func() { stopTC(); <-tcDone }()
	srv, err := New(Config{Store: store, Blobs: blobs, SessionKeys: testKeys(), Logger: slog.New(slog.DiscardHandler), MaxUploadBytes: size + 1<<20,
		Transcode: tc.Trigger})
	if err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()

	var worst uint64
	var rendered time.Duration
	for i := 0; i < b.N; i++ {
		body, contentType := fileBody(b, src, byte(i), uintString(p.ID))
		req, _ := http.NewRequest(http.MethodPost, ts.URL+"/api/v1/admin/clips", body)
		req.Header.Set("Content-Type", contentType)
		req.Header.Set("Authorization", "Bearer "+tok)

		var failure string
		grew := peakHeapGrowth(func() {
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				failure = err.Error()
				return
			}
			msg, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != http.StatusAccepted {
				failure = fmt.Sprintf("upload = %d %s", res.StatusCode, msg)
				return
			}
			var up adminClipJSON
			if err := json.Unmarshal(msg, &up); err != nil {
				failure = err.Error()
				return
			}
			start := time.Now()
			for {
				c, err := store.ClipStatus(ctx, up.PublicID)
				if err != nil {
					failure = err.Error()
					return
				}
				if c.Status == models.ClipFailed {
					failure = "render failed: " + c.Error
					return
				}
				if c.Status == models.ClipReady {
					rendered += time.Since(start)
					return
				}
				time.Sleep(20 * time.Millisecond)
			}
		})
		if failure != "" {
			b.Fatal(failure)
		}
		worst = max(worst, grew)
	}
	b.SetBytes(size)
	b.ReportMetric(float64(worst)/(1<<20), "peak-heap-growth-MB")
	b.ReportMetric(rendered.Seconds()/float64(b.N), "render-s")
	if worst >= 64<<20 {
		b.Errorf("a %d MB upload grew the heap by %d MB; the target is under 64 MB", size>>20, worst>>20)
	}
}

// rawFrameBytes is the size of one uncompressed 1080p frame in uyvy422,
// the raw format QuickTime carries as '2vuy'.
const rawFrameBytes = 1920 * 1080 * 2

// rawSource writes a QuickTime file of uncompressed 1080p30 video of about
// size bytes (a moving test pattern) and returns its path.
func rawSource(b *testing.B, size int64) string {
	b.Helper()
	out := filepath.Join(b.TempDir(), "source.mov")
	frames := strconv.FormatInt(size/rawFrameBytes, 10)
	cmd := exec.Command("ffmpeg", "-v", "error", "-nostdin", "-y", "-f", "lavfi", "-i", "testsrc2=s=1920x1080:r=30",
		"-frames:v", frames, "-c:v", "rawvideo", "-pix_fmt", "uyvy422", "-f", "mov", out)
	if msg, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("make the source: %v %s", err, msg)
	}
	return out
}

// fileBody returns a multipart body, read from disk while it is sent,
// holding the fields and the file at path followed by a 16-byte "free" box
// marked with tag, so that no upload is a duplicate of an earlier one.
func fileBody(b *testing.B, path string, tag byte, promptID string) (io.Reader, string) {
	f, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		defer f.Close()
		err := func() error {
			mw.WriteField("model", "alpha")
			mw.WriteField("prompt_id", promptID)
			fw, err := mw.CreateFormFile("file", "source.mov")
			if err != nil {
				return err
			}
			if _, err := io.Copy(fw, f); err != nil {
				return err
			}
			free := make([]byte, 16)
			binary.BigEndian.PutUint32(free, 16)
			copy(free[4:], "free")
			free[8] = tag
			if _, err := fw.Write(free); err != nil {
				return err
			}
			return mw.Close()
		}()
		pw.CloseWithError(err)
	}()
	return pr, mw.FormDataContentType()
}

// openBenchStore opens a Store on a SQLite file and a blob store in a
// temporary directory, closed when the benchmark ends.
func openBenchStore(b *testing.B, o models.Options) (*models.Store, *media.Store) {
	dir := b.TempDir()
	o.DSN, o.Logger = filepath.Join(dir, "arena.db"), slog.New(slog.DiscardHandler)
	store, err := models.Open(context.Background(), o)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { store.Close() })
	blobs, err := media.NewStore(dir, media.StoreOptions{})
	if err != nil {
		b.Fatal(err)
	}
	return store, blobs
}

// benchModelAndPrompt creates the one model and prompt a benchmark's clips
// belong to.
func benchModelAndPrompt(b *testing.B, store *models.Store) (models.Model, models.Prompt) {
	b.Helper()
	ctx := context.Background()
	m := models.Model{Slug: "alpha", Name: "Alpha"}
	p := models.Prompt{Text: "big", Modality: models.ModalityT2V}
	if err := store.CreateModel(ctx, &m); err != nil {
		b.Fatal(err)
	}
	if err := store.CreatePrompt(ctx, &p); err != nil {
		b.Fatal(err)
	}
	return m, p
}
