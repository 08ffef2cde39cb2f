package leaderboard

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/arena-video/arena/models"
	"github.com/arena-video/arena/models/history"
)

// ErrNoVotes means there are no valid votes to compute from.
var ErrNoVotes = errors.New("no valid votes")

// HistoryStats says what a history rebuild did.
type HistoryStats struct {
	Votes   int64         // valid votes read
	Steps   int           // steps from the first vote's to now
	Stored  int           // boards fitted and stored
	Skipped int           // steps that already had a board of their pool
	Events  int           // rank events found between the boards stored
	First   time.Time     // the first valid vote
	Last    time.Time     // the last valid vote
	Read    time.Duration // reading and counting the votes
	Elapsed time.Duration
}

// cell is one (pair as shown, choice) count of a pool.
type cell struct {
	a, b   uint
	choice string
}

// poolSteps holds one pool's votes counted per step.
type poolSteps struct {
	steps map[int]map[cell]int64 // by step index
	last  map[int]time.Time      // the newest vote of each step
}

// RebuildHistory stores the board of every pool as it stood at the end of
// each step (day or hour, UTC) from the first valid vote to now: the same
// fit and bootstrap as a live recompute, on the votes cast before the
// step's end. The votes are read once and counted per step; each board adds
// its step's counts to the running totals of the one before, so the work is
// one pass over the votes plus one fit per step, however many votes there
// are. Steps that already have a board of their pool (a live one, or an
// earlier rebuild) are kept as they are, so stored boards keep their ids
// and the rebuild can run again. Rank events between successive boards are
// stored as a live recompute stores them. Category boards are not rebuilt:
// their history grows as the server recomputes.
func (b *Boards) RebuildHistory(ctx context.Context, step history.Step) (HistoryStats, error) {
	start := time.Now()
	var st HistoryStats
	first, ok, err := b.hist.FirstVote(ctx)
	if err != nil {
		return st, err
	}
	if !ok {
		return st, fmt.Errorf("%w: there is nothing to rebuild a history from", ErrNoVotes)
	}
	st.First, st.Last = first, first
	pools := make(map[string]*poolSteps)
	for _, pool := range models.Pools {
		if pools[pool], err = b.countSteps(ctx, step, first, pool, &st); err != nil {
			return st, err
		}
	}
	st.Read = time.Since(start)
	bounds := step.Boundaries(st.First, st.Last, b.src.Now())
	st.Steps = len(bounds)
	ms, err := b.hist.CatalogModels(ctx)
	if err != nil {
		return st, err
	}
	anchor, err := b.anchorID(ctx)
	if err != nil {
		return st, err
	}
	for _, pool := range models.Pools {
		if ps := pools[pool]; ps != nil {
			if err := b.rebuildPool(ctx, step, pool, ps, first, bounds, ms, anchor, &st); err != nil {
				return st, err
			}
		}
	}
	st.Elapsed = time.Since(start)
	return st, nil
}

// countSteps counts one pool's valid votes per step; nil when it has none.
func (b *Boards) countSteps(ctx context.Context, step history.Step, first time.Time, pool string, st *HistoryStats) (*poolSteps, error) {
	var ps *poolSteps
	err := b.hist.ScanVotes(ctx, pool, func(sec int64, a, bb uint, choice string) {
		if a == bb {
			return // never reaches a fit; see countsOf
		}
		if ps == nil {
			ps = &poolSteps{steps: make(map[int]map[cell]int64), last: make(map[int]time.Time)}
		}
		at := time.Unix(sec, 0).UTC()
		i := step.Index(first, at)
		m := ps.steps[i]
		if m == nil {
			m = make(map[cell]int64)
			ps.steps[i] = m
		}
		m[cell{a, bb, choice}]++
		if at.After(ps.last[i]) {
			ps.last[i] = at
		}
		if at.After(st.Last) {
			st.Last = at
		}
		st.Votes++
	})
	return ps, err
}

// rebuildPool fits and stores one pool's board at each boundary that has
// none yet, from running totals of the steps' counts.
func (b *Boards) rebuildPool(ctx context.Context, step history.Step, pool string, ps *poolSteps, first time.Time,
	bounds []time.Time, ms map[uint]models.Model, anchor uint, st *HistoryStats) error {
	key := Key(pool, "")
	existing, err := b.hist.SnapshotsOf(ctx, key)
	if err != nil {
		return err
	}
	filled := make(map[int]bool, len(existing))
	for _, sn := range existing {
		// A board computed within a step stands for that step's end.
		filled[step.Index(first, sn.ComputedAt.Add(-time.Nanosecond))] = true
	}
	var prev *Leaderboard // the board before the next one stored
	prevKnown := false    // false: look prev up in the database
	return b.fitSteps(ctx, pool, ps, bounds, filled, anchor, func(s *stepBoard) error {
		if s.keep {
			st.Skipped++
			prevKnown = false
			return nil
		}
		if !prevKnown {
			if prev, err = b.boardBefore(ctx, key, s.end, 0); err != nil {
				return err
			}
		}
		lb := s.board
		lb.VotesThrough = s.through
		lb = compactBoard(lb)
		if err := b.setRankChanges(ctx, lb); err != nil {
			return err
		}
		body, err := json.Marshal(lb)
		if err != nil {
			return err
		}
		snap := models.Snapshot{Key: key, ComputedAt: lb.ComputedAt, Votes: lb.Votes, Body: string(body), VotesThrough: lb.VotesThrough, Method: lb.Method}
		evs := b.changes(ms, prev, lb)
		if err := b.hist.AddRebuiltSnapshot(ctx, &snap, evs); err != nil {
			return err
		}
		lb.SnapshotID = snap.ID
		st.Stored++
		st.Events += len(evs)
		prev, prevKnown = lb, true
		return nil
	})
}

// talliesOf lists running totals as the tallies a fit takes, in the order
// mergeCategories gives, so the fingerprint matches a live recompute's.
func talliesOf(total map[cell]int64) []models.Tally {
	ts := make([]models.Tally, 0, len(total))
	for c, n := range total {
		ts = append(ts, models.Tally{ModelAID: c.a, ModelBID: c.b, Choice: c.choice, N: n})
	}
	sortTallies(ts)
	return ts
}
