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
	var boards [4]*cachedBoard // by position in Pools
	for k, p := range Pools {
		if pool != "" && p != pool {
			continue
		}
		if e, err := s.cachedLeaderboard(ctx, boardKey(p, "")); err == nil && e.weights != nil {
			boards[k] = e
		}
	}
	return func(a, b Clip) float64 {
		var e *cachedBoard
		for k, p := range Pools {
			if p == a.Pool {
				e = boards[k]
			}
		}
		if e == nil {
			return 1
		}
		if w, ok := e.weights[modelPairKey(a.ModelID, b.ModelID)]; ok {
			return w
		}
		return e.maxWeight
	}
}

// pickPair chooses a prompt uniformly among those that still have a clip
// pair the voter has not judged, then one of those pairs with probability
// proportional to its weight (the rating package's pair weights, which carry
// their own uniform floor, so every pair keeps appearing). When the voter
// has judged everything it chooses among all pairs of a random prompt the
// same way. It allocates nothing per pair: this runs on every matchup.
func pickPair(prompts []*catalogPrompt, judged map[clipPair]bool, weight func(a, b Clip) float64) (a, b Clip, p Prompt) {
	order := rand.Perm(len(prompts))
	for _, i := range order {
		if a, b, ok := weightedPair(prompts[i].clips, judged, weight); ok {
			return a, b, prompts[i].prompt
		}
	}
	cp := prompts[order[0]]
	a, b, _ = weightedPair(cp.clips, nil, weight)
	return a, b, cp.prompt
}

// minPairWeight keeps a pair with a zero or broken weight drawable.
const minPairWeight = 1e-9

// weightedPair draws one of the clip pairs from different models that the
// voter has not judged, with probability proportional to its weight: one
// pass adds the weights up, a second walks to the drawn one. ok is false
// when there is no such pair.
func weightedPair(clips []Clip, judged map[clipPair]bool, weight func(a, b Clip) float64) (a, b Clip, ok bool) {
	w := func(i, j int) float64 {
		x := weight(clips[i], clips[j])
		if !(x > minPairWeight) { // also catches NaN
			return minPairWeight
		}
		return x
	}
	total := 0.0
	for i := range clips {
		for j := i + 1; j < len(clips); j++ {
			if pairAllowed(clips, i, j, judged) {
				total += w(i, j)
			}
		}
	}
	if total == 0 {
		return Clip{}, Clip{}, false
	}
	x := rand.Float64() * total
	for i := range clips {
		for j := i + 1; j < len(clips); j++ {
			if !pairAllowed(clips, i, j, judged) {
				continue
			}
			a, b, ok = clips[i], clips[j], true
			if x -= w(i, j); x < 0 {
				return a, b, true
			}
		}
	}
	return a, b, ok // rounding left x just above 0: the last pair
}

// pairAllowed reports whether clips i and j come from different models and the
// voter has not judged them.
func pairAllowed(clips []Clip, i, j int, judged map[clipPair]bool) bool {
	return clips[i].ModelID != clips[j].ModelID && !judged[pairOf(clips[i].ID, clips[j].ID)]
}
