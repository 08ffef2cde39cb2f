package models

import "math/rand/v2"

// PairWeigher says how strongly to favour a matchup between two models of
// a pool: the leaderboard's pair weights, which favour the comparisons that
// would teach the ranking most. A nil PairWeigher weighs every pair alike.
type PairWeigher func(pool string, modelA, modelB uint) float64

// clipWeight applies w to a pair of clips.
func (w PairWeigher) clipWeight(a, b Clip) float64 {
	if w == nil {
		return 1
	}
	return w(a.Pool, a.ModelID, b.ModelID)
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
