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
	"path/filepath"
	"testing"
	"time"

	"github.com/arena-video/arena/models"
	"github.com/arena-video/arena/models/media"
)

// benchUploadBytes is the size of the benchmark's upload.
const benchUploadBytes = 1 << 30

// BenchmarkUpload1GB streams a 1 GB clip through the real upload handler and
// reports how much the heap grew at its peak (the design target is under
// 64 MB). The body is generated on the fly through an io.Pipe, so the test
// itself holds no copy. The client runs in the same process, so the figure
// is an upper bound for the server. The peak covers the whole ingestion:
// receiving, probing and rendering the canonical rendition with the job
// queue; ffmpeg runs as a separate process and streams, its memory is not
// the server's. Run it with
//
//	go test ./handlers/ -run '^$' -bench Upload1GB -benchtime 1x
func BenchmarkUpload1GB(b *testing.B) {
	if testing.Short() {
		b.Skip("uploads 1 GB; not run with -short")
	}
	needFFmpeg(b)
	ctx := context.Background()
	store, blobs := openBenchStore(b, models.Options{})
	if _, err := store.CreateAdmin(ctx, models.Actor{Name: "test"}, testAdminUser, testAdminPassword); err != nil {
		b.Fatal(err)
	}
	tok, err := store.CreateAdminToken(ctx, models.Actor{Name: "test"}, testAdminUser)
	if err != nil {
		b.Fatal(err)
	}
	m := models.Model{Slug: "alpha", Name: "Alpha"}
	p := models.Prompt{Text: "big", Modality: models.ModalityT2V}
	if err := store.CreateModel(ctx, &m); err != nil {
		b.Fatal(err)
	}
	if err := store.CreatePrompt(ctx, &p); err != nil {
		b.Fatal(err)
	}
	// The real job queue renders each upload in this process, so the peak
	// covers receiving, probing and transcoding the 1 GB source.
	tc := models.NewTranscoder(store, blobs, models.TranscoderOptions{Profile: testProfile(), Poll: 20 * time.Millisecond, Logger: slog.New(slog.DiscardHandler)})
	tctx, stopTC := context.WithCancel(ctx)
	tcDone := make(chan struct{})
	go func() { defer close(tcDone); tc.Run(tctx) }()
	defer func() { stopTC(); <-tcDone }()
	srv, err := New(Config{Store: store, Blobs: blobs, SessionKeys: testKeys(), Logger: slog.New(slog.DiscardHandler), MaxUploadBytes: benchUploadBytes + 1<<20,
		Transcode: tc.Trigger})
	if err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	clip := readTestdata(b, "clip.mp4")

	var worst uint64
	for i := 0; i < b.N; i++ {
		body, contentType := bigClipBody(clip, byte(i), uintString(p.ID))
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
	b.SetBytes(benchUploadBytes)
	b.ReportMetric(float64(worst)/(1<<20), "peak-heap-growth-MB")
	if worst >= 64<<20 {
		b.Errorf("a 1 GB upload grew the heap by %d MB; the target is under 64 MB", worst>>20)
	}
}

// bigClipBody returns a multipart body, generated while it is read, holding
// the fields and a valid MP4 of benchUploadBytes: the small clip followed by
// a "free" box (64-bit size) of zeros, which players and probes skip.
func bigClipBody(clip []byte, tag byte, promptID string) (io.Reader, string) {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		err := func() error {
			mw.WriteField("model", "alpha")
			mw.WriteField("prompt_id", promptID)
			fw, err := mw.CreateFormFile("file", "big.mp4")
			if err != nil {
				return err
			}
			if _, err := fw.Write(clip); err != nil {
				return err
			}
			pad := int64(benchUploadBytes - len(clip))
			hdr := make([]byte, 16)
			binary.BigEndian.PutUint32(hdr, 1) // size 1: a 64-bit size follows the type
			copy(hdr[4:], "free")
			binary.BigEndian.PutUint64(hdr[8:], uint64(pad))
			if _, err := fw.Write(hdr); err != nil {
				return err
			}
			chunk := make([]byte, 1<<20)
			chunk[0] = tag // distinct bytes per iteration, so no upload is a duplicate
			for left := pad - 16; left > 0; left -= int64(len(chunk)) {
				n := min(left, int64(len(chunk)))
				if _, err := fw.Write(chunk[:n]); err != nil {
					return err
				}
				chunk[0] = 0
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
