package media

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
)

// Features are the style measurements of a clip's picture that the
// style-controlled leaderboard holds equal, each from ffmpeg's signalstats
// filter on 8-bit YUV 4:2:0 frames (the clip is converted first, so every
// clip is measured on the same 0–255 scale):
//
//   - Motion: the mean over consecutive frame pairs of YDIF, the mean
//     absolute difference of the luma planes of a frame and the one before
//     (0 = a still picture, 255 = black to white every frame). A single-frame
//     clip has motion 0.
//   - Brightness: the mean over frames of YAVG, the mean luma (0 black, 255
//     white).
//   - Saturation: the mean over frames of SATAVG, the mean distance of the
//     chroma samples from grey, √((U−128)²+(V−128)²) (0 grey; about 181 at
//     most).
//
// Duration and sound come from the probe (Info), not from here.
type Features struct {
	Motion, Brightness, Saturation float64
	// Frames is the number of frames measured.
	Frames int
}

// MeasureFeatures decodes every frame of the stored blob key (of the given
// MIME type) with ffmpeg and averages its signalstats. It needs ffmpeg
// (ErrNoFFmpeg otherwise) and takes about as long as decoding the clip.
func (s *Store) MeasureFeatures(ctx context.Context, key, mime string) (Features, error) {
	if s.ffmpeg == "" {
		return Features{}, ErrNoFFmpeg
	}
	if !validKey(key) {
		return Features{}, fmt.Errorf("%w: bad blob key %q", ErrCorrupt, key)
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	path, done, err := s.localFile(ctx, key)
	if err != nil {
		return Features{}, err
	}
	defer done()
	cmd := exec.CommandContext(ctx, s.ffmpeg,
		"-v", "error", "-nostdin", "-protocol_whitelist", "file", "-f", demuxer(mime),
		"-i", "file:"+path,
		"-map", "0:v:0", "-an", "-sn", "-dn",
		"-vf", `format=yuv420p,signalstats,metadata=mode=print:file='pipe\:1'`,
		"-f", "null", "-")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return Features{}, err
	}
	if err := cmd.Start(); err != nil {
		return Features{}, fmt.Errorf("start ffmpeg: %w", err)
	}
	f, parseErr := parseSignalstats(bufio.NewReader(stdout))
	if err := cmd.Wait(); err != nil {
		if ctx.Err() != nil {
			return Features{}, fmt.Errorf("ffmpeg: %w", ctx.Err())
		}
		return Features{}, fmt.Errorf("%w: %s", ErrCorrupt, toolMessage(stderr.String(), "ffmpeg could not decode it", path))
	}
	if parseErr != nil {
		return Features{}, parseErr
	}
	if f.Frames == 0 {
		return Features{}, fmt.Errorf("%w: no video frames to measure", ErrCorrupt)
	}
	return f, nil
}

// parseSignalstats averages the per-frame values the metadata filter
// prints: a "frame:N ..." line, then one "lavfi.signalstats.KEY=VALUE" line
// per statistic. It reads to the end so that ffmpeg never blocks on a full
// pipe.
func parseSignalstats(r *bufio.Reader) (Features, error) {
	var f Features
	var ydif, yavg, satavg float64
	diffs := 0
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "frame:") {
			f.Frames++
			continue
		}
		key, value, ok := strings.Cut(strings.TrimPrefix(line, "lavfi.signalstats."), "=")
		if !ok {
			continue
		}
		var sum *float64
		switch key {
		case "YAVG":
			sum = &yavg
		case "SATAVG":
			sum = &satavg
		case "YDIF":
			// The first frame has no previous one; its YDIF is 0 and not a
			// difference.
			if f.Frames <= 1 {
				continue
			}
			sum = &ydif
			diffs++
		default:
			continue
		}
		v, err := strconv.ParseFloat(value, 64)
		if err != nil {
			return Features{}, fmt.Errorf("read signalstats %s=%q: %w", key, value, err)
		}
		*sum += v
	}
	if err := sc.Err(); err != nil {
		return Features{}, fmt.Errorf("read signalstats: %w", err)
	}
	if f.Frames > 0 {
		f.Brightness = yavg / float64(f.Frames)
		f.Saturation = satavg / float64(f.Frames)
	}
	if diffs > 0 {
		f.Motion = ydif / float64(diffs)
	}
	return f, nil
}
