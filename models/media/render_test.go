package media

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os/exec"
	"strings"
	"testing"

	"github.com/arena-video/arena/models/media/testclips"
)

// renditionProbe is what a voter's tools can read of a served file.
type renditionProbe struct {
	Streams []struct {
		CodecType    string            `json:"codec_type"`
		CodecName    string            `json:"codec_name"`
		Profile      string            `json:"profile"`
		PixFmt       string            `json:"pix_fmt"`
		Width        int               `json:"width"`
		Height       int               `json:"height"`
		AvgFrameRate string            `json:"avg_frame_rate"`
		SampleRate   string            `json:"sample_rate"`
		Channels     int               `json:"channels"`
		Tags         map[string]string `json:"tags"`
	} `json:"streams"`
	Format struct {
		FormatName string            `json:"format_name"`
		Duration   string            `json:"duration"`
		Tags       map[string]string `json:"tags"`
	} `json:"format"`
}

func ffprobeBlob(t *testing.T, s *Store, key string) renditionProbe {
	t.Helper()
	path, done, err := s.localFile(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	defer done()
	cmd := exec.Command("ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams", path)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("ffprobe rendition: %v", err)
	}
	var p renditionProbe
	if err := json.Unmarshal(out, &p); err != nil {
		t.Fatal(err)
	}
	return p
}

// render stores b as an original and renders it with p.
func render(t *testing.T, s *Store, b []byte, p Profile) (Original, Rendition) {
	t.Helper()
	ctx := context.Background()
	o, err := s.PutOriginal(ctx, bytes.NewReader(b), 1<<30)
	if err != nil {
		t.Fatalf("PutOriginal: %v", err)
	}
	p.Audio = o.Source.HasAudio
	var last int
	r, err := s.Render(ctx, o.SHA256, o.Source, p, func(pct int) {
		if pct < last {
			t.Errorf("progress went back from %d to %d", last, pct)
		}
		last = pct
	})
	if err != nil {
		t.Fatalf("Render: %v", err)
	}
	if last != 100 {
		t.Errorf("progress ended at %d, want 100", last)
	}
	return o, r
}

// Every vendor shape becomes the same canonical rendition: H.264 High
// yuv420p in MP4, inside the box, at the profile's frame rate, AAC stereo
// 48 kHz when it has sound, and bytes per second within 5% of the target.
func TestRender_VendorShapesBecomeOneProfile(t *testing.T) {
	s, dir := newStore(t, true)
	p := DefaultProfile()
	p.Preset = "superfast" // ultrafast turns off CABAC, which makes the stream Constrained Baseline
	for _, spec := range testclips.Vendors {
		t.Run(spec.Name, func(t *testing.T) {
			o, r := render(t, s, testclips.Bytes(t, spec), p)
			if o.Source.Codec != map[string]string{"h264": "h264", "hevc": "hevc", "prores": "prores", "vp9": "vp9", "av1": "av1", "mpeg4": "mpeg4"}[spec.Codec] ||
				o.Source.Width != spec.Width || o.Source.Height != spec.Height || int(o.Source.FPS+0.5) != spec.FPS || o.Source.HasAudio != spec.Audio {
				t.Errorf("source probe = %+v, want %s %dx%d %d fps audio=%t", o.Source, spec.Codec, spec.Width, spec.Height, spec.FPS, spec.Audio)
			}
			if o.Source.Kbps <= 0 || o.Source.DurationMS < 900 || o.Source.DurationMS > 1100 {
				t.Errorf("source probe = %+v: want a bitrate and about 1 s", o.Source)
			}
			got := ffprobeBlob(t, s, r.Key)
			if !strings.Contains(got.Format.FormatName, "mp4") || r.Info.MIME != MIMEMP4 {
				t.Errorf("container %q (%s), want mp4", got.Format.FormatName, r.Info.MIME)
			}
			var video, audio int
			for _, st := range got.Streams {
				switch st.CodecType {
				case "video":
					video++
					if st.CodecName != "h264" || st.Profile != "High" || st.PixFmt != "yuv420p" || st.AvgFrameRate != "24/1" {
						t.Errorf("video %s %s %s %s, want h264 High yuv420p 24/1", st.CodecName, st.Profile, st.PixFmt, st.AvgFrameRate)
					}
					if st.Width > p.BoxWidth || st.Height > p.BoxHeight || (st.Width != p.BoxWidth && st.Height != p.BoxHeight && st.Width != spec.Width) {
						t.Errorf("picture %dx%d does not fit the %dx%d box snugly (source %dx%d)", st.Width, st.Height, p.BoxWidth, p.BoxHeight, spec.Width, spec.Height)
					}
					srcAspect, aspect := float64(spec.Width)/float64(spec.Height), float64(st.Width)/float64(st.Height)
					if d := aspect/srcAspect - 1; d > 0.02 || d < -0.02 {
						t.Errorf("aspect %.3f, source %.3f", aspect, srcAspect)
					}
				case "audio":
					audio++
					if st.CodecName != "aac" || st.SampleRate != "48000" || st.Channels != 2 {
						t.Errorf("audio %s %s Hz %d ch, want aac 48000 Hz stereo", st.CodecName, st.SampleRate, st.Channels)
					}
				default:
					t.Errorf("unexpected %s stream", st.CodecType)
				}
			}
			if video != 1 || audio != map[bool]int{true: 1, false: 0}[spec.Audio] {
				t.Errorf("%d video and %d audio streams", video, audio)
			}
			if dev := bytesPerSecondDeviation(r, p); dev > 0.05 || dev < -0.05 {
				t.Errorf("%d bytes over %d ms is %+.1f%% off %d kbit/s", r.Size, r.Info.DurationMS, dev*100, p.Kbps)
			}
			if r.PosterKey == "" || !bytes.HasPrefix(readBlob(t, s, r.PosterKey), []byte{0xFF, 0xD8, 0xFF}) {
				t.Errorf("poster %q is not a JPEG", r.PosterKey)
			}
		})
	}
	assertNoTemps(t, dir)
}

