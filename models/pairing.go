package models

import "math/rand/v2"

// PairWeigher says how strongly to favour a matchup between two models of
// a pool: the leaderboard's pair weights, which favour the comparisons that
// would teach the ranking most. A nil PairWeigher weighs every pair alike.
type PairWeigher func(pool string, modelA, modelB uint) float64

// clipWeight applies w to a pair of clips. It takes pointers: it runs for
// every pair of a prompt's clips (4,950 for 100 models) on every matchup,
// and copying two Clips per call was much of that time.
func (w PairWeigher) clipWeight(a, b *Clip) float64 {
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
// same way, and fresh is false. A nil judged says the caller already knows
// that (see voterState.judgedAll): the search for an unjudged pair, a map
// look-up for every pair of every prompt, is skipped. scratch, when not
// nil, holds the pair weights between the two passes of weightedPair and
// is grown as needed, so a caller that keeps it allocates nothing per
// matchup.
func pickPair(prompts []*catalogPrompt, judged map[clipPair]bool, weight func(a, b *Clip) float64, scratch *[]float64) (a, b Clip, p Prompt, fresh bool) {
	if scratch == nil {
		scratch = new([]float64)
	}
	order := rand.Perm(len(prompts))
	if judged != nil {
		for _, i := range order {
			if a, b, ok := weightedPair(prompts[i].clips, judged, weight, scratch); ok {
				return a, b, prompts[i].prompt, true
			}
		}
	}
	for _, i := range order {
		if a, b, ok := weightedPair(prompts[i].clips, nil, weight, scratch); ok {
			return a, b, prompts[i].prompt, false
		}
	}
	return Clip{}, Clip{}, prompts[order[0]].prompt, false
}

// minPairWeight keeps a pair with a zero or broken weight drawable.
const minPairWeight = 1e-9

// weightedPair draws one of the clip pairs from different models that the
// voter has not judged, with probability proportional to its weight: one
// pass weighs every pair (0 for a pair not allowed) into scratch and adds
// the weights up, a second walks scratch to the drawn pair, so each pair is
// weighed once. ok is false when there is no such pair.
func weightedPair(clips []Clip, judged map[clipPair]bool, weight func(a, b *Clip) float64, scratch *[]float64) (a, b Clip, ok bool) {
	n := len(clips) * (len(clips) - 1) / 2
	if cap(*scratch) < n {
		*scratch = make([]float64, n)
	}
	ws := (*scratch)[:n]
	total := 0.0
	k := 0
	for i := range clips {
		for j := i + 1; j < len(clips); j++ {
			x := 0.0
			if pairAllowed(clips, i, j, judged) {
				if x = weight(&clips[i], &clips[j]); !(x > minPairWeight) { // also catches NaN
					x = minPairWeight
				}
			}
			ws[k] = x
			total += x
			k++
		}
	}
	if total == 0 {
		return Clip{}, Clip{}, false
	}
	x := rand.Float64() * total
	last := -1
	for k, w := range ws {
		if w == 0 {
			continue
		}
		last = k
		if x -= w; x < 0 {
			break
		}
	}
	// Rounding may leave x just above 0 after the last pair: that pair.
	i, j := pairAt(len(clips), last)
	return clips[i], clips[j], true
}

// pairAt returns the pair (i, j), i < j, at position k of the order
// weightedPair weighs the pairs of n clips in.
func pairAt(n, k int) (i, j int) {
	for i = 0; k >= n-1-i; i++ {
		k -= n - 1 - i
	}
	return i, i + 1 + k
}

// pairAllowed reports whether clips i and j come from different models and the
// voter has not judged them.
func pairAllowed(clips []Clip, i, j int, judged map[clipPair]bool) bool {
	return clips[i].ModelID != clips[j].ModelID && !judged[pairOf(clips[i].ID, clips[j].ID)]
}
