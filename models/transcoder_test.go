package models

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/arena-video/arena/models/media"
)

// fakeRenderer renders instantly (or when released) and counts renders per
// original, so tests can check that no job is rendered twice.
type fakeRenderer struct {
	mu      sync.Mutex
	renders map[string]int
	// block, when set, holds every render until it is closed or the
	// render's context ends.
	block chan struct{}
	// started receives the key of every render as it starts.
	started chan string
	fail    error
	first   time.Time // when the first render started
}

func (f *fakeRenderer) firstStart() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.first
}

func newFakeRenderer() *fakeRenderer {
	return &fakeRenderer{renders: make(map[string]int), started: make(chan string, 100)}
}

func (f *fakeRenderer) Render(ctx context.Context, key string, src media.Source, p media.Profile, progress media.Progress) (media.Rendition, error) {
	f.mu.Lock()
	if f.first.IsZero() {
		f.first = time.Now()
	}
	f.mu.Unlock()
	f.started <- key
	progress(50)
	if f.block != nil {
		select {
		case <-f.block:
		case <-ctx.Done():
			return media.Rendition{}, ctx.Err()
		}
	}
	if f.fail != nil {
		return media.Rendition{}, f.fail
	}
	f.mu.Lock()
	f.renders[key]++
	f.mu.Unlock()
	k := strings.Repeat("e", 64-len(key[:8])) + key[:8]
	return media.Rendition{Key: k, PosterKey: strings.Repeat("f", 64), Size: 1000, Info: media.Info{MIME: media.MIMEMP4, DurationMS: 1000, Width: 320, Height: 180}}, nil
}

func (f *fakeRenderer) count() (total, max int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, n := range f.renders {
		total += n
		max = maxInt(max, n)
	}
	return total, max
}

func maxInt(a, b int) int {
	if a > b {
		return a
	}
	return b
}

// queueClips creates a model, a prompt and n processing clips with queued
// jobs, as uploads do.
func queueClips(t *testing.T, s *Store, n int) []Clip {
	t.Helper()
	ctx := context.Background()
	m := Model{Slug: "alpha", Name: "Alpha"}
	p := Prompt{Text: "a prompt", Modality: ModalityT2V}
	if err := s.CreateModel(ctx, &m); err != nil {
		t.Fatal(err)
	}
	if err := s.CreatePrompt(ctx, &p); err != nil {
		t.Fatal(err)
	}
	var clips []Clip
	for i := range n {
		key := fmt.Sprintf("%064x", i+1)
		c := ClipFromOriginal(media.Original{SHA256: key, Size: 100, Source: media.Source{MIME: media.MIMEMP4, Codec: "hevc", Width: 1280, Height: 720, FPS: 24, DurationMS: 1000}})
		c.ModelID, c.PromptID = m.ID, p.ID
		if err := s.CreateClip(ctx, &c); err != nil {
			t.Fatal(err)
		}
		clips = append(clips, c)
	}
	return clips
}

func runTranscoder(t *testing.T, s *Store, r Renderer, o TranscoderOptions) (stop func()) {
	t.Helper()
	if o.Poll == 0 {
		o.Poll = 20 * time.Millisecond
	}
	o.Logger = slog.New(slog.DiscardHandler)
	tc := NewTranscoder(s, r, o)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		tc.Run(ctx)
	}()
	var once sync.Once
	stop = func() { once.Do(func() { cancel(); <-done }) }
	t.Cleanup(stop)
	return stop
}

