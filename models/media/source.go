package media

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os/exec"
	"strconv"
	"strings"
)

// Source describes an uploaded original as ffprobe reads it. It is kept for
// the operator (what did the vendor send?) and as features for style control;
// voters never see it.
type Source struct {
	MIME       string  // the container, as sniffed: video/mp4, video/webm, ...
	Codec      string  // ffprobe's video codec name: h264, hevc, prores, vp9, av1, mpeg4, ...
	Width      int     // coded picture size of the first video stream
	Height     int     //
	FPS        float64 // average frame rate, 0 when the container does not say
	Kbps       int     // overall bitrate in kbit/s, from the file size when the container does not say
	DurationMS int64
	HasAudio   bool
}

// Limits bounds what an original may be. Zero fields mean the defaults.
type Limits struct {
	// MaxSeconds is the longest clip accepted; 0 means 60 (ARENA_MAX_CLIP_SECONDS).
	MaxSeconds int
	// MaxSide bounds each side of the frame in pixels; 0 means 8192, past
	// 8K, which no video model makes, and which keeps a 16K×16K frame from
	// costing gigabytes of memory per decoded picture.
	MaxSide int
}

func (l Limits) withDefaults() Limits {
	if l.MaxSeconds <= 0 {
		l.MaxSeconds = 60
	}
	if l.MaxSide <= 0 {
		l.MaxSide = 8192
	}
	return l
}

// sourceProbe is the part of ffprobe's JSON probeSource reads.
type sourceProbe struct {
	Streams []struct {
		CodecType    string `json:"codec_type"`
		CodecName    string `json:"codec_name"`
		Width        int    `json:"width"`
		Height       int    `json:"height"`
		Duration     string `json:"duration"`
		AvgFrameRate string `json:"avg_frame_rate"`
		RFrameRate   string `json:"r_frame_rate"`
		Disposition  struct {
			AttachedPic int `json:"attached_pic"`
		} `json:"disposition"`
	} `json:"streams"`
	Format struct {
		Duration string `json:"duration"`
		BitRate  string `json:"bit_rate"`
	} `json:"format"`
}

// probeSource reads what Source holds with ffprobe. The demuxer is forced
// from the sniffed type and only file: URLs are allowed, so a crafted file
// cannot make ffprobe read anything else.
func (s *Store) probeSource(ctx context.Context, path, mime string, size int64) (Source, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, s.ffprobe,
		"-v", "error", "-protocol_whitelist", "file", "-f", demuxer(mime),
		"-print_format", "json",
		"-show_entries", "format=duration,bit_rate:stream=codec_type,codec_name,width,height,duration,avg_frame_rate,r_frame_rate:stream_disposition=attached_pic",
		"-i", "file:"+path)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return Source{}, fmt.Errorf("ffprobe: %w", ctx.Err())
		}
		return Source{}, fmt.Errorf("%w: %s", ErrCorrupt, toolMessage(stderr.String(), "ffprobe could not read it", path))
	}
	var out sourceProbe
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		return Source{}, fmt.Errorf("read ffprobe output: %w", err)
	}
	src := Source{MIME: mime}
	seconds := parseSeconds(out.Format.Duration)
	for _, st := range out.Streams {
		switch st.CodecType {
		case "video":
			// Cover art shows up as a video stream; it is not the clip.
			if st.Disposition.AttachedPic != 0 || src.Codec != "" {
				continue
			}
			src.Codec, src.Width, src.Height = st.CodecName, st.Width, st.Height
			src.FPS = parseRate(st.AvgFrameRate)
			if src.FPS == 0 {
				src.FPS = parseRate(st.RFrameRate)
			}
			if seconds <= 0 {
				seconds = parseSeconds(st.Duration)
			}
		case "audio":
			src.HasAudio = true
		}
	}
	if src.Codec == "" {
		return Source{}, fmt.Errorf("%w: the file has no video stream", ErrCorrupt)
	}
	if src.Width <= 0 || src.Height <= 0 {
		return Source{}, fmt.Errorf("%w: the video stream has no picture size", ErrCorrupt)
	}
	if seconds <= 0 {
		return Source{}, fmt.Errorf("%w: the container gives no duration (a live recording?); remux it, e.g. ffmpeg -i in.webm -c copy out.webm", ErrCorrupt)
	}
	src.DurationMS = int64(math.Round(seconds * 1000))
	if br, err := strconv.ParseInt(out.Format.BitRate, 10, 64); err == nil && br > 0 {
		src.Kbps = int(br / 1000)
	} else {
		src.Kbps = int(float64(size) * 8 / seconds / 1000)
	}
	return src, nil
}

