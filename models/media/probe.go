package media

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"strconv"
	"strings"

	"github.com/abema/go-mp4"
)

// Info describes a stored clip or source image. Images have no duration or
// audio.
type Info struct {
	MIME       string
	DurationMS int64
	Width      int
	Height     int
	HasAudio   bool
}

// probed is what a probe learns, including what only this package needs.
type probed struct {
	Info
	// videoCodec is ffprobe's codec name ("h264", "hevc", "vp9", ...). It
	// decides which SEI filter the strip step applies.
	videoCodec string
}

// Limits that keep a hostile file from making a probe slow or large.
const (
	maxTopLevelBoxes = 1 << 20  // a fragmented hour-long MP4 has a few thousand
	maxMoovBytes     = 64 << 20 // the index of a 1 GB clip is a few MB
)

// probe reads duration, size and streams of the clip at path, with ffprobe
// when it is installed and with the Go parsers otherwise.
func (s *Store) probe(ctx context.Context, path, mime string) (probed, error) {
	if s.ffprobe != "" {
		return s.probeFFprobe(ctx, path, mime)
	}
	f, err := os.Open(path)
	if err != nil {
		return probed{}, err
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

// ffprobeOutput is the part of ffprobe's JSON the store reads.
type ffprobeOutput struct {
	Streams []struct {
		CodecType   string `json:"codec_type"`
		CodecName   string `json:"codec_name"`
		Width       int    `json:"width"`
		Height      int    `json:"height"`
		Duration    string `json:"duration"`
		Disposition struct {
			AttachedPic int `json:"attached_pic"`
		} `json:"disposition"`
	} `json:"streams"`
	Format struct {
		Duration string `json:"duration"`
	} `json:"format"`
}

func (s *Store) probeFFprobe(ctx context.Context, path, mime string) (probed, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, s.ffprobe,
		"-v", "error", "-protocol_whitelist", "file", "-f", demuxer(mime),
		"-print_format", "json",
		"-show_entries", "format=duration:stream=codec_type,codec_name,width,height,duration:stream_disposition=attached_pic",
		"-i", "file:"+path)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return probed{}, fmt.Errorf("ffprobe: %w", ctx.Err())
		}
		return probed{}, fmt.Errorf("%w: %s", ErrCorrupt, toolMessage(stderr.String(), "ffprobe could not read it", path))
	}
	var out ffprobeOutput
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		return probed{}, fmt.Errorf("read ffprobe output: %w", err)
	}
	p := probed{Info: Info{MIME: mime}}
	seconds := parseSeconds(out.Format.Duration)
	for _, st := range out.Streams {
		switch st.CodecType {
		case "video":
			// Cover art shows up as a video stream; it is not the clip.
			if st.Disposition.AttachedPic != 0 || p.videoCodec != "" {
				continue
			}
			p.videoCodec, p.Width, p.Height = st.CodecName, st.Width, st.Height
		case "audio":
			p.HasAudio = true
		}
		if seconds <= 0 {
			seconds = max(seconds, parseSeconds(st.Duration))
		}
	}
	if p.videoCodec == "" {
		return probed{}, fmt.Errorf("%w: no video stream", ErrCorrupt)
	}
	if p.Width <= 0 || p.Height <= 0 {
		return probed{}, fmt.Errorf("%w: the video stream has no picture size", ErrCorrupt)
	}
	p.DurationMS = int64(math.Round(seconds * 1000))
	return p, nil
}

// parseSeconds reads ffprobe's decimal seconds; "N/A" and junk count as 0.
func parseSeconds(s string) float64 {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		return 0
	}
	return v
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

// checkComplete rejects truncated uploads from the container's own sizes:
// probes read only the index, which can be intact while the media data after
// it is cut off.
func checkComplete(r io.ReadSeeker, size int64, mime string) error {
	switch mime {
	case MIMEWebM, MIMEMatroska:
		return checkCompleteEBML(r, size)
	}
	return checkCompleteBMFF(r, size)
}

