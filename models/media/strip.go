package media

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
)

// strip remuxes the clip at in into a new temporary file with every piece of
// metadata that could name a model removed, and returns that file's path.
// It copies streams (no re-encoding, so no quality loss and little CPU):
//
//   - only the first real video stream and the first audio stream are kept, so
//     cover art, subtitles, timecode and data tracks (and whatever text they
//     carry) are dropped;
//   - global, stream and chapter metadata are dropped (title, comment,
//     encoder, handler names, XMP, C2PA and other uuid boxes);
//   - bitexact output leaves out ffmpeg's version string, so every stored
//     clip carries the same muxer marker;
//   - H.264 and HEVC SEI messages are removed from the frames, since encoders
//     write their name and settings there (x264 does); ffmpeg 5.1 leaves the
//     SEI that x265 also copies into the hvcC sample description;
//   - MP4 and QuickTime get +faststart so browsers can start playing before
//     the whole file has arrived.
//
// Only our own temporary paths reach ffmpeg, never a name a user chose.
func (s *Store) strip(ctx context.Context, in, mime, videoCodec string) (string, error) {
	f, err := os.CreateTemp(s.tmpDir, "strip-*")
	if err != nil {
		return "", err
	}
	out := f.Name()
	f.Close()

	args := []string{
		"-v", "error", "-nostdin", "-y",
		"-protocol_whitelist", "file", "-f", demuxer(mime), "-i", "file:" + in,
		"-map", "0:V:0", "-map", "0:a:0?", "-c", "copy",
	}
	if bsf := seiFilter(videoCodec); bsf != "" {
		args = append(args, "-bsf:v", bsf)
	}
	args = append(args,
		"-map_metadata", "-1", "-map_chapters", "-1",
		"-fflags", "+bitexact", "-flags:v", "+bitexact", "-flags:a", "+bitexact")
	switch mime {
	case MIMEWebM:
		args = append(args, "-f", "webm")
	case MIMEMatroska:
		args = append(args, "-f", "matroska")
	case MIMEQuickTime:
		args = append(args, "-movflags", "+faststart", "-f", "mov")
	default:
		args = append(args, "-movflags", "+faststart", "-f", "mp4")
	}
	args = append(args, "file:"+out)

	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, s.ffmpeg, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		os.Remove(out)
		if ctx.Err() != nil {
			return "", fmt.Errorf("ffmpeg remux: %w", ctx.Err())
		}
		return "", fmt.Errorf("%w: removing metadata failed: %s", ErrCorrupt,
			toolMessage(stderr.String(), "ffmpeg could not remux it", in, out))
	}
	return out, nil
}

// seiFilter returns the bitstream filter that drops SEI NAL units for codecs
// that have them, and "" for the others.
func seiFilter(videoCodec string) string {
	switch videoCodec {
	case "h264":
		return "filter_units=remove_types=6"
	case "hevc":
		return "filter_units=remove_types=39|40" // prefix and suffix SEI
	}
	return ""
}
