package media

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
)

// Rendition is what voters are served of a clip: the canonical transcode and
// its poster frame, both stored content-addressed.
type Rendition struct {
	// Key is the blob key of the MP4, Size its length.
	Key  string
	Size int64
	// Info is the probe of the rendition: what a voter can measure.
	Info Info
	// PosterKey is the blob key of a JPEG frame from the middle of the clip.
	PosterKey string
	// Existed is true when the same rendition bytes were already stored.
	Existed bool
}

// Progress receives how much of a transcode is done, 0 to 100. It is called
// from the goroutine running Render, often; it must not block for long.
type Progress func(percent int)

// Render transcodes the original stored under key (as PutOriginal kept it,
// with the Source it found) into p's canonical rendition, stores it with its
// poster frame and returns both. progress, when not nil, follows ffmpeg's
// -progress reports. A source ffmpeg cannot decode fails with ErrCorrupt and
// ffmpeg's reason; nothing is left behind on any failure.
//
// The pipeline has two encodes: the audio first, to AAC in a temporary file,
// because AAC's size depends on the content (silence costs almost nothing)
// and the video then gets exactly the bitrate the audio left, so the file as
// a whole lands on p.Kbps. Style control's per-rendition measurements belong
// after the video encode, on the rendition, before it is stored.
func (s *Store) Render(ctx context.Context, key string, src Source, p Profile, progress Progress) (Rendition, error) {
	if !s.CanTranscode() {
		return Rendition{}, ErrNoFFmpeg
	}
	if !validKey(key) {
		return Rendition{}, ErrInvalidKey
	}
	if err := p.Validate(); err != nil {
		return Rendition{}, err
	}
	if p.Preset == "" {
		p.Preset = "veryfast"
	}
	if progress == nil {
		progress = func(int) {}
	}
	// ffmpeg reads files: the original's own file in a data directory, or
	// a temporary copy from the bucket.
	in, done, err := s.localFile(ctx, key)
	if err != nil {
		return Rendition{}, fmt.Errorf("open original: %w", err)
	}
	defer done()
	var temps tempFiles
	defer temps.removeAll()

	videoKbps := p.Kbps - muxOverheadKbps
	var audioPath string
	if p.Audio && src.HasAudio {
		var audioKbps int
		var err error
		audioPath, audioKbps, err = s.encodeAudio(ctx, in, src, p, &temps)
		if err != nil {
			return Rendition{}, err
		}
		videoKbps -= audioKbps
	}
	out, err := s.newTemp("render-*.mp4", &temps)
	if err != nil {
		return Rendition{}, err
	}
	args := s.videoArgs(in, audioPath, out, src, p, videoKbps)
	if err := s.runWithProgress(ctx, args, src.DurationMS, progress, in, out); err != nil {
		return Rendition{}, err
	}
	info, err := s.probe(ctx, out, MIMEMP4, 0)
	if err != nil {
		return Rendition{}, fmt.Errorf("probe rendition: %w", err)
	}
	if info.DurationMS <= 0 {
		return Rendition{}, fmt.Errorf("%w: the rendition has no duration; the source decodes to no frames", ErrCorrupt)
	}
	r := Rendition{Info: info.info()}
	if r.Key, r.Size, err = hashFile(out); err != nil {
		return Rendition{}, err
	}
	if r.PosterKey, err = s.poster(ctx, out, info.DurationMS, &temps); err != nil {
		return Rendition{}, err
	}
	if r.Existed, err = s.commit(ctx, out, r.Key, r.Size, &temps); err != nil {
		return Rendition{}, err
	}
	progress(100)
	return r, nil
}

// muxOverheadKbps is what MP4's index and headers add to the encoded
// streams, on average: measured on 1 to 60 s renditions at 2500 kbit/s.
const muxOverheadKbps = 8

// newTemp makes an empty temporary file that temps removes.
func (s *Store) newTemp(pattern string, temps *tempFiles) (string, error) {
	f, err := os.CreateTemp(s.tmpDir, pattern)
	if err != nil {
		return "", fmt.Errorf("transcode: %w", err)
	}
	f.Close()
	temps.add(f.Name())
	return f.Name(), nil
}

// encodeAudio encodes the first audio track to AAC stereo 48 kHz and returns
// the file and its actual bitrate, which is below the asked one on quiet or
// simple sound.
func (s *Store) encodeAudio(ctx context.Context, in string, src Source, p Profile, temps *tempFiles) (string, int, error) {
	out, err := s.newTemp("audio-*.m4a", temps)
	if err != nil {
		return "", 0, err
	}
	args := []string{
		"-v", "error", "-nostdin", "-y",
		"-protocol_whitelist", "file", "-f", demuxer(src.MIME), "-i", "file:" + in,
		"-map", "0:a:0", "-vn", "-sn", "-dn",
		"-c:a", "aac", "-b:a", strconv.Itoa(p.AudioKbps) + "k", "-ac", "2", "-ar", "48000",
		"-map_metadata", "-1", "-map_chapters", "-1", "-fflags", "+bitexact", "-flags:a", "+bitexact",
		"-f", "mp4", "file:" + out,
	}
	if err := s.run(ctx, args, in, out); err != nil {
		return "", 0, err
	}
	fi, err := os.Stat(out)
	if err != nil {
		return "", 0, err
	}
	seconds := max(float64(src.DurationMS)/1000, 0.1)
	return out, int(float64(fi.Size())*8/seconds/1000 + 0.5), nil
}

