package handlers

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/arena-video/arena/models/media"
	"github.com/arena-video/arena/models/media/s3test"
)

// newBucketApp is the seeded test app with its blobs moved to a bucket of
// the S3 test server (skipping without one): the demo clips are seeded into
// the data dir, copied with media.Copy, and the server then reads only the
// bucket.
func newBucketApp(t *testing.T, configure func(*Config)) *testApp {
	t.Helper()
	bucket := s3test.Store(t)
	var moved *media.Store
	app := newConfiguredApp(t, "", true, func(c *Config) {
		ctx := context.Background()
		dir := c.Blobs.Blobs()
		blobs, err := media.Blobs(ctx, dir)
		if err != nil {
			t.Fatal(err)
		}
		if r, err := media.Copy(ctx, dir, bucket, blobs, nil); err != nil || r.Failed > 0 || r.Copied == 0 {
			t.Fatalf("copy to the bucket: %+v, %v", r, err)
		}
		for _, b := range blobs {
			if err := dir.Delete(ctx, b.Key); err != nil {
				t.Fatal(err)
			}
		}
		if moved, err = media.NewStore(t.TempDir(), media.StoreOptions{DisableFFmpeg: true, Blobs: bucket}); err != nil {
			t.Fatal(err)
		}
		c.Blobs = moved
		if configure != nil {
			configure(c)
		}
	})
	app.blobs = moved
	return app
}

func TestMedia_PresignedRedirect(t *testing.T) {
	app := newBucketApp(t, func(c *Config) { c.PresignMedia = 10 * time.Minute })
	v := app.newVoter()
	m := v.matchup()
	noFollow := *v.client
	noFollow.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := noFollow.Get(app.ts.URL + m.A.VideoURL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusFound || err != nil {
		t.Fatalf("GET clip = %d, Location %q; want a redirect", resp.StatusCode, resp.Header.Get("Location"))
	}
	q := loc.Query()
	if q.Get("X-Amz-Expires") != "600" || q.Get("X-Amz-Signature") == "" || !strings.Contains(resp.Header.Get("Cache-Control"), "private") {
		t.Errorf("redirect to %s with Cache-Control %q: want a signed 10-minute URL, cached privately", loc, resp.Header.Get("Cache-Control"))
	}
	// The URL works on its own, with Range, and says what the clip is.
	req, _ := http.NewRequest(http.MethodGet, loc.String(), nil)
	req.Header.Set("Range", "bytes=0-99")
	got, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	got.Body.Close()
	if got.StatusCode != http.StatusPartialContent || !strings.HasPrefix(got.Header.Get("Content-Type"), "video/") {
		t.Errorf("presigned GET = %d %q, want 206 video/*", got.StatusCode, got.Header.Get("Content-Type"))
	}
}
