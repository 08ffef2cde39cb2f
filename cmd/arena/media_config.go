package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/arena-video/arena/models"
	"github.com/arena-video/arena/models/media"
)

// mediaConfig is how clips become renditions: the profile, the worker pool
// and the limits on originals. serve, import clips and media reprocess share
// it, so every process that renders makes the same rendition.
type mediaConfig struct {
	Box            string
	FPS            int
	Kbps           int
	Workers        int
	MaxClipSeconds int
}

func (c *mediaConfig) register(fs *flag.FlagSet, e env) error {
	fps, err := envWhole(e, "ARENA_RENDITION_FPS", 24)
	if err != nil {
		return err
	}
	kbps, err := envWhole(e, "ARENA_RENDITION_KBPS", 2500)
	if err != nil {
		return err
	}
	workers, err := envWhole(e, "ARENA_TRANSCODE_WORKERS", 1)
	if err != nil {
		return err
	}
	maxSecs, err := envWhole(e, "ARENA_MAX_CLIP_SECONDS", 60)
	if err != nil {
		return err
	}
	fs.StringVar(&c.Box, "rendition-box", envOr(e, "ARENA_RENDITION_BOX", "1280x720"), "every clip is scaled down to fit this box, keeping its aspect ratio (ARENA_RENDITION_BOX)")
	fs.IntVar(&c.FPS, "rendition-fps", fps, "the one frame rate of every rendition (ARENA_RENDITION_FPS)")
	fs.IntVar(&c.Kbps, "rendition-kbps", kbps, "the bitrate of every rendition, audio included, in kbit/s (ARENA_RENDITION_KBPS)")
	fs.IntVar(&c.Workers, "transcode-workers", workers, "how many clips are transcoded at once (ARENA_TRANSCODE_WORKERS)")
	fs.IntVar(&c.MaxClipSeconds, "max-clip-seconds", maxSecs, "longest clip accepted, in seconds (ARENA_MAX_CLIP_SECONDS)")
	return nil
}

// profile checks the settings and returns the rendition profile.
func (c mediaConfig) profile() (media.Profile, error) {
	p := media.DefaultProfile()
	var err error
	if p.BoxWidth, p.BoxHeight, err = media.ParseBox(c.Box); err != nil {
		return p, err
	}
	p.FPS, p.Kbps = c.FPS, c.Kbps
	if err := p.Validate(); err != nil {
		return p, err
	}
	if c.Workers < 1 || c.Workers > 64 {
		return p, fmt.Errorf("--transcode-workers=%d: give 1 to 64", c.Workers)
	}
	if c.MaxClipSeconds < 1 {
		return p, fmt.Errorf("--max-clip-seconds=%d: give 1 or more", c.MaxClipSeconds)
	}
	return p, nil
}

// storeOptions is the media store's configuration over the blob store bs.
func (c mediaConfig) storeOptions(bs media.BlobStore) media.StoreOptions {
	return media.StoreOptions{Blobs: bs, Limits: media.Limits{MaxSeconds: c.MaxClipSeconds}}
}

// transcoder makes the job queue's worker pool for this process.
func (c mediaConfig) transcoder(store *models.Store, blobs *media.Store, p media.Profile, opts models.TranscoderOptions) *models.Transcoder {
	opts.Workers, opts.Profile = c.Workers, p
	return models.NewTranscoder(store, blobs, opts)
}

// startTranscoder runs t in the background; stop ends it and waits, handing
// an unfinished job back to the queue.
func startTranscoder(ctx context.Context, t *models.Transcoder) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		t.Run(ctx)
	}()
	return func() {
		cancel()
		<-done
	}
}

// waitForRenditions follows the clips with the given public ids until each
// is ready or failed, drawing a progress bar per clip on a terminal (w may
// be nil for none). It returns the clips that failed, with their reasons.
func waitForRenditions(ctx context.Context, store *models.Store, ids []string, w io.Writer) (failed []string, err error) {
	for _, id := range ids {
		var bar *progressbar.ProgressBar
		if w != nil {
			bar = progressbar.NewOptions(100, progressbar.OptionSetWriter(w), progressbar.OptionSetDescription("rendering "+id),
				progressbar.OptionShowCount(), progressbar.OptionClearOnFinish())
		}
		for {
			c, err := store.ClipStatus(ctx, id)
			if err != nil {
				return failed, err
			}
			if bar != nil {
				_ = bar.Set(c.Progress)
			}
			if c.Status == models.ClipFailed {
				failed = append(failed, fmt.Sprintf("%s: %s", id, c.Error))
				break
			}
			if c.Status == models.ClipReady && c.Progress >= 100 {
				done, err := jobsDone(ctx, store, c.ID)
				if err != nil {
					return failed, err
				}
				if done && c.Error != "" { // a re-render failed; the old rendition stays
					failed = append(failed, fmt.Sprintf("%s: %s", id, c.Error))
				}
				if done {
					break
				}
			}
			select {
			case <-ctx.Done():
				return failed, ctx.Err()
			case <-time.After(200 * time.Millisecond):
			}
		}
		if bar != nil {
			_ = bar.Finish()
		}
	}
	return failed, nil
}

// jobsDone reports whether a clip has no queued or running job: a ready
// clip being re-rendered is not finished until its job is.
func jobsDone(ctx context.Context, store *models.Store, clipID uint) (bool, error) {
	n, err := store.OpenClipJobs(ctx, clipID)
	return n == 0, err
}
