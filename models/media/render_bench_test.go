package media

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/arena-video/arena/models/media/testclips"
)

// BenchmarkIngest1080p30 measures ingest throughput: seconds of rendition
// made per second of wall time, for a 10 s 1080p30 H.264 + AAC source (the
// shape most vendors deliver) rendered with the default profile (1280x720,
// 24 fps, 2500 kbit/s, x264 veryfast). "render" is Arena's whole Render:
// the audio pass, the video encode, probing, hashing, the poster and
// storing. "x264-only" is its peer, measured in the same run: the video
// encode alone, one ffmpeg with the same arguments and no audio, so the
// ratio between the two is what the rest of the pipeline costs. Run it with
//
//	go test ./models/media/ -run '^$' -bench Ingest1080p30 -benchtime 1x -count 3
func BenchmarkIngest1080p30(b *testing.B) {
	src := testclips.Make(b, testclips.Spec{Name: "bench-1080p30", Codec: "h264", Container: "mp4", Width: 1920, Height: 1080, FPS: 30, Audio: true, Seconds: 10})
	body, err := os.ReadFile(src)
	if err != nil {
		b.Fatal(err)
	}
	s, _ := newStore(b, true)
	ctx := context.Background()
	o, err := s.PutOriginal(ctx, bytes.NewReader(body), 1<<30)
	if err != nil {
		b.Fatal(err)
	}
	p := DefaultProfile()
	p.Audio, p.Preset = true, "veryfast"
	seconds := float64(o.Source.DurationMS) / 1000
	b.Run("render", func(b *testing.B) {
		var wall time.Duration
		for b.Loop() {
			start := time.Now()
			r, err := s.Render(ctx, o.SHA256, o.Source, p, nil)
			if err != nil {
				b.Fatal(err)
			}
			wall += time.Since(start)
			if err := s.Remove(ctx, r.Key); err != nil { // so the next round stores it again
				b.Fatal(err)
			}
		}
		b.ReportMetric(seconds*float64(b.N)/wall.Seconds(), "rendition-s/wall-s")
	})
	b.Run("x264-only", func(b *testing.B) {
		in, done, err := s.localFile(ctx, o.SHA256)
		if err != nil {
			b.Fatal(err)
		}
		defer done()
		out := filepath.Join(b.TempDir(), "out.mp4")
		var wall time.Duration
		for b.Loop() {
			start := time.Now()
			if err := s.run(ctx, s.videoArgs(in, "", out, o.Source, p, p.Kbps-p.AudioKbps), in, out); err != nil {
				b.Fatal(err)
			}
			wall += time.Since(start)
		}
		b.ReportMetric(seconds*float64(b.N)/wall.Seconds(), "rendition-s/wall-s")
	})
}
