package models

import (
	"context"
	"math/rand/v2"
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
// weight; weights that are not positive count as a tiny positive floor.
func weightedIndex(pairs [][2]Clip, weight func(a, b Clip) float64) int {
	if len(pairs) == 1 {
		return 0
	}
	ws := make([]float64, len(pairs))
	total := 0.0
	for i, pr := range pairs {
		w := weight(pr[0], pr[1])
		if !(w > 1e-9) { // also catches NaN
			w = 1e-9
		}
		ws[i] = w
		total += w
	}
	x := rand.Float64() * total
	for i, w := range ws {
		if x < w {
			return i
		}
		x -= w
	}
	return len(ws) - 1
}