// waitStatus polls until the clip has the wanted status. The bound is for a
// clip that never gets there, and leaves a busy machine plenty of time.
func waitStatus(t *testing.T, s *Store, publicID, want string) Clip {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		c, err := s.ClipStatus(context.Background(), publicID)
		if err != nil {
			t.Fatal(err)
		}
		if c.Status == want {
			return c
		}
		if time.Now().After(deadline) {
			t.Fatalf("clip %s is %s (%d%%, %q), want %s", publicID, c.Status, c.Progress, c.Error, want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestTranscoder_RendersQueuedClipsAndOnlyReadyOnesMakeMatchups(t *testing.T) {
	s := openTestStore(t, filepath.Join(t.TempDir(), "a.db"))
	clips := queueClips(t, s, 1)
	ctx := context.Background()
	if c, _ := s.ClipStatus(ctx, clips[0].PublicID); c.Status != ClipProcessing || c.Progress != 0 {
		t.Fatalf("new clip = %s %d%%, want processing at 0", c.Status, c.Progress)
	}
	cat, err := s.catalog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, ps := range cat.pools {
		for _, p := range ps {
			for _, c := range p.clips {
				if c.Status != ClipReady {
					t.Errorf("a %s clip is in the matchup catalog", c.Status)
				}
			}
		}
	}
	r := newFakeRenderer()
	var ready atomic.Int32
	runTranscoder(t, s, r, TranscoderOptions{Ready: func() { ready.Add(1) }})
	c := waitStatus(t, s, clips[0].PublicID, ClipReady)
	if c.Progress != 100 || c.BlobKey == "" || c.PosterKey == "" || c.Width != 320 || c.Size != 1000 || !c.MetadataStripped || c.RenditionProfile == "" {
		t.Errorf("ready clip = %+v", c)
	}
	if c.OriginalKey == c.BlobKey {
		t.Error("the served blob is the original")
	}
	if ready.Load() != 1 {
		t.Errorf("Ready called %d times, want 1", ready.Load())
	}
}

func TestTranscoder_FailureKeepsTheReason(t *testing.T) {
	s := openTestStore(t, filepath.Join(t.TempDir(), "a.db"))
	clips := queueClips(t, s, 1)
	r := newFakeRenderer()
	r.fail = fmt.Errorf("%w: ffmpeg could not transcode it: Invalid data found when processing input", media.ErrCorrupt)
	runTranscoder(t, s, r, TranscoderOptions{})
	c := waitStatus(t, s, clips[0].PublicID, ClipFailed)
	if c.Error != "ffmpeg could not transcode it: Invalid data found when processing input" {
		t.Errorf("error = %q", c.Error)
	}
	n, err := s.IngestionCounts(context.Background())
	if err != nil || n.Failed != 1 || n.QueuedJobs != 0 || n.RunningJobs != 0 {
		t.Errorf("counts = %+v, %v", n, err)
	}
}

// A server stopped in the middle of a transcode hands the job back; the
// next start renders it. A server that dies without stopping (its lease is
// left behind) is resumed once the lease runs out.
func TestTranscoder_RestartResumesAnInterruptedJob(t *testing.T) {
	for _, crash := range []bool{false, true} {
		t.Run(map[bool]string{false: "graceful stop", true: "crash"}[crash], func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "a.db")
			s := openTestStore(t, path)
			clips := queueClips(t, s, 1)
			r := newFakeRenderer()
			r.block = make(chan struct{})
			const lease = 300 * time.Millisecond
			stop := runTranscoder(t, s, r, TranscoderOptions{Lease: lease, Owner: "first"})
			<-r.started
			if c := waitStatus(t, s, clips[0].PublicID, ClipProcessing); c.Progress != 50 {
				t.Logf("progress %d (written at most four times a second)", c.Progress)
			}
			var until time.Time
			if crash {
				// A crash: the job stays leased to a worker that never comes
				// back, for a while longer.
				stop()
				until = time.Now().Add(2 * time.Second)
				if err := s.db.w.Exec("UPDATE clip_jobs SET state = ?, owner = 'dead', lease_until = ?", JobRunning, until).Error; err != nil {
					t.Fatal(err)
				}
			} else {
				stop()
				var j ClipJob
				s.db.w.Take(&j)
				if j.State != JobQueued || j.LeaseUntil != nil {
					t.Fatalf("after a stop the job is %s (lease %v), want queued", j.State, j.LeaseUntil)
				}
			}
			s.Close()

			s2 := openTestStore(t, path)
			r2 := newFakeRenderer()
			runTranscoder(t, s2, r2, TranscoderOptions{Lease: lease, Owner: "second"})
			waitStatus(t, s2, clips[0].PublicID, ClipReady)
			if started := r2.firstStart(); crash && started.Before(until) {
				t.Errorf("a job leased until %v was taken at %v", until.Format(time.StampMilli), started.Format(time.StampMilli))
			}
			if total, _ := r2.count(); total != 1 {
				t.Errorf("the restarted server rendered %d times, want 1", total)
			}
		})
	}
}

// Two instances on one database, several workers each: every job is
// rendered exactly once.
func TestTranscoder_TwoInstancesNeverRenderOneJobTwice(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.db")
	s1 := openTestStore(t, path)
	s2 := openTestStore(t, path)
	clips := queueClips(t, s1, 40)
	r := newFakeRenderer()
	runTranscoder(t, s1, r, TranscoderOptions{Workers: 3, Owner: "one", Poll: 5 * time.Millisecond})
	runTranscoder(t, s2, r, TranscoderOptions{Workers: 3, Owner: "two", Poll: 5 * time.Millisecond})
	for _, c := range clips {
		waitStatus(t, s1, c.PublicID, ClipReady)
	}
	total, most := r.count()
	if total != len(clips) || most != 1 {
		t.Errorf("%d renders for %d jobs, at most %d of one, want each exactly once", total, len(clips), most)
	}
}

// A worker that lost its lease (it stalled past it and another took the
// job) cannot record its result.
func TestClipJob_LostLeaseCannotFinish(t *testing.T) {
	s := openTestStore(t, filepath.Join(t.TempDir(), "a.db"))
	queueClips(t, s, 1)
	ctx := context.Background()
	job, _, ok, err := s.ClaimClipJob(ctx, "slow", time.Millisecond)
	if err != nil || !ok {
		t.Fatalf("claim = %v %v", ok, err)
	}
	time.Sleep(5 * time.Millisecond)
	job2, _, ok, err := s.ClaimClipJob(ctx, "fast", time.Minute)
	if err != nil || !ok || job2.ID != job.ID || job2.Attempts != 2 {
		t.Fatalf("second claim = %+v %v %v, want the expired job again", job2, ok, err)
	}
	if err := s.FinishClipJob(ctx, job, "slow", media.Rendition{Key: strings.Repeat("a", 64)}, media.DefaultProfile()); !errors.Is(err, ErrLeaseLost) {
		t.Errorf("finish by the old owner = %v, want ErrLeaseLost", err)
	}
	if err := s.RenewClipJob(ctx, job, "slow", time.Minute); !errors.Is(err, ErrLeaseLost) {
		t.Errorf("renew by the old owner = %v, want ErrLeaseLost", err)
	}
	if _, _, ok, _ := s.ClaimClipJob(ctx, "third", time.Minute); ok {
		t.Error("a job under a live lease was claimed")
	}
}

// A source that kills every worker that touches it fails after
// MaxJobAttempts instead of crashing servers forever.
func TestClipJob_GivesUpAfterMaxAttempts(t *testing.T) {
	s := openTestStore(t, filepath.Join(t.TempDir(), "a.db"))
	clips := queueClips(t, s, 1)
	ctx := context.Background()
	for i := range MaxJobAttempts {
		if _, _, ok, err := s.ClaimClipJob(ctx, fmt.Sprint("crashing-", i), time.Millisecond); err != nil || !ok {
			t.Fatalf("claim %d = %v %v", i, ok, err)
		}
		time.Sleep(3 * time.Millisecond)
	}
	if _, _, ok, err := s.ClaimClipJob(ctx, "next", time.Minute); ok || err != nil {
		t.Fatalf("claim after %d attempts = %v %v, want none", MaxJobAttempts, ok, err)
	}
	c, _ := s.ClipStatus(ctx, clips[0].PublicID)
	if c.Status != ClipFailed || !strings.Contains(c.Error, "interrupted") {
		t.Errorf("clip = %s %q, want failed as interrupted", c.Status, c.Error)
	}
}

// Reprocessing keeps the public id and the old rendition in service until
// the new one is stored; a failed clip gets another chance.
func TestReprocessClips(t *testing.T) {
	s := openTestStore(t, filepath.Join(t.TempDir(), "a.db"))
	clips := queueClips(t, s, 2)
	r := newFakeRenderer()
	stop := runTranscoder(t, s, r, TranscoderOptions{})
	for _, c := range clips {
		waitStatus(t, s, c.PublicID, ClipReady)
	}
	stop()
	ctx := context.Background()
	ids, err := s.ReprocessClips(ctx, clips[0].PublicID)
	if err != nil || len(ids) != 1 {
		t.Fatalf("reprocess one = %v %v", ids, err)
	}
	if again, _ := s.ReprocessClips(ctx, clips[0].PublicID); len(again) != 1 || again[0] != ids[0] {
		t.Errorf("reprocessing a clip with an open job gave jobs %v, want its open job %v", again, ids)
	}
	if c, _ := s.ClipStatus(ctx, clips[0].PublicID); c.Status != ClipReady {
		t.Errorf("a clip being re-rendered is %s, want it still ready", c.Status)
	}
	all, err := s.ReprocessClips(ctx, "")
	if err != nil || len(all) != 2 || all[0] != ids[0] {
		t.Errorf("reprocess all = %v %v, want the open job and one new", all, err)
	}
	if _, err := s.ReprocessClips(ctx, "AAAAAAAAAAAAAAAAAAAAAA"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown clip = %v", err)
	}
	runTranscoder(t, s, r, TranscoderOptions{})
	deadline := time.Now().Add(2 * time.Minute) // as in waitStatus
	for {
		jobs, _ := s.ClipJobsByID(ctx, all)
		if len(jobs) == 2 && jobs[0].State == JobDone && jobs[1].State == JobDone {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("jobs = %+v", jobs)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if total, _ := r.count(); total != 4 {
		t.Errorf("%d renders, want 4", total)
	}
}
