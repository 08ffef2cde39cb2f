package handlers

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/arena-video/arena/models/media"
)

// faultyBlobs is a blob store whose reads can be made to fail as a bucket
// that went away fails.
type faultyBlobs struct {
	inner Blobs
	down  atomic.Bool
}

func (f *faultyBlobs) PutOriginal(ctx context.Context, r io.Reader, maxBytes int64) (media.Original, error) {
	return f.inner.PutOriginal(ctx, r, maxBytes)
}

func (f *faultyBlobs) PutImage(ctx context.Context, r io.Reader, maxBytes int64) (media.Stored, error) {
	return f.inner.PutImage(ctx, r, maxBytes)
}

func (f *faultyBlobs) Remove(ctx context.Context, key string) error { return f.inner.Remove(ctx, key) }

func (f *faultyBlobs) CanTranscode() bool { return f.inner.CanTranscode() }

func (f *faultyBlobs) Open(ctx context.Context, key string) (media.Blob, error) {
	if f.down.Load() {
		return nil, fmt.Errorf("open blob: %w: connection refused", media.ErrUnavailable)
	}
	return f.inner.Open(ctx, key)
}

func (f *faultyBlobs) Blobs() media.BlobStore { return faultyCheck{f.inner.Blobs(), f} }

type faultyCheck struct {
	media.BlobStore
	f *faultyBlobs
}

func (c faultyCheck) Check(ctx context.Context) error {
	if c.f.down.Load() {
		return fmt.Errorf("check: %w: connection refused", media.ErrUnavailable)
	}
	return c.BlobStore.Check(ctx)
}

// syncBuffer is a log destination tests read while the server writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestMedia_StoreFaults(t *testing.T) {
	var faulty *faultyBlobs
	var logs syncBuffer
	app := newConfiguredApp(t, "", true, func(c *Config) {
		faulty = &faultyBlobs{inner: c.Blobs}
		c.Blobs = faulty
		c.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	})
	v := app.newVoter()
	m := v.matchup()

	// A store that fails answers 503 for the clip, and the rest of the
	// site keeps working.
	faulty.down.Store(true)
	if r := v.get(m.A.VideoURL); r.status != http.StatusServiceUnavailable || !strings.Contains(string(r.body), "unavailable") {
		t.Errorf("clip with the store down = %d %s, want 503", r.status, r.body)
	}
	if r := v.get("/leaderboard"); r.status != http.StatusOK {
		t.Errorf("leaderboard with the store down = %d, want 200", r.status)
	}
	var health map[string]string
	r := v.get("/healthz")
	if err := json.Unmarshal(r.body, &health); err != nil || r.status != http.StatusServiceUnavailable || health["blob_store"] != "unavailable" || health["database"] != "ok" {
		t.Errorf("healthz with the store down = %d %s, want 503 naming the blob store", r.status, r.body)
	}
	faulty.down.Store(false)
	if r := v.get("/healthz"); r.status != http.StatusOK || !strings.Contains(string(r.body), `"blob_store":"ok"`) {
		t.Errorf("healthz = %d %s, want 200 with the store ok", r.status, r.body)
	}
	if r := v.get(m.A.VideoURL); r.status != http.StatusOK {
		t.Errorf("clip after the store came back = %d, want 200", r.status)
	}

	// A blob missing from the store is a 404 for that clip and a log line.
	clip, err := app.store.ClipByPublicID(context.Background(), publicIDOf(m.B.VideoURL))
	if err != nil {
		t.Fatal(err)
	}
	if err := app.blobs.Remove(context.Background(), clip.BlobKey); err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if r := v.get(m.B.VideoURL); r.status != http.StatusNotFound {
			t.Errorf("missing blob = %d, want 404", r.status)
		}
	}
	if n := strings.Count(logs.String(), "stored file missing"); n != 3 {
		t.Errorf("%d log lines for the missing blob, want one per request:\n%s", n, logs.String())
	}
	if !strings.Contains(logs.String(), clip.BlobKey) {
		t.Error("the log line does not name the missing key")
	}
}