func bytesPerSecondDeviation(r Rendition, p Profile) float64 {
	bps := float64(r.Size) / (float64(r.Info.DurationMS) / 1000)
	return bps/(float64(p.Kbps)*1000/8) - 1
}

// Content that compresses to nothing and content that does not compress at
// all land on the same bytes per second: filler pads the first, the small
// VBV buffer caps the second.
func TestRender_BytesPerSecondHoldWhateverTheContent(t *testing.T) {
	s, _ := newStore(t, true)
	p := DefaultProfile()
	p.Preset = "superfast" // ultrafast turns off CABAC, which makes the stream Constrained Baseline
	sources := map[string][]string{
		"flat-grey-silent": {"-f", "lavfi", "-i", "color=c=gray:s=640x360:r=30:d=2", "-f", "lavfi", "-i", "anullsrc=r=48000:cl=stereo", "-t", "2", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-f", "mp4"},
		"noise-loud":       {"-f", "lavfi", "-i", "nullsrc=s=1280x720:r=30:d=2,geq=random(1)*255:128:128", "-f", "lavfi", "-i", "anoisesrc=r=48000:a=0.5", "-t", "2", "-c:v", "libx264", "-preset", "ultrafast", "-crf", "5", "-c:a", "aac", "-f", "mp4"},
	}
	for name, args := range sources {
		t.Run(name, func(t *testing.T) {
			_, r := render(t, s, makeClip(t, name+".mp4", args...), p)
			if dev := bytesPerSecondDeviation(r, p); dev > 0.05 || dev < -0.05 {
				t.Errorf("%d bytes over %d ms is %+.1f%% off %d kbit/s", r.Size, r.Info.DurationMS, dev*100, p.Kbps)
			}
		})
	}
}

// Nothing of the source survives: a planted title, comment and encoder
// string, a uuid box (where C2PA and XMP live), the x265 settings string
// and the source's creation time.
func TestRender_NoSourceMetadataSurvives(t *testing.T) {
	s, _ := newStore(t, true)
	const planted = "PLANTED-by-VendorModel-9"
	spec := testclips.Spec{Name: "planted", Codec: "hevc", Container: "mp4", Width: 320, Height: 240, FPS: 24, Audio: true, Title: planted}
	src := append(testclips.Bytes(t, spec), uuidBox("c2pa manifest "+planted)...)
	for _, want := range []string{planted, "x265", "c2pa"} {
		if !bytes.Contains(src, []byte(want)) {
			t.Fatalf("the source should carry %q for this test to mean anything", want)
		}
	}
	p := DefaultProfile()
	p.Preset = "superfast" // ultrafast turns off CABAC, which makes the stream Constrained Baseline
	_, r := render(t, s, src, p)
	out := readBlob(t, s, r.Key)
	for _, bad := range []string{planted, "VendorModel", "x265", "c2pa", "Lavf", "HEVC"} {
		if bytes.Contains(out, []byte(bad)) {
			t.Errorf("the rendition still contains %q", bad)
		}
	}
	got := ffprobeBlob(t, s, r.Key)
	if ct, ok := got.Format.Tags["creation_time"]; ok && !strings.HasPrefix(ct, "1970") && !strings.HasPrefix(ct, "1904") {
		t.Errorf("creation_time %q survived", ct)
	}
	for _, k := range []string{"title", "comment", "encoder"} {
		if v, ok := got.Format.Tags[k]; ok {
			t.Errorf("tag %s=%q survived", k, v)
		}
	}
	if poster := readBlob(t, s, r.PosterKey); bytes.Contains(poster, []byte("Lavc")) {
		t.Error("the poster names the encoder")
	}
}

// What only decoding finds fails the render with ffmpeg's reason; what the
// probe finds is refused before anything is stored.
func TestPutOriginal_RefusesWhatCannotBecomeARendition(t *testing.T) {
	_, dir := newStore(t, true)
	ctx := context.Background()
	long := makeClip(t, "long.mp4", "-f", "lavfi", "-i", "color=s=64x64:r=1:d=7200", "-c:v", "libx264", "-preset", "ultrafast", "-f", "mp4")
	audioOnly := makeClip(t, "audio.mp4", "-f", "lavfi", "-i", "sine=d=1", "-c:a", "aac", "-f", "mp4")
	cases := []struct {
		name string
		b    []byte
		lim  Limits
		want error
	}{
		{"empty", nil, Limits{}, ErrEmpty},
		{"two hours", long, Limits{}, ErrRejected},
		{"too wide for the limit", testclips.Bytes(t, testclips.Spec{Name: "wide", Codec: "h264", Container: "mp4", Width: 640, Height: 64, FPS: 24}), Limits{MaxSide: 320}, ErrRejected},
		{"no video stream", audioOnly, Limits{}, ErrCorrupt},
		{"truncated", long[:len(long)/2], Limits{}, ErrCorrupt},
		{"not a video", []byte("hello, this is text and not a clip at all"), Limits{}, ErrUnsupported},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, err := NewStore(dir, StoreOptions{Limits: c.lim})
			if err != nil {
				t.Fatal(err)
			}
			_, err = s.PutOriginal(ctx, bytes.NewReader(c.b), 1<<30)
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
			if strings.Contains(err.Error(), dir) {
				t.Errorf("the message shows a server path: %v", err)
			}
		})
	}
	assertNoTemps(t, dir)
}