// videoArgs builds the ffmpeg arguments of the main encode.
//
// Rate control is x264's constant bitrate with HRD filler (nal-hrd=cbr):
// average-bitrate encoding spends half the target on simple content, which
// would let a voter tell a simple-looking model by Content-Length. The VBV
// buffer is a tenth of a second, so even a one-second clip cannot run over.
func (s *Store) videoArgs(in, audio, out string, src Source, p Profile, videoKbps int) []string {
	rate := strconv.Itoa(videoKbps) + "k"
	args := []string{
		// -xerror: a frame that fails to decode fails the render, so voters
		// never see a half-broken clip.
		"-v", "error", "-nostdin", "-y", "-nostats", "-progress", "pipe:1", "-xerror",
		"-protocol_whitelist", "file", "-f", demuxer(src.MIME), "-i", "file:" + in,
	}
	if audio != "" {
		args = append(args, "-f", "mp4", "-i", "file:"+audio, "-map", "0:V:0", "-map", "1:a:0", "-c:a", "copy")
	} else {
		args = append(args, "-map", "0:V:0", "-an")
	}
	filter := fmt.Sprintf("scale='min(%d,iw)':'min(%d,ih)':force_original_aspect_ratio=decrease:force_divisible_by=2,fps=%d,format=yuv420p,setsar=1",
		p.BoxWidth, p.BoxHeight, p.FPS)
	args = append(args,
		"-sn", "-dn", "-vf", filter,
		"-c:v", "libx264", "-preset", p.Preset, "-profile:v", "high", "-pix_fmt", "yuv420p",
		"-b:v", rate, "-minrate", rate, "-maxrate", rate, "-bufsize", strconv.Itoa(max(videoKbps/10, 50))+"k",
		"-x264-params", "nal-hrd=cbr:force-cfr=1",
		"-map_metadata", "-1", "-map_chapters", "-1",
		"-fflags", "+bitexact", "-flags:v", "+bitexact", "-flags:a", "+bitexact",
		"-movflags", "+faststart", "-f", "mp4", "file:"+out)
	return args
}

// poster grabs the frame in the middle of the rendition as a JPEG with no
// metadata (bitexact drops the encoder comment) and stores it.
func (s *Store) poster(ctx context.Context, rendition string, durationMS int64, temps *tempFiles) (string, error) {
	out, err := s.newTemp("poster-*.jpg", temps)
	if err != nil {
		return "", err
	}
	args := []string{
		"-v", "error", "-nostdin", "-y",
		"-ss", strconv.FormatFloat(float64(durationMS)/2000, 'f', 3, 64),
		"-protocol_whitelist", "file", "-f", "mov", "-i", "file:" + rendition,
		"-map", "0:v:0", "-frames:v", "1", "-c:v", "mjpeg", "-q:v", "3",
		"-map_metadata", "-1", "-fflags", "+bitexact", "-flags:v", "+bitexact",
		"-f", "image2", "file:" + out,
	}
	if err := s.run(ctx, args, rendition, out); err != nil {
		return "", fmt.Errorf("poster frame: %w", err)
	}
	key, size, err := hashFile(out)
	if err != nil {
		return "", err
	}
	if _, err := s.commit(ctx, out, key, size, temps); err != nil {
		return "", err
	}
	return key, nil
}

// run runs ffmpeg with args and turns a failure into ErrCorrupt with the
// first line ffmpeg wrote, server paths removed.
func (s *Store) run(ctx context.Context, args []string, paths ...string) error {
	return s.runWithProgress(ctx, args, 0, nil, paths...)
}

// runWithProgress runs ffmpeg; when progress is not nil, args must send
// -progress to pipe:1, and each reported out_time becomes a percentage of
// durationMS.
func (s *Store) runWithProgress(ctx context.Context, args []string, durationMS int64, progress Progress, paths ...string) error {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, s.ffmpeg, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	var stdout io.ReadCloser
	if progress != nil {
		var err error
		if stdout, err = cmd.StdoutPipe(); err != nil {
			return err
		}
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start ffmpeg: %w", err)
	}
	if progress != nil {
		readProgress(stdout, durationMS, progress)
	}
	if err := cmd.Wait(); err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("ffmpeg: %w", ctx.Err())
		}
		return fmt.Errorf("%w: ffmpeg could not transcode it: %s", ErrCorrupt, toolMessage(stderr.String(), err.Error(), paths...))
	}
	return nil
}

// readProgress reads ffmpeg's -progress key=value lines until the pipe
// closes, reporting each new whole percent. The last percent is left to the
// caller, which reports 100 once the rendition is stored.
func readProgress(r io.Reader, durationMS int64, progress Progress) {
	sc := bufio.NewScanner(r)
	last := -1
	for sc.Scan() {
		k, v, _ := strings.Cut(sc.Text(), "=")
		// out_time_us and (despite its name) out_time_ms are microseconds.
		if k != "out_time_us" || durationMS <= 0 {
			continue
		}
		us, err := strconv.ParseInt(v, 10, 64)
		if err != nil || us < 0 {
			continue
		}
		pct := min(int(us/10/durationMS), 99)
		if pct > last {
			last = pct
			progress(pct)
		}
	}
	io.Copy(io.Discard, r)
}
