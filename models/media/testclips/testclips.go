// Package testclips generates small real video files with ffmpeg for tests:
// the shapes vendors deliver (codecs, containers, sizes, frame rates, with
// and without sound), made from lavfi test patterns so nothing is
// downloaded. Clips last one second and use the fastest encoder settings:
// they exercise decoding, not quality.
package testclips

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Spec describes one generated clip.
type Spec struct {
	Name      string // a label for subtests; also the file name stem
	Codec     string // h264, hevc, prores, vp9, av1, mpeg4
	Container string // mp4, mov, webm, mkv
	Width     int
	Height    int
	FPS       int
	Audio     bool
	Seconds   float64 // 0 means 1
	// Title, when set, is written as the container's title and comment
	// metadata, standing in for what vendors write there.
	Title string
}

// Vendors lists one clip of every shape the arena must take: each codec,
// each container, with and without sound, 4K to portrait, 24 to 60 fps.
var Vendors = []Spec{
	{Name: "h264-1080p30-aac-mp4", Codec: "h264", Container: "mp4", Width: 1920, Height: 1080, FPS: 30, Audio: true},
	{Name: "hevc-720p24-mp4", Codec: "hevc", Container: "mp4", Width: 1280, Height: 720, FPS: 24},
	{Name: "prores-720p24-pcm-mov", Codec: "prores", Container: "mov", Width: 1280, Height: 720, FPS: 24, Audio: true},
	{Name: "vp9-720p30-opus-webm", Codec: "vp9", Container: "webm", Width: 1280, Height: 720, FPS: 30, Audio: true},
	{Name: "av1-720p25-mp4", Codec: "av1", Container: "mp4", Width: 1280, Height: 720, FPS: 25},
	{Name: "mpeg4-640x360p25-mkv", Codec: "mpeg4", Container: "mkv", Width: 640, Height: 360, FPS: 25},
	{Name: "h264-4k60-mp4", Codec: "h264", Container: "mp4", Width: 3840, Height: 2160, FPS: 60},
	{Name: "h264-portrait-1080x1920p30-aac-mov", Codec: "h264", Container: "mov", Width: 1080, Height: 1920, FPS: 30, Audio: true},
	{Name: "vp9-640x360p24-mkv", Codec: "vp9", Container: "mkv", Width: 640, Height: 360, FPS: 24},
}

// Available reports why clips cannot be made here, or "" when they can.
func Available() string {
	for _, p := range []string{"ffmpeg", "ffprobe"} {
		if _, err := exec.LookPath(p); err != nil {
			return p + " is not installed (apt-get install ffmpeg)"
		}
	}
	return ""
}

// Make writes the clip into a temporary directory of t and returns its path.
// It skips the test when ffmpeg is missing.
func Make(t testing.TB, s Spec) string {
	t.Helper()
	if why := Available(); why != "" {
		t.Skip(why)
	}
	out := filepath.Join(t.TempDir(), s.Name+"."+s.Container)
	if msg, err := exec.Command("ffmpeg", Args(s, out)...).CombinedOutput(); err != nil {
		t.Fatalf("make %s: %v\n%s", s.Name, err, msg)
	}
	return out
}

// Bytes is Make returning the file's contents.
func Bytes(t testing.TB, s Spec) []byte {
	t.Helper()
	b, err := os.ReadFile(Make(t, s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Args returns the ffmpeg arguments that write s to out.
func Args(s Spec, out string) []string {
	secs := s.Seconds
	if secs <= 0 {
		secs = 1
	}
	dur := fmt.Sprint(secs)
	args := []string{"-v", "error", "-nostdin", "-y",
		// The pattern is drawn small and scaled up: drawing 4K frames costs
		// more than encoding them.
		"-f", "lavfi", "-i", fmt.Sprintf("testsrc2=size=%dx%d:rate=%d:duration=%s,scale=%d:%d",
			min(s.Width, 480)/2*2, min(s.Height, 480)/2*2, s.FPS, dur, s.Width, s.Height)}
	if s.Audio {
		args = append(args, "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration="+dur)
	}
	args = append(args, "-map", "0:v")
	if s.Audio {
		args = append(args, "-map", "1:a")
	}
	switch s.Codec {
	case "h264":
		args = append(args, "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p")
	case "hevc":
		args = append(args, "-c:v", "libx265", "-preset", "ultrafast", "-tag:v", "hvc1", "-x265-params", "log-level=error")
	case "prores":
		args = append(args, "-c:v", "prores_ks", "-profile:v", "2")
	case "vp9":
		args = append(args, "-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "1M")
	case "av1":
		args = append(args, "-c:v", "libsvtav1", "-preset", "12")
	case "mpeg4":
		args = append(args, "-c:v", "mpeg4", "-q:v", "5")
	default:
		panic("testclips: unknown codec " + s.Codec)
	}
	if s.Audio {
		switch s.Container {
		case "webm":
			args = append(args, "-c:a", "libopus")
		case "mov":
			args = append(args, "-c:a", "pcm_s16le")
		default:
			args = append(args, "-c:a", "aac")
		}
	}
	if s.Title != "" {
		args = append(args, "-metadata", "title="+s.Title, "-metadata", "comment="+s.Title, "-metadata", "encoder="+s.Title)
	}
	format := map[string]string{"mp4": "mp4", "mov": "mov", "webm": "webm", "mkv": "matroska"}[s.Container]
	return append(args, "-t", dur, "-f", format, out)
}
