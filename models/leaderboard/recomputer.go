package leaderboard

import (
	"context"
	"log/slog"
	"time"
)

// Recomputer keeps the leaderboards fresh in the background: after votes,
// at most once per interval (debounced), and at once after a change the
// Source reports on RankingChanged (an admin retiring a model, votes
// invalidated, ...) or a Trigger. Requests never wait for it: they read the newest snapshot.
type Recomputer struct {
	boards *Boards
	log    *slog.Logger
	tick   <-chan time.Time
	stop   func()
	every  int // ticks between safety recomputes that pick up other instances' votes
	now    chan struct{}
	// done, when set, receives the stats of every recompute (tests wait on it).
	done chan<- RecomputeStats
}

// RecomputerOptions configures a Recomputer.
type RecomputerOptions struct {
	// Every is the debounce interval; votes within it share one recompute.
	Every time.Duration
	// Tick replaces the interval timer, so tests step time by hand.
	Tick <-chan time.Time
	// Done, when set, receives the stats of each finished recompute.
	Done chan<- RecomputeStats
	// Logger receives failed and finished recomputes; nil means
	// slog.Default().
	Logger *slog.Logger
}

// NewRecomputer makes a Recomputer; Run starts it.
func NewRecomputer(b *Boards, o RecomputerOptions) *Recomputer {
	if o.Every <= 0 {
		o.Every = 10 * time.Second
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	r := &Recomputer{boards: b, log: o.Logger, tick: o.Tick, stop: func() {}, now: make(chan struct{}, 1), done: o.Done, every: 6}
	if r.tick == nil {
		t := time.NewTicker(o.Every)
		r.tick, r.stop = t.C, t.Stop
	}
	return r
}

// Trigger asks for a recompute now, without waiting for it. Calls while one
// is pending merge into it.
func (r *Recomputer) Trigger() {
	select {
	case r.now <- struct{}{}:
	default:
	}
}

// Run recomputes until ctx ends: once at start, then on every tick that
// follows new votes, every few ticks regardless (votes taken by other
// instances do not pass through this process), and at once on Trigger or a
// change the Source reports. With
// several instances on one database only the lock holder recomputes.
func (r *Recomputer) Run(ctx context.Context) {
	defer r.stop()
	src := r.boards.sched
	seen := src.VotesRecorded()
	r.recompute(ctx)
	idle := 0
	for {
		select {
		case <-ctx.Done():
			return
		case <-r.now:
		case <-src.RankingChanged():
		case <-r.tick:
			n := src.VotesRecorded()
			idle++
			if n == seen && idle < r.every {
				continue
			}
		}
		idle = 0
		seen = src.VotesRecorded()
		r.recompute(ctx)
	}
}

func (r *Recomputer) recompute(ctx context.Context) {
	var st RecomputeStats
	_, err := r.boards.sched.WithLeaderLock(ctx, "recompute", func() error {
		var err error
		st, err = r.boards.Recompute(ctx, false)
		return err
	})
	switch {
	case ctx.Err() != nil:
		return
	case err != nil:
		r.log.Error("recompute leaderboards", "err", err)
	case st.Stored > 0:
		r.log.Info("recomputed leaderboards", "stored", st.Stored, "votes", st.Votes, "ms", st.Elapsed.Milliseconds())
	}
	if r.done != nil {
		select {
		case r.done <- st:
		case <-ctx.Done():
		}
	}
}
