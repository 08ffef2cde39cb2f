package media

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// modes runs a test with ffmpeg (skipped when it is not installed) and with
// the pure-Go path.
var modes = []struct {
	name   string
	ffmpeg bool
}{{"ffmpeg", true}, {"go", false}}

// PutRendition takes the demo clips as they are, but checks them as it
// would any file: by content, complete, within the limit.
func TestPutRendition_ValidatesByContent(t *testing.T) {
	mp4 := fixture(t, "clip.mp4")
	webm := fixture(t, "clip.webm")
	cases := []struct {
		name     string
		body     []byte
		maxBytes int64
		wantErr  error
		wantMIME string
		wantMsg  string // in the error message, when set
	}{
		{name: "valid MP4", body: mp4, wantMIME: MIMEMP4},
		{name: "valid WebM", body: webm, wantMIME: MIMEWebM},
		{name: "PNG named .mp4", body: pngBytes(t, 32, 32, ""), wantErr: ErrUnsupported, wantMsg: "image/png"},
		{name: "text file", body: []byte("hello, this is not a video\n"), wantErr: ErrUnsupported, wantMsg: "video/webm"},
		{name: "HEIF image in an MP4 container", body: append([]byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"), make([]byte, 64)...), wantErr: ErrUnsupported, wantMsg: "HEIF"},
		{name: "empty", body: nil, wantErr: ErrEmpty},
		{name: "MP4 cut in the media data", body: mp4[:len(mp4)*2/3], wantErr: ErrCorrupt, wantMsg: "truncated"},
		{name: "MP4 cut in the index", body: mp4[:200], wantErr: ErrCorrupt},
		{name: "MP4 header only", body: mp4[:40], wantErr: ErrCorrupt},
		{name: "WebM cut in the media data", body: webm[:len(webm)/2], wantErr: ErrCorrupt, wantMsg: "truncated"},
		{name: "one byte over the limit", body: mp4, maxBytes: int64(len(mp4) - 1), wantErr: ErrTooLarge},
		{name: "exactly the limit", body: mp4, maxBytes: int64(len(mp4)), wantMIME: MIMEMP4},
	}
	for _, mode := range modes {
		for _, tc := range cases {
			t.Run(mode.name+"/"+tc.name, func(t *testing.T) {
				s, dir := newStore(t, mode.ffmpeg)
				limit := tc.maxBytes
				if limit == 0 {
					limit = 1 << 20
				}
				got, err := s.PutRendition(context.Background(), bytes.NewReader(tc.body), limit)
				assertNoTemps(t, dir)
				if tc.wantErr != nil {
					if !errors.Is(err, tc.wantErr) {
						t.Fatalf("PutRendition error = %v, want %v", err, tc.wantErr)
					}
					if !strings.Contains(err.Error(), tc.wantMsg) {
						t.Errorf("error %q does not mention %q", err, tc.wantMsg)
					}
					if strings.Contains(err.Error(), dir) {
						t.Errorf("error %q shows a server path", err)
					}
					return
				}
				if err != nil {
					t.Fatalf("PutRendition: %v", err)
				}
				if got.Info.MIME != tc.wantMIME {
					t.Errorf("MIME = %q, want %q", got.Info.MIME, tc.wantMIME)
				}
				if got.Info.Width != 160 || got.Info.Height != 90 || !got.Info.HasAudio {
					t.Errorf("Info = %+v, want 160x90 with audio", got.Info)
				}
				if d := got.Info.DurationMS; d < 950 || d > 1100 {
					t.Errorf("DurationMS = %d, want about 1000", d)
				}
				if got.Key != got.SHA256 {
					t.Errorf("a rendition is stored as it is, but Key %s != SHA256 %s", got.Key, got.SHA256)
				}
				stored := readBlob(t, s, got.Key)
				if int64(len(stored)) != got.Size {
					t.Errorf("Size = %d, blob has %d bytes", got.Size, len(stored))
				}
				want := filepath.Join(dir, "blobs", got.Key[:2], got.Key)
				if _, err := os.Stat(want); err != nil {
					t.Errorf("blob not at its content address: %v", err)
				}
			})
		}
	}
}

// TestProbe_GoMatchesFFprobe checks the pure-Go parsers against ffprobe on
// the containers and codecs the arena sees.
func TestProbe_GoMatchesFFprobe(t *testing.T) {
	src := []string{"-f", "lavfi", "-i", "testsrc2=s=320x180:r=24:d=2.5"}
	withAudio := append(append([]string{}, src...), "-f", "lavfi", "-i", "sine=d=2.5", "-shortest")
	cases := []struct {
		name string
		file string
		args []string
	}{
		{"H.264 MP4 silent", "a.mp4", append(append([]string{}, src...), "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p")},
		{"H.264 MP4 with AAC, moov at the end", "b.mp4", append(append([]string{}, withAudio...), "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac")},
		{"fragmented MP4", "c.mp4", append(append([]string{}, withAudio...), "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-movflags", "+frag_keyframe+empty_moov+default_base_moof")},
		{"QuickTime", "d.mov", append(append([]string{}, src...), "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p")},
		{"VP9 WebM with Opus", "e.webm", append(append([]string{}, withAudio...), "-c:v", "libvpx-vp9", "-deadline", "realtime", "-c:a", "libopus")},
		{"Matroska", "f.mkv", append(append([]string{}, withAudio...), "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac")},
	}
	needFFmpeg(t)
	ff, _ := newStore(t, true)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body := makeClip(t, tc.file, tc.args...)
			path := filepath.Join(t.TempDir(), "clip")
			if err := os.WriteFile(path, body, 0o600); err != nil {
				t.Fatal(err)
			}
			mime, err := Sniff(body[:min(len(body), SniffLen)])
			if err != nil {
				t.Fatal(err)
			}
			want, err := ff.probe(context.Background(), path, mime, int64(len(body)))
			if err != nil {
				t.Fatalf("ffprobe: %v", err)
			}
			got, err := probeGo(bytes.NewReader(body), mime)
			if err != nil {
				t.Fatalf("probeGo: %v", err)
			}
			if got.Width != want.Width || got.Height != want.Height || got.HasAudio != want.HasAudio || got.Codec != want.Codec {
				t.Errorf("Go probe = %+v, ffprobe = %+v", got, want)
			}
			// A fragmented MP4 without mehd has no duration in its index;
			// ffprobe sums the fragments. PutRendition then rejects it without ffmpeg.
			if tc.name == "fragmented MP4" && got.DurationMS == 0 {
				return
			}
			if d := got.DurationMS - want.DurationMS; d < -50 || d > 50 {
				t.Errorf("Go duration %d ms, ffprobe %d ms", got.DurationMS, want.DurationMS)
			}
		})
	}
}

