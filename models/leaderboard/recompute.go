package leaderboard

import (
	"context"
	"sort"
	"time"

	"github.com/arena-video/arena/models"
)

// RecomputeStats says what a recompute did.
type RecomputeStats struct {
	Keys    int // leaderboards considered
	Stored  int // leaderboards whose votes changed, fitted and stored
	Votes   int64
	Pruned  int
	Elapsed time.Duration
}

// Recompute refreshes every leaderboard: each pool, and each category within
// a pool, from one counting query. A leaderboard whose votes and options are
// unchanged since its newest snapshot is skipped, so an idle arena writes
// nothing. force refits and stores every one regardless.
func (b *Boards) Recompute(ctx context.Context, force bool) (RecomputeStats, error) {
	return b.RecomputeAsOf(ctx, force, time.Time{})
}

// RecomputeAsOf recomputes from the votes cast up to asOf and dates the
// snapshots then; a zero asOf means now. Only made-up history (the demo's)
// is computed for a past time.
func (b *Boards) RecomputeAsOf(ctx context.Context, force bool, asOf time.Time) (RecomputeStats, error) {
	start := time.Now()
	var st RecomputeStats
	all, err := b.src.VoteTallies(ctx, models.TallyFilter{Until: asOf})
	if err != nil {
		return st, err
	}
	allStyle, styles, err := b.styleInputs(ctx, models.TallyFilter{Until: asOf})
	if err != nil {
		return st, err
	}
	styleGroups := make(map[string][]models.StyleTally)
	for _, t := range allStyle {
		if t.Category != "" {
			styleGroups[Key(t.Pool, t.Category)] = append(styleGroups[Key(t.Pool, t.Category)], t)
		}
		styleGroups[Key(t.Pool, "")] = append(styleGroups[Key(t.Pool, "")], t)
	}
	groups := make(map[string][]models.Tally) // by key; categories keep their tallies apart
	for _, t := range all {
		if t.Category != "" {
			groups[Key(t.Pool, t.Category)] = append(groups[Key(t.Pool, t.Category)], t)
		}
		groups[Key(t.Pool, "")] = append(groups[Key(t.Pool, "")], t)
		st.Votes += t.N
	}
	// Keys that had votes before and have none now (every vote invalidated)
	// still need an empty leaderboard stored.
	known, err := b.src.SnapshotKeys(ctx)
	if err != nil {
		return st, err
	}
	for _, k := range known {
		if _, ok := groups[k]; !ok && isBoardKey(k) {
			groups[k] = nil
		}
	}
	for _, p := range models.Pools {
		if _, ok := groups[Key(p, "")]; !ok {
			groups[Key(p, "")] = nil
		}
	}
	keys := make([]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	// Looked up once per recompute, not once per leaderboard.
	anchor, err := b.anchorID(ctx)
	if err != nil {
		return st, err
	}
	at := b.src.Now()
	if !asOf.IsZero() {
		at = asOf
	}
	for _, k := range keys {
		pool, category, _ := parseKey(k)
		ts := mergeCategories(groups[k])
		st.Keys++
		if !force {
			e, err := b.cached(ctx, k)
			if err != nil {
				return st, err
			}
			if e.board != nil && e.board.Fingerprint == boardFingerprint(ts, styleGroups[k], styles, b.opts) {
				continue
			}
			if e.board == nil && len(ts) == 0 {
				continue // never had votes: nothing to say yet
			}
		}
		lb, err := fitBoth(b.opts, pool, category, ts, styleGroups[k], styles, anchor, at)
		if err != nil {
			return st, err
		}
		if lb.VotesThrough, err = b.src.LastVote(ctx, pool, category, asOf); err != nil {
			return st, err
		}
		if err := b.setRankChanges(ctx, lb); err != nil {
			return st, err
		}
		if err := b.save(ctx, lb); err != nil {
			return st, err
		}
		st.Stored++
	}
	if st.Pruned, err = b.prune(ctx); err != nil {
		return st, err
	}
	st.Elapsed = time.Since(start)
	b.src.NoteRecompute(st.Elapsed)
	return st, nil
}
