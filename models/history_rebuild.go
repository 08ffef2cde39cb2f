package models

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"gorm.io/gorm"

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
	Events  int           // rank events now stored for the pools rebuilt
	First   time.Time     // the first valid vote
	Last    time.Time     // the last valid vote
	Read    time.Duration // reading and bucketing the votes
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
// one pass over the votes plus one fit per step, whatever their number.
// Steps that already have a board of their pool (a live one, or an earlier
// rebuild) are kept as they are, so stored boards keep their ids and the
// rebuild can run again. Rank events between successive rebuilt boards are
// stored like live ones. Category boards are not rebuilt: their history
// grows as the server recomputes.
func (s *Store) RebuildHistory(ctx context.Context, step history.Step) (HistoryStats, error) {
	start := time.Now()
	var st HistoryStats
	pools, err := s.votesPerStep(ctx, step, &st)
	if err != nil {
		return st, err
	}
	st.Read = time.Since(start)
	if st.Votes == 0 {
		return st, fmt.Errorf("%w: there is nothing to rebuild a history from; import votes first (arena import votes)", ErrNoVotes)
	}
	bounds := step.Boundaries(st.First, st.Last, s.now())
	st.Steps = len(bounds)
	var ms []Model
	if err := s.r.WithContext(ctx).Find(&ms).Error; err != nil {
		return st, fmt.Errorf("list models: %w", err)
	}
	byID := make(map[uint]Model, len(ms))
	for _, m := range ms {
		byID[m.ID] = m
	}
	for _, pool := range Pools {
		ps := pools[pool]
		if ps == nil {
			continue
		}
		if err := s.rebuildPool(ctx, step, pool, ps, st.First, bounds, byID, &st); err != nil {
			return st, err
		}
	}
	st.Elapsed = time.Since(start)
	return st, nil
}

// votesPerStep reads every valid vote once and counts it in its pool and
// step. The first and last vote times are found on the way.
func (s *Store) votesPerStep(ctx context.Context, step history.Step, st *HistoryStats) (map[string]*poolSteps, error) {
	var firsts []time.Time
	if err := s.r.WithContext(ctx).Model(&Matchup{}).Where("choice IS NOT NULL AND valid = ?", true).
		Order("voted_at").Limit(1).Pluck("voted_at", &firsts).Error; err != nil {
		return nil, fmt.Errorf("find first vote: %w", err)
	}
	if len(firsts) == 0 {
		return nil, nil
	}
	first := firsts[0].UTC()
	st.First, st.Last = first, first
	out := make(map[string]*poolSteps)
	for _, pool := range Pools {
		ps, err := s.poolVotesPerStep(ctx, step, first, pool, st)
		if err != nil {
			return nil, err
		}
		if ps != nil {
			out[pool] = ps
		}
	}
	return out, nil
}

// rebuildPool fits and stores one pool's board at each boundary that has
// none yet, adding each step's counts to running totals.
func (s *Store) rebuildPool(ctx context.Context, step history.Step, pool string, ps *poolSteps, first time.Time, bounds []time.Time, ms map[uint]Model, st *HistoryStats) error {
	key := boardKey(pool, "")
	var existing []time.Time
	if err := s.r.WithContext(ctx).Model(&Snapshot{}).Where("key = ?", key).Pluck("computed_at", &existing).Error; err != nil {
		return fmt.Errorf("list snapshots %s: %w", key, err)
	}
	filled := make(map[int]bool, len(existing))
	for _, t := range existing {
		// A board computed within a step stands for that step's end.
		filled[step.Index(first, t.Add(-time.Nanosecond))] = true
	}
	total := make(map[cell]int64)
	var through *time.Time
	var prev *Leaderboard // the board before the next one stored; nil: look it up
	prevKnown := false
	for i, b := range bounds {
		for c, n := range ps.steps[i] {
			total[c] += n
		}
		if t, ok := ps.last[i]; ok {
			through = &t
		}
		if len(total) == 0 {
			continue
		}
		if filled[i] {
			st.Skipped++
			prevKnown = false
			continue
		}
		if !prevKnown {
			var err error
			if prev, err = s.boardBefore(ctx, key, b, 0); err != nil {
				return err
			}
		}
		lb, err := s.fitLeaderboard(ctx, pool, "", talliesOf(pool, total), false)
		if err != nil {
			return err
		}
		lb.ComputedAt, lb.VotesThrough = b, through
		lb = compactBoard(lb)
		if err := s.setRankChanges(ctx, lb); err != nil {
			return err
		}
		if err := s.saveRebuilt(ctx, ms, prev, lb); err != nil {
			return err
		}
		st.Stored++
		prev, prevKnown = lb, true
	}
	var n int64
	if err := s.r.WithContext(ctx).Model(&RankEvent{}).Where("pool = ?", pool).Count(&n).Error; err != nil {
		return err
	}
	st.Events += int(n)
	return nil
}

