package media

import (
	"bytes"
	"context"
	"testing"

	"github.com/arena-video/arena/models/media/testclips"
)

// newStoreOn makes a store with ffmpeg that keeps its files in bs, and
// returns its data directory (where only temporary files go).
func newStoreOn(t *testing.T, bs BlobStore) (*Store, string) {
	t.Helper()
	needFFmpeg(t)
	dir := t.TempDir()
	s, err := NewStore(dir, StoreOptions{Blobs: bs})
	if err != nil {
		t.Fatal(err)
	}
	return s, dir
}

// The whole ingest runs on every blob store: the original goes to the store,
// ffmpeg renders from it (from a local copy when the store is a bucket), and
// the rendition and its poster go back to the store. Nothing is left in the
// data directory.
func TestRender_OnEveryBlobStore(t *testing.T) {
	src := testclips.Bytes(t, testclips.Spec{Name: "blobs", Codec: "vp9", Container: "webm", Width: 640, Height: 360, FPS: 30, Audio: true, Seconds: 2})
	eachBlobStore(t, func(t *testing.T, bs BlobStore) {
		s, dir := newStoreOn(t, bs)
		ctx := context.Background()
		p := DefaultProfile()
		p.BoxWidth, p.BoxHeight, p.Kbps, p.AudioKbps, p.Preset = 320, 180, 400, 64, "superfast"
		o, r := render(t, s, src, p)
		for name, key := range map[string]string{"original": o.SHA256, "rendition": r.Key, "poster": r.PosterKey} {
			if ok, err := bs.Exists(ctx, key); err != nil || !ok {
				t.Errorf("%s %s is not in %s: %v, %v", name, key, bs, ok, err)
			}
		}
		if orig := readBlob(t, s, o.SHA256); !bytes.Equal(orig, src) {
			t.Error("the stored original differs from the upload")
		}
		got := ffprobeBlob(t, s, r.Key)
		if len(got.Streams) != 2 || got.Streams[0].CodecName != "h264" || got.Streams[0].Width != 320 || got.Streams[0].Height != 180 {
			t.Errorf("rendition streams %+v, want h264 320x180 and audio", got.Streams)
		}
		if dev := bytesPerSecondDeviation(r, p); dev > 0.05 || dev < -0.05 {
			t.Errorf("%d bytes over %d ms is %+.1f%% off %d kbit/s", r.Size, r.Info.DurationMS, dev*100, p.Kbps)
		}
		assertNoTemps(t, dir)
	})
}