// A file whose index is intact but whose frames are garbage passes the
// probe and fails the render with ffmpeg's reason, leaving no file.
func TestRender_UndecodableFramesFail(t *testing.T) {
	s, dir := newStore(t, true)
	b := testclips.Bytes(t, testclips.Spec{Name: "garbage", Codec: "mpeg4", Container: "mkv", Width: 320, Height: 240, FPS: 24})
	for i := len(b) / 4; i < len(b)-16; i++ {
		b[i] = byte(i * 7)
	}
	o, err := s.PutOriginal(context.Background(), bytes.NewReader(b), 1<<30)
	if err != nil {
		t.Skipf("the probe already refused it: %v", err)
	}
	_, err = s.Render(context.Background(), o.SHA256, o.Source, DefaultProfile(), nil)
	if !errors.Is(err, ErrCorrupt) {
		t.Fatalf("err = %v, want ErrCorrupt", err)
	}
	assertNoTemps(t, dir)
}

func TestPutOriginal_WithoutFFmpegStoresNothing(t *testing.T) {
	s, dir := newStore(t, false)
	_, err := s.PutOriginal(context.Background(), strings.NewReader("anything"), 1<<20)
	if !errors.Is(err, ErrNoFFmpeg) {
		t.Fatalf("err = %v, want ErrNoFFmpeg", err)
	}
	assertNoTemps(t, dir)
}