// check refuses a source outside the limits with ErrRejected.
func (l Limits) check(src Source) error {
	l = l.withDefaults()
	if src.DurationMS > int64(l.MaxSeconds)*1000 {
		return fmt.Errorf("%w: the clip lasts %.1f s and the limit is %d s (ARENA_MAX_CLIP_SECONDS); trim it, e.g. ffmpeg -i in.mp4 -t %d out.mp4",
			ErrRejected, float64(src.DurationMS)/1000, l.MaxSeconds, l.MaxSeconds)
	}
	if src.Width > l.MaxSide || src.Height > l.MaxSide {
		return fmt.Errorf("%w: the frame is %d×%d and neither side may exceed %d pixels; scale it down first",
			ErrRejected, src.Width, src.Height, l.MaxSide)
	}
	return nil
}

// parseRate reads ffprobe's "num/den" frame rates; "0/0" and junk are 0.
func parseRate(s string) float64 {
	num, den, ok := strings.Cut(s, "/")
	if !ok {
		return parseSeconds(s)
	}
	n, err1 := strconv.ParseFloat(num, 64)
	d, err2 := strconv.ParseFloat(den, 64)
	if err1 != nil || err2 != nil || d <= 0 || n <= 0 || math.IsInf(n, 0) {
		return 0
	}
	return math.Round(n/d*1000) / 1000
}

// Original is an upload kept as sent, for admins only.
type Original struct {
	// SHA256 is the hash of the uploaded bytes and the blob's key.
	SHA256 string
	Size   int64
	Source Source
	// Existed is true when these bytes were already stored (see
	// Stored.Existed).
	Existed bool
}

// PutOriginal receives an upload, checks that it is a complete video of an
// accepted type within the store's Limits, probes it and keeps it unchanged under its
// SHA-256. Voters never get these bytes: they get the rendition Render makes.
// Without ffmpeg it refuses with ErrNoFFmpeg before reading a byte, so nothing
// is stored that could not be transcoded.
func (s *Store) PutOriginal(ctx context.Context, r io.Reader, maxBytes int64) (Original, error) {
	if !s.CanTranscode() {
		return Original{}, ErrNoFFmpeg
	}
	var temps tempFiles
	defer temps.removeAll()
	up, err := s.receive(ctx, r, maxBytes, &temps)
	if err != nil {
		return Original{}, err
	}
	mime, err := Sniff(up.head)
	if err != nil {
		return Original{}, err
	}
	if err := checkCompleteFile(up.path, up.size, mime); err != nil {
		return Original{}, err
	}
	src, err := s.probeSource(ctx, up.path, mime, up.size)
	if err != nil {
		return Original{}, err
	}
	if err := s.limits.check(src); err != nil {
		return Original{}, err
	}
	existed, err := s.commit(ctx, up.path, up.sha256, up.size, &temps)
	if err != nil {
		return Original{}, err
	}
	return Original{SHA256: up.sha256, Size: up.size, Source: src, Existed: existed}, nil
}

// CanTranscode reports whether clips can be ingested: both ffmpeg and
// ffprobe were found.
func (s *Store) CanTranscode() bool { return s.ffmpeg != "" && s.ffprobe != "" }

// PutRendition stores a clip that is already a canonical rendition exactly
// as it is, probing it for what voters will measure: the demo clips, which
// static/demo/make-demo.sh encodes to one profile without metadata. Nothing
// uploaded goes this way; uploads are PutOriginal and Render.
func (s *Store) PutRendition(ctx context.Context, r io.Reader, maxBytes int64) (Stored, error) {
	var temps tempFiles
	defer temps.removeAll()
	up, err := s.receive(ctx, r, maxBytes, &temps)
	if err != nil {
		return Stored{}, err
	}
	mime, err := Sniff(up.head)
	if err != nil {
		return Stored{}, err
	}
	if err := checkCompleteFile(up.path, up.size, mime); err != nil {
		return Stored{}, err
	}
	p, err := s.probe(ctx, up.path, mime)
	if err != nil {
		return Stored{}, err
	}
	if p.DurationMS <= 0 {
		return Stored{}, fmt.Errorf("%w: the container gives no duration", ErrCorrupt)
	}
	st := Stored{SHA256: up.sha256, Key: up.sha256, Size: up.size, Info: p.Info, MetadataStripped: true}
	if st.Existed, err = s.commit(ctx, up.path, up.sha256, up.size, &temps); err != nil {
		return Stored{}, err
	}
	return st, nil
}