// checkCompleteBMFF walks the top-level boxes: each must end inside the file,
// and one of them must be the moov index without which nothing plays.
func checkCompleteBMFF(r io.ReadSeeker, size int64) error {
	var off uint64
	sawMoov := false
	for n := 0; off < uint64(size); n++ {
		if n == maxTopLevelBoxes {
			return fmt.Errorf("%w: more than %d top-level boxes", ErrCorrupt, maxTopLevelBoxes)
		}
		if _, err := r.Seek(int64(off), io.SeekStart); err != nil {
			return err
		}
		bi, err := mp4.ReadBoxInfo(r)
		if err != nil {
			return fmt.Errorf("%w: unreadable box header at byte %d (the file may be truncated)", ErrCorrupt, off)
		}
		if bi.Size < bi.HeaderSize {
			return fmt.Errorf("%w: box %q at byte %d has an impossible size %d", ErrCorrupt, bi.Type, off, bi.Size)
		}
		if bi.Size > uint64(size)-off {
			return fmt.Errorf("%w: box %q at byte %d needs %d bytes but the file ends after %d: the upload is truncated",
				ErrCorrupt, bi.Type, off, bi.Size, uint64(size)-off)
		}
		if bi.Type == mp4.BoxTypeMoov() {
			sawMoov = true
		}
		off += bi.Size
	}
	if !sawMoov {
		return fmt.Errorf("%w: no moov box (the index that makes an MP4 playable); the file is incomplete or was still being written", ErrCorrupt)
	}
	return nil
}

// EBML element IDs checkCompleteEBML needs.
const (
	ebmlIDHeader  = 0x1A45DFA3
	ebmlIDSegment = 0x18538067
)

// checkCompleteEBML checks that the Segment, which holds everything in a WebM
// or Matroska file, fits in the file. Live recordings write an unknown size,
// which is allowed.
func checkCompleteEBML(r io.ReadSeeker, size int64) error {
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return err
	}
	br := &countingReader{r: r}
	for range 16 { // the Segment follows the header, perhaps after Void elements
		id, err := readVint(br, false)
		if err != nil {
			return fmt.Errorf("%w: unreadable EBML element at byte %d (the file may be truncated)", ErrCorrupt, br.n)
		}
		n, err := readVint(br, true)
		if err != nil {
			return fmt.Errorf("%w: unreadable EBML element size at byte %d", ErrCorrupt, br.n)
		}
		if id == ebmlIDSegment {
			if n == vintUnknown {
				return nil
			}
			if n > uint64(size-br.n) {
				return fmt.Errorf("%w: the Segment needs %d bytes but the file ends after %d: the upload is truncated",
					ErrCorrupt, n, size-br.n)
			}
			return nil
		}
		if n == vintUnknown || n > uint64(size-br.n) {
			return fmt.Errorf("%w: EBML element %#x at byte %d runs past the end of the file", ErrCorrupt, id, br.n)
		}
		if _, err := r.Seek(int64(n), io.SeekCurrent); err != nil {
			return err
		}
		br.n += int64(n)
	}
	return fmt.Errorf("%w: no Segment element", ErrCorrupt)
}

// vintUnknown is the value readVint returns for an all-ones size: "unknown".
const vintUnknown = math.MaxUint64

// readVint reads an EBML variable-length integer. IDs keep their length
// marker bit; sizes drop it, and an all-ones size reads as vintUnknown.
func readVint(r io.Reader, isSize bool) (uint64, error) {
	var b [8]byte
	if _, err := io.ReadFull(r, b[:1]); err != nil {
		return 0, err
	}
	length := 1
	for mask := byte(0x80); b[0]&mask == 0; mask >>= 1 {
		length++
		if length > 8 {
			return 0, errors.New("invalid EBML variable-length integer")
		}
	}
	if _, err := io.ReadFull(r, b[1:length]); err != nil {
		return 0, err
	}
	v := uint64(b[0])
	if isSize {
		v &= uint64(0xFF >> length)
	}
	allOnes := v == uint64(0xFF>>length)
	for _, c := range b[1:length] {
		v = v<<8 | uint64(c)
		allOnes = allOnes && c == 0xFF
	}
	if isSize && allOnes {
		return vintUnknown, nil
	}
	return v, nil
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
