package models

import (
	"context"
	"math/rand/v2"

	"github.com/arena-video/arena/models/rating"
)

// pairWeigher returns how strongly to favour a matchup between two models,
// from the pair weights of the newest leaderboard of the pool (every pool
// when none is asked for: a clip pair's own pool decides). A model the
// leaderboard has not seen yet gets the largest weight of its pool, so new
// models meet the field quickly. Without any leaderboard every pair weighs
// the same.
func (s *Store) pairWeigher(ctx context.Context, pool string) func(a, b Clip) float64 {
	byPool := make(map[string]*cachedBoard, len(Pools))
	for _, p := range Pools {
		if pool != "" && p != pool {
			continue
		}
		if e, err := s.cachedLeaderboard(ctx, boardKey(p, "")); err == nil && e.weights != nil {
			byPool[p] = e
		}
	}
	return func(a, b Clip) float64 {
		e := byPool[a.Pool]
		if e == nil {
			return 1
		}
		if w, ok := e.weights[modelPairKey(a.ModelID, b.ModelID)]; ok {
			return w
		}
		return e.maxWeight()
	}
}

// maxWeight is the largest pair weight of the leaderboard.
func (e *cachedBoard) maxWeight() float64 {
	m := 0.0
	for _, w := range e.weights {
		m = max(m, w)
	}
	if m == 0 {
		return 1
	}
	return m
}

// pickPair chooses a prompt uniformly among those that still have a clip
// pair the voter has not judged, then one of those pairs with probability
// proportional to its weight. When the voter has judged everything it
// chooses among all pairs of a random prompt the same way. The weights carry
// their own uniform floor, so every pair keeps appearing.
func pickPair(prompts []catalogPrompt, judged map[clipPair]bool, weight func(a, b Clip) float64) (a, b Clip, p Prompt) {
	order := rand.Perm(len(prompts))
	for _, i := range order {
		pairs := pairsOf(prompts[i].clips, judged)
		if len(pairs) > 0 {
			pr := pairs[weightedIndex(pairs, weight)]
			return pr[0], pr[1], prompts[i].prompt
		}
	}
	cp := prompts[order[0]]
	pairs := pairsOf(cp.clips, nil)
	pr := pairs[weightedIndex(pairs, weight)]
	return pr[0], pr[1], cp.prompt
}

// weightedIndex draws an index with probability proportional to the pair's
// weight, through the rating package's draw (each candidate is passed as a
// "pair" whose I is its index here). With no positive weight it draws
// uniformly.
func weightedIndex(pairs [][2]Clip, weight func(a, b Clip) float64) int {
	if len(pairs) == 1 {
		return 0
	}
	cands := make([]rating.PairWeight, len(pairs))
	for i, pr := range pairs {
		cands[i] = rating.PairWeight{I: i, J: i, Weight: weight(pr[0], pr[1])}
	}
	rng := rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	if pw, ok := rating.DrawPair(cands, rng); ok {
		return pw.I
	}
	return rng.IntN(len(pairs))
}
