package leaderboard

import (
	"context"
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
// result; skip when its inputs have not changed.
type boardFit struct {
	pool, category string
	cells          cellGroups
	lb             *Leaderboard
	skip           bool
	err            error
}

// RecomputeAsOf recomputes from the votes cast up to asOf and dates the
// snapshots then; a zero asOf means now. Only made-up history (the demo's)
// is computed for a past time.
//
// The votes are counted in one query that yields a pool's categories one
// after the other; each category's boards are fitted as soon as its votes
// are counted, while the next are, and a pool's boards once all of its
// are. The boards are stored in key order at the end.
func (b *Boards) RecomputeAsOf(ctx context.Context, force bool, asOf time.Time) (RecomputeStats, error) {
	start := time.Now()
	var st RecomputeStats
	styles, err := b.styles(ctx)
	if err != nil {
		return st, err
	}
	// Keys that had votes before and have none now (every vote invalidated)
	// still need an empty leaderboard stored.
	known, err := b.src.SnapshotKeys(ctx)
	if err != nil {
		return st, err
	}
	// Looked up once per recompute, not once per leaderboard.
	anchor, err := b.anchorID(ctx)
	if err != nil {
		return st, err
	}
	at := b.src.Now()
	if !asOf.IsZero() {
		at = asOf
	}
	fits := make(map[string]*boardFit)
	var wg sync.WaitGroup
	workers := make(chan struct{}, b.opts.Workers)
	add := func(pool, category string, cells cellGroups) {
		f := &boardFit{pool: pool, category: category, cells: cells}
		fits[Key(pool, category)] = f
		wg.Add(1)
		go func() {
			defer wg.Done()
			workers <- struct{}{}
			defer func() { <-workers }()
			b.fitBoard(ctx, f, force, styles, anchor, at)
		}()
	}
	var pool string
	var poolCells cellGroups
	err = b.src.EachVoteCells(ctx, models.TallyFilter{Until: asOf}, func(cells []models.VoteCell) error {
		c := cells[0]
		if c.Pool != pool {
			if poolCells != nil {
				add(pool, "", poolCells)
			}
			pool, poolCells = c.Pool, nil
		}
		poolCells = append(poolCells, cells)
		if c.Category != "" {
			add(c.Pool, c.Category, cellGroups{cells})
		}
		for _, c := range cells {
			st.Votes += c.N
		}
		return nil
	})
	if poolCells != nil {
		add(pool, "", poolCells)
	}
	if err == nil {
		for _, k := range known {
			if _, ok := fits[k]; !ok && isBoardKey(k) {
				pool, category, _ := parseKey(k)
				add(pool, category, nil)
			}
		}
		for _, p := range models.Pools {
			if _, ok := fits[Key(p, "")]; !ok {
				add(p, "", nil)
			}
		}
	}
	wg.Wait()
	if err != nil {
		return st, err
	}
	keys := make([]string, 0, len(fits))
	for k := range fits {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		f := fits[k]
		st.Keys++
		if f.err != nil {
			return st, f.err
		}
		if f.skip {
			continue
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

// fitBoard fits one leaderboard of a recompute, unless force is false and
// its inputs are those of its newest snapshot, or it never had votes. The
// boards of a recompute are fitted as many at once as there are bootstrap
// workers: each board's rounds already use every worker, but its counting,
// fitting and ranking do not. The results do not depend on the order: each
// board's rounds draw from their own seeds.
func (b *Boards) fitBoard(ctx context.Context, f *boardFit, force bool, styles clipStyles, anchor uint, at time.Time) {
	tallies := cellTallies(f.cells)
	if !force {
		e, err := b.cached(ctx, Key(f.pool, f.category))
		if err != nil {
			f.err = err
			return
		}
		if e.board != nil && e.board.Fingerprint == boardFingerprint(tallies, f.cells, styles, b.opts) {
			f.skip = true
			return
		}
		if e.board == nil && len(tallies) == 0 {
			f.skip = true // never had votes: nothing to say yet
			return
		}
	}
	f.lb, f.err = fitBoth(b.opts, f.pool, f.category, tallies, f.cells, styles, anchor, at)
}
