package models

import (
	"context"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"time"
)

// RecomputeStats says what a recompute did.
type RecomputeStats struct {
	Keys    int // leaderboards considered
	Stored  int // leaderboards whose votes changed, fitted and stored
	Votes   int64
	Pruned  int
	Elapsed time.Duration
}

// RecomputeLeaderboards refreshes every leaderboard: each pool, and each
// category within a pool, from one counting query. A leaderboard whose votes
// and options are unchanged since its newest snapshot is skipped, so an idle
// arena writes nothing. force refits and stores every one regardless.
func (s *Store) RecomputeLeaderboards(ctx context.Context, force bool) (RecomputeStats, error) {
	return s.recomputeAsOf(ctx, force, time.Time{})
}

// recomputeAsOf recomputes from the votes cast up to asOf and dates the
// snapshots then; a zero asOf means now. Only made-up history (the demo's)
// is computed for a past time.
func (s *Store) recomputeAsOf(ctx context.Context, force bool, asOf time.Time) (RecomputeStats, error) {
	start := time.Now()
	var st RecomputeStats
	all, err := s.VoteTallies(ctx, TallyFilter{Until: asOf})
	if err != nil {
		return st, err
	}
	groups := make(map[string][]Tally) // by key; categories keep their tallies apart
	for _, t := range all {
		if t.Category != "" {
			groups[boardKey(t.Pool, t.Category)] = append(groups[boardKey(t.Pool, t.Category)], t)
		}
		groups[boardKey(t.Pool, "")] = append(groups[boardKey(t.Pool, "")], t)
		st.Votes += t.N
	}
	// Keys that had votes before and have none now (every vote invalidated)
	// still need an empty leaderboard stored.
	var known []string
	if err := s.r.WithContext(ctx).Model(&Snapshot{}).Distinct("key").Pluck("key", &known).Error; err != nil {
		return st, fmt.Errorf("list snapshot keys: %w", err)
	}
	for _, k := range known {
		if _, ok := groups[k]; !ok && strings.HasPrefix(k, "lb:") {
			groups[k] = nil
		}
	}
	for _, p := range Pools {
		if _, ok := groups[boardKey(p, "")]; !ok {
			groups[boardKey(p, "")] = nil
		}
	}
	keys := make([]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		pool, category, _ := strings.Cut(strings.TrimPrefix(k, "lb:"), "/")
		ts := mergeCategories(groups[k])
		st.Keys++
		if !force {
			e, err := s.cachedLeaderboard(ctx, k)
			if err != nil {
				return st, err
			}
			if e.board != nil && e.board.Fingerprint == fingerprint(ts, s.ranking) {
				continue
			}
			if e.board == nil && len(ts) == 0 {
				continue // never had votes: nothing to say yet
			}
		}
		lb, err := s.fitLeaderboard(ctx, pool, category, ts, category == "")
		if err != nil {
			return st, err
		}
		if !asOf.IsZero() {
			lb.ComputedAt = asOf.UTC()
		}
		if lb.VotesThrough, err = s.lastVote(ctx, pool, category, asOf); err != nil {
			return st, err
		}
		if err := s.setRankChanges(ctx, lb); err != nil {
			return st, err
		}
		if err := s.saveLeaderboard(ctx, lb); err != nil {
			return st, err
		}
		st.Stored++
	}
	if st.Pruned, err = s.pruneSnapshots(ctx); err != nil {
		return st, err
	}
	st.Elapsed = time.Since(start)
	return st, nil
}

// VotesRecorded counts the votes this Store has recorded since it opened. A
// Recomputer compares readings to know whether a recompute is due.
func (s *Store) VotesRecorded() uint64 { return s.votes.Load() }

// Recomputer keeps the leaderboards fresh in the background: after votes,
// at most once per interval (debounced), and at once when triggered after an
// admin change. Requests never wait for it: they read the newest snapshot.
type Recomputer struct {
	store *Store
	log   *slog.Logger
	tick  <-chan time.Time
	stop  func()
	every int // ticks between safety recomputes that pick up other instances' votes
	now   chan struct{}
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
	Done   chan<- RecomputeStats
	Logger *slog.Logger
}

// NewRecomputer makes a Recomputer; Run starts it.
func NewRecomputer(s *Store, o RecomputerOptions) *Recomputer {
	if o.Every <= 0 {
		o.Every = 10 * time.Second
	}
	if o.Logger == nil {
		o.Logger = s.log
	}
	r := &Recomputer{store: s, log: o.Logger, tick: o.Tick, stop: func() {}, now: make(chan struct{}, 1), done: o.Done, every: 6}
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
// instances do not pass through this Store), and at once on Trigger. With
// several instances on one database only the lock holder recomputes.
func (r *Recomputer) Run(ctx context.Context) {
	defer r.stop()
	seen := r.store.VotesRecorded()
	r.recompute(ctx)
	idle := 0
	for {
		select {
		case <-ctx.Done():
			return
		case <-r.now:
		case <-r.tick:
			n := r.store.VotesRecorded()
			idle++
			if n == seen && idle < r.every {
				continue
			}
		}
		idle = 0
		seen = r.store.VotesRecorded()
		r.recompute(ctx)
	}
}

func (r *Recomputer) recompute(ctx context.Context) {
	var st RecomputeStats
	_, err := r.store.WithLeaderLock(ctx, "recompute", func() error {
		var err error
		st, err = r.store.RecomputeLeaderboards(ctx, false)
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