// talliesOf lists running totals as the tallies a fit takes, in the order
// mergeCategories gives, so the fingerprint matches a live recompute's.
func talliesOf(pool string, total map[cell]int64) []Tally {
	ts := make([]Tally, 0, len(total))
	for c, n := range total {
		ts = append(ts, Tally{Pool: pool, ModelAID: c.a, ModelBID: c.b, Choice: c.choice, N: n})
	}
	sort.Slice(ts, func(i, j int) bool {
		x, y := ts[i], ts[j]
		if x.ModelAID != y.ModelAID {
			return x.ModelAID < y.ModelAID
		}
		if x.ModelBID != y.ModelBID {
			return x.ModelBID < y.ModelBID
		}
		return x.Choice < y.Choice
	})
	return ts
}

// boardBefore loads the newest board of a key computed at or before t,
// other than the snapshot not (0 for none), or nil.
func (s *Store) boardBefore(ctx context.Context, key string, t time.Time, not uint) (*Leaderboard, error) {
	var snap Snapshot
	err := s.r.WithContext(ctx).Select("id").Where("key = ? AND computed_at <= ? AND id <> ?", key, t, not).
		Order("computed_at DESC, id DESC").Limit(1).Find(&snap).Error
	if err != nil || snap.ID == 0 {
		return nil, err
	}
	return s.loadSnapshot(ctx, snap.ID)
}

// saveRebuilt stores a rebuilt board and the rank events that lead to it,
// in one transaction. It leaves the cache alone: a rebuilt board is never
// newer than the live one.
func (s *Store) saveRebuilt(ctx context.Context, ms map[uint]Model, prev, lb *Leaderboard) error {
	body, err := compactBody(lb)
	if err != nil {
		return err
	}
	return s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		snap := Snapshot{Key: boardKey(lb.Pool, lb.Category), ComputedAt: lb.ComputedAt, Votes: lb.Votes, Body: body,
			VotesThrough: lb.VotesThrough, Method: lb.Method, Rebuilt: true}
		if err := tx.Create(&snap).Error; err != nil {
			return fmt.Errorf("store snapshot %s: %w", snap.Key, err)
		}
		lb.SnapshotID = snap.ID
		return s.recordChanges(ctx, tx, ms, prev, lb)
	})
}

// poolVotesPerStep counts one pool's valid votes per step, reading the
// covering index idx_matchups_voted (migration 0701) and no table rows.
func (s *Store) poolVotesPerStep(ctx context.Context, step history.Step, first time.Time, pool string, st *HistoryStats) (*poolSteps, error) {
	rows, err := s.r.WithContext(ctx).Raw("SELECT "+s.epochSeconds("voted_at")+", model_a_id, model_b_id, choice FROM matchups WHERE pool = ? AND valid = ? AND choice IS NOT NULL", pool, true).Rows()
	if err != nil {
		return nil, fmt.Errorf("read votes of %s: %w", pool, err)
	}
	defer rows.Close()
	var ps *poolSteps
	var (
		sec int64
		c   cell
	)
	for rows.Next() {
		if err := rows.Scan(&sec, &c.a, &c.b, &c.choice); err != nil {
			return nil, fmt.Errorf("read votes of %s: %w", pool, err)
		}
		if c.a == c.b {
			continue // never reaches a fit; see countsOf
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
		m[c]++
		if at.After(ps.last[i]) {
			ps.last[i] = at
		}
		if at.After(st.Last) {
			st.Last = at
		}
		st.Votes++
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read votes of %s: %w", pool, err)
	}
	return ps, nil
}
