package handlers

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/arena-video/arena/models"
	"github.com/arena-video/arena/models/media"
	"github.com/arena-video/arena/models/media/s3test"
)

// benchClipBytes is the size of the clip BenchmarkMedia100MB serves.
const benchClipBytes = 100 << 20

// BenchmarkMedia100MB serves a 100 MB clip through /media from the data
// directory and from a bucket (skipped without ARENA_TEST_S3_URL): each
// operation is one whole clip fetched with Range: bytes=0- (as a browser
// starts playback), then ten 1 MB ranges at spread-out offsets (as seeking
// does). It reports the throughput and the heap's peak growth, which must
// stay flat: bytes are streamed, never held. Run it with
//
//	go test ./handlers/ -run '^$' -bench Media100MB -benchtime 3x
func BenchmarkMedia100MB(b *testing.B) {
	for _, kind := range []string{"dir", "s3"} {
		b.Run(kind, func(b *testing.B) {
			ctx := context.Background()
			store, dirBlobs := openBenchStore(b, models.Options{})
			var bs media.BlobStore = dirBlobs.Blobs()
			if kind == "s3" {
				bs = s3test.Store(b)
			}
			key := putPattern(b, bs, benchClipBytes)
			blobs, err := media.NewStore(b.TempDir(), media.StoreOptions{DisableFFmpeg: true, Blobs: bs})
			if err != nil {
				b.Fatal(err)
			}
			m, p := benchModelAndPrompt(b, store)
			clip := models.Clip{ModelID: m.ID, PromptID: p.ID, BlobKey: key, SHA256: key, MIME: media.MIMEMP4, Size: benchClipBytes, DurationMS: 4000, Width: 64, Height: 64}
			if err := store.CreateClip(ctx, &clip); err != nil {
				b.Fatal(err)
			}
			srv, err := New(Config{Store: store, Blobs: blobs, SessionKeys: testKeys(), Logger: slog.New(slog.DiscardHandler)})
			if err != nil {
				b.Fatal(err)
			}
			ts := httptest.NewServer(srv)
			defer ts.Close()
			url := ts.URL + "/media/" + clip.PublicID
			fetch := func(rangeHdr string, want int64) {
				req, _ := http.NewRequest(http.MethodGet, url, nil)
				req.Header.Set("Range", rangeHdr)
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					b.Fatal(err)
				}
				n, err := io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if err != nil || res.StatusCode != http.StatusPartialContent || n != want {
					b.Fatalf("GET %s = %d, %d bytes, %v; want 206 and %d bytes", rangeHdr, res.StatusCode, n, err, want)
				}
			}
			var worst uint64
			b.SetBytes(benchClipBytes + 10<<20)
			b.ResetTimer()
			for range b.N {
				worst = max(worst, peakHeapGrowth(func() {
					fetch("bytes=0-", benchClipBytes)
					for j := range int64(10) {
						off := j * (benchClipBytes / 10)
						fetch("bytes="+itoa(off)+"-"+itoa(off+1<<20-1), 1<<20)
					}
				}))
			}
			b.ReportMetric(float64(worst)/(1<<20), "peak-heap-growth-MB")
			if worst >= 16<<20 {
				b.Errorf("serving a 100 MB clip grew the heap by %d MB; it should stay flat", worst>>20)
			}
		})
	}
}

func itoa(n int64) string { return uintString(uint(n)) }

// putPattern stores size bytes of a repeating pattern, generated while it
// is read (twice: once to hash, once to store), and returns their key.
func putPattern(b *testing.B, bs media.BlobStore, size int64) string {
	b.Helper()
	h := sha256.New()
	if _, err := io.Copy(h, patternReader(size)); err != nil {
		b.Fatal(err)
	}
	key := hex.EncodeToString(h.Sum(nil))
	if _, err := bs.Put(context.Background(), key, patternReader(size), size); err != nil {
		b.Fatal(err)
	}
	return key
}

func patternReader(size int64) io.Reader {
	return io.LimitReader(patternSource{}, size)
}

type patternSource struct{}

func (patternSource) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(i * 31)
	}
	return len(p), nil
}

// peakHeapGrowth runs f and returns how far the heap in use rose above where
// it started, sampled every 5 ms while f runs.
func peakHeapGrowth(f func()) uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base, peak := ms.HeapAlloc, ms.HeapAlloc
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				peak = max(peak, ms.HeapAlloc)
			}
		}
	})
	f()
	close(stop)
	wg.Wait()
	return peak - base
}
