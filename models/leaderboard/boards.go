package leaderboard

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/arena-video/arena/models"
)

// Boards computes, stores and serves the leaderboards. It is safe for
// concurrent use; one Boards per process serves every request and the
// Recomputer, so what one stores the others see at once.
type Boards struct {
	src     BoardSource     // tallies and the current snapshots
	hist    HistorySource   // votes over time, stored history, rank events
	sched   RecomputeSource // handed to the Recomputer
	opts    Options
	cache   boardCache
	ranks   rankCache
	history historyCache // every stored board of each pool, as history points
}

// New returns Boards over src.
func New(src Source, o Options) *Boards {
	return &Boards{src: src, hist: src, sched: src, opts: o.withDefaults()}
}

// Get returns the newest stored leaderboard of a pool and category (empty
// for every category), or ok false when none has been computed. It reads
// memory; it goes to the database only when the cached copy is older than
// Options.MaxAge, to pick up snapshots another instance wrote.
func (b *Boards) Get(ctx context.Context, pool, category string) (lb *Leaderboard, ok bool, err error) {
	e, err := b.cached(ctx, Key(pool, category))
	if err != nil || e.board == nil {
		return nil, false, err
	}
	return e.board, true, nil
}

// Ranks returns the ranks of two models on their pool's newest leaderboard,
// 0 for a model not ranked there yet: the reveal after a vote shows both
// from one look-up. They are the leaderboard page's ranks: among the
// models listed now, so a retired model above them does not push them down.
// Both look-ups read memory, and the ranks are worked out once per board
// and catalog version (see rankCache), not on every vote.
func (b *Boards) Ranks(ctx context.Context, pool string, modelA, modelB uint) (rankA, rankB int) {
	lb, ok, err := b.Get(ctx, pool, "")
	if err != nil || !ok {
		return 0, 0
	}
	// The version is read before the models: should the catalog be
	// reloaded in between, the ranks are kept under the older version and
	// worked out again on the next vote.
	version, err := b.hist.CatalogVersion(ctx)
	if err != nil {
		return 0, 0
	}
	r := b.ranks.get(pool)
	if r == nil || r.board != lb || r.catalog != version {
		ms, err := b.hist.CatalogModels(ctx)
		if err != nil {
			return 0, 0
		}
		r = &poolRanks{board: lb, catalog: version, rank: make(map[uint]int, len(lb.Standings))}
		for _, st := range RankAmong(lb.Standings, func(id uint) bool { return ms[id].Active }) {
			r.rank[st.ModelID] = st.Rank
		}
		b.ranks.put(pool, r)
	}
	return r.rank[modelA], r.rank[modelB]
}

// Compute fits one leaderboard from the current valid votes, without
// storing it. The CLI uses it; pages read snapshots instead.
func (b *Boards) Compute(ctx context.Context, pool, category string) (*Leaderboard, error) {
	cells, styles, err := b.cells(ctx, models.TallyFilter{Pool: pool, Category: category})
	if err != nil {
		return nil, err
	}
	anchor, err := b.anchorID(ctx)
	if err != nil {
		return nil, err
	}
	lb, err := fitBoth(b.opts, pool, category, cellTallies(cells), cells, styles, anchor, b.src.Now())
	if err != nil {
		return nil, err
	}
	lb.VotesThrough, err = b.src.LastVote(ctx, pool, category, time.Time{})
	return lb, err
}

// fitBoth fits the raw board from the tallies and the style-controlled
// board beside it from the cells they add up, its bootstrap alone.
func fitBoth(o Options, pool, category string, ts []models.Tally, cells cellGroups, styles clipStyles, anchor uint, at time.Time) (*Leaderboard, error) {
	lb, sf, err := prepareBoth(o, pool, category, ts, func() (*styleCells, error) { return countStyle(cells, styles) }, anchor, at)
	if err != nil {
		return nil, err
	}
	if sf != nil {
		if err := sf.fit.Bootstrap(); err != nil {
			return nil, fmt.Errorf("style-controlled %s: %w", Key(pool, category), err)
		}
	}
	finishBoth(o, lb, sf, ts, cells, styles)
	return lb, nil
}

// prepareBoth fits the raw board and the style-controlled board's full fit
// at once: the raw fit's rounds keep a core busy while the style fit counts
// its cells. The style board's bootstrap is left to the caller, then
// finishBoth.
// count gives the style fit's counts: countStyle's of the cells, or for a
// pool in a recompute those merged from its categories'.
func prepareBoth(o Options, pool, category string, ts []models.Tally, count func() (*styleCells, error), anchor uint, at time.Time) (*Leaderboard, *styleFit, error) {
	var sf *styleFit
	var styleErr error
	var wg sync.WaitGroup
	wg.Go(func() {
		var sc *styleCells
		if sc, styleErr = count(); styleErr == nil {
			sf, styleErr = sc.prepare(o, Key(pool, category), anchor)
		}
	})
	lb, err := fit(o, pool, category, ts, anchor, at, category == "")
	wg.Wait()
	if err != nil {
		return nil, nil, err
	}
	if styleErr != nil {
		return nil, nil, fmt.Errorf("style-controlled %s: %w", Key(pool, category), styleErr)
	}
	return lb, sf, nil
}

