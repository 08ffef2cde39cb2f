package models

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"time"

	"gorm.io/gorm"
)

// DemoVoter is the voter the made-up demo votes are recorded under, so an
// admin can invalidate them all at once.
const DemoVoter = "demo:seed"

// DemoVotes is how many made-up votes `arena serve --demo` records: enough
// for every demo model to pass the default 20-vote threshold in each pool
// with intervals of a few dozen points, few enough that a visitor's own
// votes still move the board.
const DemoVotes = 1500

// demoSpan is how far back the made-up votes reach.
const demoSpan = 14 * 24 * time.Hour

// SeedDemoVotes records n made-up votes on the demo clips, so that a fresh
// demo shows a leaderboard, its charts and its exports before anyone has
// voted. Each model gets a hidden strength, nudged per pool so the pools do
// not all rank alike; outcomes follow the Bradley-Terry model with some ties
// and both-bad votes, spread over the last two weeks (recompute the
// leaderboards as of a week ago afterwards, so the 7-day rank change has
// something to compare with). Run it once, after
// SeedDemo, on a database with no votes; the same seed gives the same votes.
func (s *Store) SeedDemoVotes(ctx context.Context, n int, seed uint64) error {
	if n <= 0 {
		return nil
	}
	if have, err := s.CountVotes(ctx); err != nil || have > 0 {
		if err == nil {
			err = errors.New("the database already holds votes")
		}
		return fmt.Errorf("seed demo votes: %w", err)
	}
	cat, err := s.catalog(ctx)
	if err != nil {
		return err
	}
	var pools []string
	for _, p := range Pools {
		if len(cat.pools[p]) > 0 {
			pools = append(pools, p)
		}
	}
	if len(pools) == 0 {
		return errors.New("seed demo votes: no prompt has clips from two models")
	}
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	ids := make([]uint, 0, len(cat.models))
	for id := range cat.models {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	// Strengths in natural-log odds: about 0.45 apart (≈80 points), plus up
	// to ±0.3 per pool, and a drift of up to ±0.4 over the two weeks, so
	// that ranks move as they do when models improve.
	type hidden struct{ base, drift float64 }
	strength := make(map[string]map[uint]hidden, len(pools))
	for _, p := range pools {
		strength[p] = make(map[uint]hidden, len(ids))
		for i, id := range ids {
			strength[p][id] = hidden{0.9 - 0.45*float64(i) + 0.6*(rng.Float64()-0.5), 0.8 * (rng.Float64() - 0.5)}
		}
	}
	now := s.now().UTC()
	start := now.Add(-demoSpan)
	rows := make([]any, 0, n*matchupCols)
	for i := 0; i < n; i++ {
		pool := pools[0]
		if r := rng.Float64(); r >= 0.5 { // half in the first pool, the rest shared
			pool = pools[min(len(pools)-1, 1+int((r-0.5)*2*float64(len(pools)-1)))]
		}
		cp := cat.pools[pool][rng.IntN(len(cat.pools[pool]))]
		a := cp.clips[rng.IntN(len(cp.clips))]
		b := a
		for b.ModelID == a.ModelID {
			b = cp.clips[rng.IntN(len(cp.clips))]
		}
		frac := (float64(i) + rng.Float64()) / float64(n) // how far into the two weeks
		sa, sb := strength[pool][a.ModelID], strength[pool][b.ModelID]
		var choice string
		switch r := rng.Float64(); {
		case r < 0.04:
			choice = ChoiceBothBad
		case r < 0.16:
			choice = ChoiceTie
		case rng.Float64() < 1/(1+math.Exp(sb.base+sb.drift*frac-sa.base-sa.drift*frac)):
			choice = ChoiceA
		default:
			choice = ChoiceB
		}
		voted := start.Add(time.Duration(frac * float64(demoSpan)))
		issued := voted.Add(-time.Duration(15+rng.IntN(60)) * time.Second)
		rows = append(rows, NewID(), DemoVoter, cp.prompt.ID, pool, cp.prompt.Category, a.ID, b.ID, a.ModelID, b.ModelID,
			issued, issued.Add(s.rules.ttl), choice, voted, true, "", 0, 0)
	}
	err = s.db.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec(insertVoterSQL, DemoVoter, now).Error; err != nil {
			return err
		}
		for off := 0; off < n; off += importRowsPerStmt {
			k := min(importRowsPerStmt, n-off)
			if err := tx.Exec(insertMatchupsSQL(k, s.db.dialect), rows[off*matchupCols:(off+k)*matchupCols]...).Error; err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("seed demo votes: %w", err)
	}
	s.stats.recorded.Add(uint64(n))
	return nil
}
