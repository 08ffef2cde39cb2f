package leaderboard

import (
	"cmp"
	"context"
	"slices"
	"sort"
	"sync"
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

// boardFit is one leaderboard a recompute fits: its inputs, then its
// result.
type boardFit struct {
	pool, category string
	tallies        []models.Tally
	cells          []models.VoteCell
	lb             *Leaderboard
	err            error
}

// RecomputeAsOf recomputes from the votes cast up to asOf and dates the
// snapshots then; a zero asOf means now. Only made-up history (the demo's)
// is computed for a past time.
func (b *Boards) RecomputeAsOf(ctx context.Context, force bool, asOf time.Time) (RecomputeStats, error) {
	start := time.Now()
	var st RecomputeStats
	cells, styles, err := b.cells(ctx, models.TallyFilter{Until: asOf})
	if err != nil {
		return st, err
	}
	groups := groupCells(cells) // by key; a pool's cells hold its categories'
	for _, c := range cells {
		st.Votes += c.N
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
	var fits []*boardFit
	for _, k := range keys {
		pool, category, _ := parseKey(k)
		f := &boardFit{pool: pool, category: category, cells: groups[k], tallies: cellTallies(groups[k])}
		st.Keys++
		if !force {
			e, err := b.cached(ctx, k)
			if err != nil {
				return st, err
			}
			if e.board != nil && e.board.Fingerprint == boardFingerprint(f.tallies, f.cells, styles, b.opts) {
				continue
			}
			if e.board == nil && len(f.tallies) == 0 {
				continue // never had votes: nothing to say yet
			}
		}
		fits = append(fits, f)
	}
	b.fitAll(fits, styles, anchor, at)
	for _, f := range fits {
		if f.err != nil {
			return st, f.err
		}
		lb := f.lb
		if lb.VotesThrough, err = b.src.LastVote(ctx, f.pool, f.category, asOf); err != nil {
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

// fitAll fits the boards, as many at once as there are bootstrap workers,
// the largest first: each board's rounds already use every worker, but its
// counting, fitting and ranking do not, and the boards of a pool's
// categories are each a fraction of the pool's, so running boards side by
// side keeps the cores busy until the last one ends. The results do not
// depend on the order: each board's rounds draw from their own seeds.
func (b *Boards) fitAll(fits []*boardFit, styles clipStyles, anchor uint, at time.Time) {
	order := slices.Clone(fits)
	slices.SortStableFunc(order, func(x, y *boardFit) int { return cmp.Compare(len(y.cells), len(x.cells)) })
	next := make(chan *boardFit)
	var wg sync.WaitGroup
	for range min(b.opts.Workers, len(order)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for f := range next {
				f.lb, f.err = fitBoth(b.opts, f.pool, f.category, f.tallies, f.cells, styles, anchor, at)
			}
		}()
	}
	for _, f := range order {
		next <- f
	}
	close(next)
	wg.Wait()
}
