package models

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/arena-video/arena/models/media"
)

// Renderer makes canonical renditions; *media.Store is one.
type Renderer interface {
	Render(ctx context.Context, key string, src media.Source, p media.Profile, progress media.Progress) (media.Rendition, error)
}

// TranscoderOptions configures a Transcoder.
type TranscoderOptions struct {
	// Workers is how many transcodes run at once; 0 means 1. ffmpeg uses
	// every core for one encode, so more workers mostly help machines with
	// many cores.
	Workers int
	// Profile is the rendition of silent pools; sound pools get the same
	// with Audio set.
	Profile media.Profile
	// Owner names this process in job leases; empty means a random id.
	Owner string
	// Lease is how long a claimed job stays claimed without a renewal; 0
	// means 60 s. Workers renew at a third of it, so only a dead worker
	// loses its job, and a crashed server's job is resumed after at most
	// this long.
	Lease time.Duration
	// Poll is how often an idle worker looks for jobs that other instances
	// queued; 0 means 2 s. Jobs queued through this Transcoder's Trigger
	// start at once.
	Poll time.Duration
	// Logger receives one line per finished or failed job.
	Logger *slog.Logger
	// Ready, when set, is called after a rendition is stored: the clip may
	// complete a pair, so leaderboards and matchups change. It must not
	// block.
	Ready func()
}

// Transcoder runs the clip job queue: a bounded pool of workers that claim
// jobs from the database, render them and record the result. Several
// Transcoders, in one process or many, can share a database.
type Transcoder struct {
	store    *Store
	renderer Renderer
	o        TranscoderOptions
	wake     chan struct{}
}

// NewTranscoder makes a Transcoder; Run starts it.
func NewTranscoder(s *Store, r Renderer, o TranscoderOptions) *Transcoder {
	if o.Workers <= 0 {
		o.Workers = 1
	}
	if o.Lease <= 0 {
		o.Lease = time.Minute
	}
	if o.Poll <= 0 {
		o.Poll = 2 * time.Second
	}
	if o.Owner == "" {
		o.Owner = NewID()
	}
	if o.Logger == nil {
		o.Logger = s.log
	}
	return &Transcoder{store: s, renderer: r, o: o, wake: make(chan struct{}, o.Workers)}
}

// ProfileFor returns the rendition profile of a pool: audio in sound pools.
func (t *Transcoder) ProfileFor(pool string) media.Profile {
	p := t.o.Profile
	p.Audio = strings.HasSuffix(pool, "-audio")
	return p
}

// Trigger wakes idle workers after a job was queued.
func (t *Transcoder) Trigger() {
	for range t.o.Workers {
		select {
		case t.wake <- struct{}{}:
		default:
		}
	}
}

// Run works the queue until ctx ends. A job interrupted by the end is handed
// back to the queue, so the next start (or another instance) resumes it.
func (t *Transcoder) Run(ctx context.Context) {
	var wg sync.WaitGroup
	for range t.o.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t.work(ctx)
		}()
	}
	wg.Wait()
}

func (t *Transcoder) work(ctx context.Context) {
	tick := time.NewTicker(t.o.Poll)
	defer tick.Stop()
	for ctx.Err() == nil {
		job, clip, ok, err := t.store.ClaimClipJob(ctx, t.o.Owner, t.o.Lease)
		if err != nil && ctx.Err() == nil {
			t.o.Logger.Error("claim transcode job", "err", err)
		}
		if ok {
			t.run(ctx, job, clip)
			continue
		}
		select {
		case <-ctx.Done():
		case <-t.wake:
		case <-tick.C:
		}
	}
}

// run renders one claimed job, renewing its lease meanwhile; losing the
// lease cancels the render, so no two workers finish one job.
func (t *Transcoder) run(ctx context.Context, job ClipJob, clip Clip) {
	jobCtx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	renewed := make(chan struct{})
	go func() {
		defer close(renewed)
		tick := time.NewTicker(t.o.Lease / 3)
		defer tick.Stop()
		for {
			select {
			case <-jobCtx.Done():
				return
			case <-tick.C:
				if err := t.store.RenewClipJob(jobCtx, job, t.o.Owner, t.o.Lease); err != nil && jobCtx.Err() == nil {
					cancel(err)
					return
				}
			}
		}
	}()
	p := t.ProfileFor(clip.Pool)
	start := time.Now()
	var lastWrite time.Time
	r, err := t.renderer.Render(jobCtx, clip.OriginalKey, sourceOf(clip), p, func(pct int) {
		// A write per percent would queue behind votes on SQLite's one
		// writer; four a second is live enough for a progress bar.
		if time.Since(lastWrite) < 250*time.Millisecond || pct >= 100 {
			return
		}
		lastWrite = time.Now()
		if err := t.store.SetClipProgress(jobCtx, clip.ID, pct); err != nil && jobCtx.Err() == nil {
			t.o.Logger.Warn("record transcode progress", "clip", clip.PublicID, "err", err)
		}
	})
	cancel(nil)
	<-renewed
	done := context.WithoutCancel(ctx)
	switch {
	case err == nil:
		err = t.store.FinishClipJob(done, job, t.o.Owner, r, p)
		if err == nil {
			t.o.Logger.Info("rendered clip", "clip", clip.PublicID, "ms", time.Since(start).Milliseconds(), "bytes", r.Size)
			t.measure(done, clip, r)
			if t.o.Ready != nil {
				t.o.Ready()
			}
			return
		}
	case ctx.Err() != nil:
		// Shutting down: hand the job back so a restart resumes it at once.
		if err := t.store.ReleaseClipJob(done, job, t.o.Owner); err != nil {
			t.o.Logger.Error("release transcode job", "clip", clip.PublicID, "err", err)
		}
		return
	case errors.Is(context.Cause(jobCtx), ErrLeaseLost):
		err = ErrLeaseLost
	default:
		if ferr := t.store.FailClipJob(done, job, t.o.Owner, failureReason(err)); ferr != nil {
			err = ferr
		} else {
			t.o.Logger.Warn("clip failed to render", "clip", clip.PublicID, "err", err)
			return
		}
	}
	t.o.Logger.Error("transcode job", "clip", clip.PublicID, "err", err)
}

// measure takes the style features of a new rendition, when the renderer
// can: style control holds equal what voters see, so it measures the
// rendition, not the original. A clip left unmeasured still plays and
// counts on the raw board; `arena media features` can measure it later.
func (t *Transcoder) measure(ctx context.Context, clip Clip, r media.Rendition) {
	m, ok := t.renderer.(FeatureMeasurer)
	if !ok {
		return
	}
	clip.BlobKey, clip.MIME = r.Key, r.Info.MIME
	if _, err := t.store.MeasureClipFeatures(ctx, m, clip); err != nil && ctx.Err() == nil {
		t.o.Logger.Warn("clip rendered without style features", "clip", clip.PublicID, "err", err)
	}
}

// failureReason is the message a failed clip shows its admin: the media
// store's errors already say what went wrong without server paths.
func failureReason(err error) string {
	msg := err.Error()
	if errors.Is(err, media.ErrCorrupt) {
		msg = strings.TrimPrefix(msg, media.ErrCorrupt.Error()+": ")
	}
	return msg
}

// sourceOf rebuilds what the renderer needs to know of a clip's original.
func sourceOf(c Clip) media.Source {
	return media.Source{
		MIME: c.OriginalMIME, Codec: c.Source.Codec, Width: c.Source.Width, Height: c.Source.Height,
		FPS: c.Source.FPS, Kbps: c.Source.Kbps, DurationMS: c.Source.DurationMS, HasAudio: c.Source.HasAudio,
	}
}
