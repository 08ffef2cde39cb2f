package leaderboard

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/arena-video/arena/models"
	"github.com/arena-video/arena/models/rating"
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
	tallies        []models.Tally
	lb             *Leaderboard
	style          *styleFit // lb's style board, until its bootstrap has run
	// count gives the style fit's counts: countStyle's of the cells, or
	// for a pool or a category in a recompute, as poolFits has them.
	count func() (*styleCells, error)
	// counts are a category's style counts, once counted (a skipped
	// board has none), for its pool's to be merged from.
	counts  *styleCells
	counted bool
	skip    bool
	err     error
}

// poolFits are the category boards of one pool in a recompute, whose
// style bootstraps run with the pool's (see finishPool); tallied counts
// down as each has its tallies, and counted as each has its style counts
// (or will have none), which the pool's are merged from; done as each is
// prepared. loose says the pool has votes without a category, whose style
// counts no category holds.
type poolFits struct {
	parts   []*boardFit
	loose   bool
	tallied sync.WaitGroup
	counted sync.WaitGroup
	done    sync.WaitGroup
}

// poolStyle gives a pool's style counts: merged from its categories' when
// every one was counted, else counted from its cells. It waits for the
// categories to be counted.
func (pf *poolFits) poolStyle(cells cellGroups, styles clipStyles) (*styleCells, error) {
	pf.counted.Wait()
	parts := make([]*styleCells, len(pf.parts))
	for i, f := range pf.parts {
		if !f.counted || pf.loose {
			return countStyle(cells, styles)
		}
		parts[i] = f.counts
	}
	return mergeStyle(parts)
}

