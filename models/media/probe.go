package media

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"strconv"
	"strings"
)

// Info describes a stored clip or source image: what a voter can measure of
// it. Images have no duration or audio.
type Info struct {
	MIME       string
	DurationMS int64
	Width      int
	Height     int
	HasAudio   bool
}

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

// info is the part of a probe that describes a stored file.
func (s Source) info() Info {
	return Info{MIME: s.MIME, DurationMS: s.DurationMS, Width: s.Width, Height: s.Height, HasAudio: s.HasAudio}
}

// Limits that keep a hostile file from making a probe slow or large.
const (
	maxTopLevelBoxes = 1 << 20  // a fragmented hour-long MP4 has a few thousand
	maxMoovBytes     = 64 << 20 // the index of a 1 GB clip is a few MB
)

// probe reads the streams, picture size and duration of the clip at path,
// with ffprobe when it is installed and with the Go parsers otherwise (which
// leave FPS and Kbps zero). A duration the container does not give is 0, for
// the caller to judge. size is the file's size, for the bitrate of a
// container that does not state one.
func (s *Store) probe(ctx context.Context, path, mime string, size int64) (Source, error) {
	if s.ffprobe != "" {
		return s.probeFFprobe(ctx, path, mime, size)
	}
	f, err := os.Open(path)
	if err != nil {
		return Source{}, err
	}
	defer f.Close()
	return probeGo(f, mime)
}

// demuxer names the ffmpeg demuxer for an accepted MIME type. Forcing it stops
// ffmpeg from guessing a playlist or concat format, which could make it read
// other files.
func demuxer(mime string) string {
	switch mime {
	case MIMEWebM, MIMEMatroska:
		return "matroska"
	}
	return "mov"
}

// ffprobeOutput is the part of ffprobe's JSON probeFFprobe reads.
type ffprobeOutput struct {
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

// probeFFprobe is probe with ffprobe. The demuxer is forced from the sniffed
// type and only file: URLs are allowed, so a crafted file cannot make
// ffprobe read anything else.
func (s *Store) probeFFprobe(ctx context.Context, path, mime string, size int64) (Source, error) {
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
	var out ffprobeOutput
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
		case "audio":
			src.HasAudio = true
		}
		if seconds <= 0 {
			seconds = parseSeconds(st.Duration)
		}
	}
	if src.Codec == "" {
		return Source{}, fmt.Errorf("%w: the file has no video stream", ErrCorrupt)
	}
	if src.Width <= 0 || src.Height <= 0 {
		return Source{}, fmt.Errorf("%w: the video stream has no picture size", ErrCorrupt)
	}
	if seconds <= 0 {
		return src, nil
	}
	src.DurationMS = int64(math.Round(seconds * 1000))
	if br, err := strconv.ParseInt(out.Format.BitRate, 10, 64); err == nil && br > 0 {
		src.Kbps = int(br / 1000)
	} else {
		src.Kbps = int(float64(size) * 8 / seconds / 1000)
	}
	return src, nil
}

// parseSeconds reads ffprobe's decimal seconds; "N/A" and junk count as 0.
func parseSeconds(s string) float64 {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		return 0
	}
	return v
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

// toolMessage turns ffmpeg's stderr into a short message for the uploader:
// its first line, with our temporary path replaced, since users should never
// see server paths.
func toolMessage(stderr, fallback string, paths ...string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(stderr), "\n")
	for _, p := range paths {
		line = strings.ReplaceAll(line, "file:"+p, "the file")
		line = strings.ReplaceAll(line, p, "the file")
	}
	if line == "" {
		return fallback
	}
	if len(line) > 200 {
		line = line[:200]
	}
	return line
}