// finishBoth sets the raw board's style board, once its bootstrap has run,
// and the fingerprint of both.
func finishBoth(o Options, lb *Leaderboard, sf *styleFit, ts []models.Tally, cells cellGroups, styles clipStyles) {
	if sf != nil {
		sb := sf.board()
		sb.setRankChangesVsRaw(lb)
		lb.Style = sb
	}
	lb.Fingerprint = boardFingerprint(ts, cells, styles, o)
}

// boardFingerprint identifies the inputs of both boards.
func boardFingerprint(ts []models.Tally, cells cellGroups, styles clipStyles, o Options) string {
	f := fingerprint(ts, o)
	if sf := styleFingerprint(cells, styles); sf != "" {
		f += "-" + sf
	}
	return f
}

// anchorID is the id of the configured anchor model, 0 when there is none
// or it does not exist (the scores are then centred).
func (b *Boards) anchorID(ctx context.Context) (uint, error) {
	if b.opts.AnchorSlug == "" {
		return 0, nil
	}
	m, err := b.src.ModelBySlug(ctx, b.opts.AnchorSlug)
	switch {
	case err == nil:
		return m.ID, nil
	case errors.Is(err, models.ErrNotFound):
		return 0, nil
	}
	return 0, err
}

// Categories lists the prompt categories of a pool (every pool when empty)
// that a leaderboard can be narrowed to: those of prompts with clips in it
// and those of stored leaderboards (imported votes bring their own).
func (b *Boards) Categories(ctx context.Context, pool string) ([]string, error) {
	cats, err := b.src.PromptCategories(ctx, pool)
	if err != nil {
		return nil, err
	}
	seen := make(map[string]bool, len(cats))
	for _, c := range cats {
		seen[c] = true
	}
	keys, err := b.src.SnapshotKeys(ctx)
	if err != nil {
		return nil, err
	}
	for _, k := range keys {
		if p, c, ok := parseKey(k); ok && c != "" && (pool == "" || p == pool) {
			seen[c] = true
		}
	}
	out := make([]string, 0, len(seen))
	for c := range seen {
		out = append(out, c)
	}
	sort.Strings(out)
	return out, nil
}

// PairWeigher returns how strongly to favour a matchup between two models,
// from the pair weights of the newest leaderboard of each pool (only pool's
// when one is given). A model the leaderboard has not seen yet gets the
// largest weight of its pool, so new models meet the field quickly. Without
// any leaderboard every pair weighs the same.
func (b *Boards) PairWeigher(ctx context.Context, pool string) models.PairWeigher {
	boards := make(map[string]*cachedBoard, len(models.Pools))
	for _, p := range models.Pools {
		if pool != "" && p != pool {
			continue
		}
		if e, err := b.cached(ctx, Key(p, "")); err == nil && e.weights != nil {
			boards[p] = e
		}
	}
	return func(pool string, modelA, modelB uint) float64 {
		e := boards[pool]
		if e == nil {
			return 1
		}
		if w, ok := e.weights[modelPairKey(modelA, modelB)]; ok {
			return w
		}
		return e.maxWeight
	}
}

func (b *Boards) cached(ctx context.Context, key string) (*cachedBoard, error) {
	now := b.src.Now()
	e := b.cache.get(key)
	if e != nil && now.Sub(e.checkedAt) < b.opts.MaxAge {
		return e, nil
	}
	if e != nil && !b.cache.refresh.TryLock() {
		return e, nil
	}
	if e == nil {
		b.cache.refresh.Lock()
	}
	defer b.cache.refresh.Unlock()
	id, err := b.src.NewestSnapshotID(ctx, key, time.Time{})
	if err != nil {
		return nil, fmt.Errorf("find snapshot %s: %w", key, err)
	}
	if e != nil && e.id == id {
		fresh := *e
		fresh.checkedAt = now
		b.cache.put(key, &fresh)
		return &fresh, nil
	}
	var lb *Leaderboard
	if id != 0 {
		if lb, err = b.load(ctx, id); err != nil {
			return nil, err
		}
	}
	e = newCachedBoard(id, lb, now)
	b.cache.put(key, e)
	return e, nil
}

func (b *Boards) load(ctx context.Context, id uint) (*Leaderboard, error) {
	snap, err := b.src.Snapshot(ctx, id)
	if err != nil {
		return nil, err
	}
	return parseSnapshot(snap)
}

func parseSnapshot(snap models.Snapshot) (*Leaderboard, error) {
	var lb Leaderboard
	if err := json.Unmarshal([]byte(snap.Body), &lb); err != nil {
		return nil, fmt.Errorf("parse snapshot %d: %w", snap.ID, err)
	}
	lb.SnapshotID = snap.ID
	return &lb, nil
}

// save stores a computed leaderboard as the newest snapshot of its key and
// caches it.
func (b *Boards) save(ctx context.Context, lb *Leaderboard) error {
	body, err := json.Marshal(lb)
	if err != nil {
		return err
	}
	key := Key(lb.Pool, lb.Category)
	prev := b.cache.get(key)
	snap := models.Snapshot{Key: key, ComputedAt: lb.ComputedAt, Votes: lb.Votes, Body: string(body), VotesThrough: lb.VotesThrough, Method: lb.Method}
	if err := b.src.AddSnapshot(ctx, &snap); err != nil {
		return err
	}
	lb.SnapshotID = snap.ID
	b.cache.put(key, newCachedBoard(snap.ID, lb, b.src.Now()))
	return b.afterSave(ctx, prev, lb)
}

// isBoardKey reports whether a snapshot key names a leaderboard.
func isBoardKey(key string) bool { return strings.HasPrefix(key, keyPrefix) }