// RecomputeAsOf recomputes from the votes cast up to asOf and dates the
// snapshots then; a zero asOf means now. Only made-up history (the demo's)
// is computed for a past time.
//
// The votes are counted in one query that yields a pool's categories one
// after the other; each category's raw board and style fit are computed as
// soon as its votes are counted, while the next are, and a pool's once all
// of its are. The style bootstraps of a pool and its categories then run
// together (see finishPool). The boards are stored in key order at the end.
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
	// work runs fn holding one of the workers: each board's rounds already
	// use every worker, but its counting, fitting and ranking do not.
	work := func(fn func()) {
		workers <- struct{}{}
		defer func() { <-workers }()
		fn()
	}
	newFit := func(pool, category string, cells cellGroups) *boardFit {
		f := &boardFit{pool: pool, category: category, cells: cells}
		f.count = func() (*styleCells, error) { return countStyle(cells, styles) }
		fits[Key(pool, category)] = f
		return f
	}
	// A board alone: its style bootstrap alone.
	add := func(pool, category string, cells cellGroups) {
		f := newFit(pool, category, cells)
		wg.Go(func() {
			work(func() {
				b.prepareBoard(ctx, f, force, styles, anchor, at)
				b.finishPool(nil, []*boardFit{f}, styles)
			})
		})
	}
	addCategory := func(pf *poolFits, pool, category string, cells cellGroups) {
		f := newFit(pool, category, cells)
		pf.parts = append(pf.parts, f)
		pf.tallied.Add(1)
		pf.counted.Add(1)
		pf.done.Add(1)
		var once sync.Once
		counted := func() { once.Do(pf.counted.Done) }
		f.count = func() (*styleCells, error) {
			sc, err := countStyle(f.cells, styles)
			f.counts, f.counted = sc, err == nil
			counted()
			return sc, err
		}
		wg.Go(func() {
			defer pf.done.Done()
			defer counted() // a board skipped, or failed, is not counted
			work(func() {
				f.tallies = cellTallies(f.cells)
				pf.tallied.Done()
				b.prepareBoard(ctx, f, force, styles, anchor, at)
			})
		})
	}
	addPool := func(pf *poolFits, pool string, cells cellGroups) {
		f := newFit(pool, "", cells)
		// The pool's style counts are merged from its categories' too, in
		// the style fit's goroutine, which waits for the last of them
		// while the raw fit runs.
		f.count = func() (*styleCells, error) { return pf.poolStyle(cells, styles) }
		wg.Go(func() {
			// Merging the categories' tallies, counted as each arrived,
			// takes the pool's off the wall time after the counting: adding
			// up every cell again took a tenth of a second at a million
			// votes. The wait is outside work, as the categories hold it.
			pf.tallied.Wait()
			work(func() {
				f.tallies = poolTallies(pf.parts, cells)
				b.prepareBoard(ctx, f, force, styles, anchor, at)
			})
			pf.done.Wait()
			work(func() { b.finishPool(f, pf.parts, styles) })
		})
	}
	var pool string
	var poolCells cellGroups
	pf := &poolFits{}
	err = b.src.EachVoteCells(ctx, models.TallyFilter{Until: asOf}, func(cells []models.VoteCell) error {
		c := cells[0]
		if c.Pool != pool {
			if poolCells != nil {
				addPool(pf, pool, poolCells)
			}
			pool, poolCells, pf = c.Pool, nil, &poolFits{}
		}
		poolCells = append(poolCells, cells)
		if c.Category != "" {
			addCategory(pf, c.Pool, c.Category, cellGroups{cells})
		} else {
			pf.loose = true
		}
		for _, c := range cells {
			st.Votes += c.N
		}
		return nil
	})
	if poolCells != nil {
		addPool(pf, pool, poolCells)
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

// prepareBoard fits one leaderboard of a recompute, its style board's
// bootstrap aside, unless force is false and its inputs are those of its
// newest snapshot, or it never had votes. The results do not depend on the
// order the boards are fitted in: each board's rounds draw from their own
// seeds.
func (b *Boards) prepareBoard(ctx context.Context, f *boardFit, force bool, styles clipStyles, anchor uint, at time.Time) {
	if f.tallies == nil {
		f.tallies = cellTallies(f.cells)
	}
	if !force {
		e, err := b.cached(ctx, Key(f.pool, f.category))
		if err != nil {
			f.err = err
			return
		}
		if e.board != nil && e.board.Fingerprint == boardFingerprint(f.tallies, f.cells, styles, b.opts) {
			f.skip = true
			return
		}
		if e.board == nil && len(f.tallies) == 0 {
			f.skip = true // never had votes: nothing to say yet
			return
		}
	}
	f.lb, f.style, f.err = prepareBoth(b.opts, f.pool, f.category, f.tallies, f.count, anchor, at)
}

// finishPool runs the style bootstraps of a pool's board and its
// categories' (parts) prepared boards, and finishes them. The pool's
// bootstrap runs with its categories' when both are to be stored: its
// resamples are composed from theirs, which saves most of its draws (see
// rating.BootstrapStylePool). A nil pool, or one skipped, leaves each
// category's bootstrap alone.
func (b *Boards) finishPool(pool *boardFit, parts []*boardFit, styles clipStyles) {
	live := func(f *boardFit) bool { return f != nil && f.err == nil && !f.skip }
	var alone, joined []*boardFit
	var fits []*rating.StyleFit
	var index [][]int
	poolLive := live(pool) && pool.style != nil
	for _, f := range parts {
		if !live(f) || f.style == nil {
			continue
		}
		var idx []int
		ok := false
		if poolLive {
			idx, ok = modelIndex(f.style, pool.style)
		}
		if !ok {
			alone = append(alone, f)
			continue
		}
		joined, fits, index = append(joined, f), append(fits, f.style.fit), append(index, idx)
	}
	if poolLive {
		if err := rating.BootstrapStylePool(pool.style.fit, fits, index); err != nil {
			for _, f := range append(joined, pool) {
				f.err = fmt.Errorf("style-controlled %s: %w", Key(f.pool, f.category), err)
			}
		}
	}
	for _, f := range alone {
		if err := f.style.fit.Bootstrap(); err != nil {
			f.err = fmt.Errorf("style-controlled %s: %w", Key(f.pool, f.category), err)
		}
	}
	// Each board's fingerprint walks its cells, the pool's all of them:
	// finished one after the other they kept a core idle at the end.
	var wg sync.WaitGroup
	for _, f := range append(parts, pool) {
		if live(f) {
			wg.Go(func() {
				finishBoth(b.opts, f.lb, f.style, f.tallies, f.cells, styles)
				f.style = nil
			})
		}
	}
	wg.Wait()
}

// modelIndex maps a category's style fit's models to its pool's, false
// when the pool lacks one of them.
func modelIndex(part, pool *styleFit) ([]int, bool) {
	idx := make([]int, len(part.ids))
	for i, id := range part.ids {
		n, ok := pool.index[id]
		if !ok {
			return nil, false
		}
		idx[i] = n
	}
	return idx, true
}