func TestPutRendition_SameBytesTwiceReusesTheBlob(t *testing.T) {
	for _, mode := range modes {
		t.Run(mode.name, func(t *testing.T) {
			s, dir := newStore(t, mode.ffmpeg)
			first, err := put(t, s, fixture(t, "clip.webm"))
			if err != nil {
				t.Fatal(err)
			}
			second, err := put(t, s, fixture(t, "clip.webm"))
			if err != nil {
				t.Fatal(err)
			}
			assertNoTemps(t, dir)
			if first.Existed || !second.Existed || first.Key != second.Key {
				t.Errorf("first %+v, second %+v: want the second to reuse the first's blob", first, second)
			}
		})
	}
}

func TestPutRendition_CancelledUploadLeavesNothing(t *testing.T) {
	s, dir := newStore(t, false)
	ctx, cancel := context.WithCancel(context.Background())
	r := io.MultiReader(bytes.NewReader(fixture(t, "clip.mp4")), readerFunc(func([]byte) (int, error) {
		cancel()
		return 0, nil
	}), bytes.NewReader(make([]byte, 1000)))
	if _, err := s.PutRendition(ctx, r, 1<<20); !errors.Is(err, context.Canceled) {
		t.Fatalf("PutRendition error = %v, want context.Canceled", err)
	}
	assertNoTemps(t, dir)
}

type readerFunc func([]byte) (int, error)

func (f readerFunc) Read(p []byte) (int, error) { return f(p) }

func TestOpen_RejectsKeysOutsideTheStore(t *testing.T) {
	ctx := context.Background()
	s, dir := newStore(t, false)
	if err := os.WriteFile(filepath.Join(dir, "secret"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{
		"", "../x", "../secret", "..", "/etc/passwd",
		strings.Repeat("A", 64), // upper case is not how keys are written
		strings.Repeat("a", 63), strings.Repeat("a", 65),
		strings.Repeat("a", 62) + "/.", strings.Repeat("g", 64),
	} {
		if f, err := s.Open(ctx, key); !errors.Is(err, ErrInvalidKey) {
			if f != nil {
				f.Close()
			}
			t.Errorf("Open(%q) error = %v, want ErrInvalidKey", key, err)
		}
		if err := s.Remove(ctx, key); !errors.Is(err, ErrInvalidKey) {
			t.Errorf("Remove(%q) error = %v, want ErrInvalidKey", key, err)
		}
	}
	if _, err := s.Open(ctx, strings.Repeat("ab", 32)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Open(missing key) error = %v, want fs.ErrNotExist", err)
	}
}

func TestRemove_RollsBackAPut(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t, false)
	got, err := put(t, s, fixture(t, "clip.mp4"))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Remove(ctx, got.Key); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Open(ctx, got.Key); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Open after Remove: %v, want fs.ErrNotExist", err)
	}
	if err := s.Remove(ctx, got.Key); err != nil {
		t.Errorf("second Remove: %v, want nil", err)
	}
}

// Without ffmpeg a demo server still stores its canonical clips, probing
// them in Go.
func TestNewStore_MissingFFmpegFallsBackToGo(t *testing.T) {
	s, err := NewStore(t.TempDir(), StoreOptions{FFmpeg: "/nonexistent/ffmpeg", FFprobe: "/nonexistent/ffprobe"})
	if err != nil {
		t.Fatal(err)
	}
	if s.CanTranscode() {
		t.Fatal("CanTranscode() = true for a missing program")
	}
	got, err := put(t, s, fixture(t, "clip.mp4"))
	if err != nil || got.Info.Width != 160 || got.Key != got.SHA256 {
		t.Fatalf("PutRendition = %+v, %v; want stored as is, probed", got, err)
	}
}
