package rating

import (
	"math"
	"math/rand/v2"
)

// DefaultPairFloor is the share of the sampling mass spread evenly over all
// pairs, so that no pair stops appearing.
const DefaultPairFloor = 0.2

// PairWeight is the probability of showing models I and J (I < J) next.
type PairWeight struct {
	I, J   int
	Weight float64
}

// PairWeights returns a weight for every unordered pair of the models
// whose scores are given, summing to 1. A fraction floor of the mass (0 to
// 1; DefaultPairFloor is a good start) is spread evenly; the rest goes in
// proportion to how much the pair's next vote would teach:
//
//	p(1-p) / (1 + battles)
//
// where p is the predicted chance that I beats J and battles the votes the
// pair already has (battles[i][j]; a short or nil matrix counts as none).
// p(1-p) is the information one vote carries about the gap between two
// models, largest when they are close; dividing by the votes already cast
// favours pairs that have met little, which includes every pair with a new
// model. Pairs that never met count as an even match, so a new model's
// placeholder score does not matter.
func PairWeights(scores []float64, battles [][]int64, floor float64) []PairWeight {
	floor = min(max(floor, 0), 1)
	n := len(scores)
	out := make([]PairWeight, 0, n*(n-1)/2)
	sum := 0.0
	for i := range n {
		for j := i + 1; j < n; j++ {
			b := battlesAt(battles, i, j)
			p := 0.5
			if b > 0 {
				p = WinProbability(scores[i], scores[j])
			}
			w := p * (1 - p) / (1 + float64(b))
			if math.IsNaN(w) {
				w = 0
			}
			sum += w
			out = append(out, PairWeight{I: i, J: j, Weight: w})
		}
	}
	if len(out) == 0 {
		return out
	}
	even := 1 / float64(len(out))
	for k := range out {
		share := even
		if sum > 0 {
			share = out[k].Weight / sum
		}
		out[k].Weight = floor*even + (1-floor)*share
	}
	return out
}

func battlesAt(battles [][]int64, i, j int) int64 {
	if i < len(battles) && j < len(battles[i]) {
		return battles[i][j]
	}
	return 0
}

// PairWeights returns the sampling weights for this leaderboard's models;
// see the function of the same name. Models without votes keep a score of
// 0 here, which is harmless: they have no battles.
func (r *Result) PairWeights(floor float64) []PairWeight {
	scores := make([]float64, len(r.Models))
	for i, m := range r.Models {
		scores[i] = m.Score
	}
	return PairWeights(scores, r.Battles, floor)
}

// DrawPair picks one of the pairs with probability proportional to its
// weight. The caller may pass any subset (say, the pairs of models that
// have clips for a prompt): the weights need not sum to 1. It reports false
// when no pair has a positive weight.
func DrawPair(pairs []PairWeight, rng *rand.Rand) (PairWeight, bool) {
	total := 0.0
	for _, p := range pairs {
		if p.Weight > 0 {
			total += p.Weight
		}
	}
	if !(total > 0) || math.IsInf(total, 0) {
		return PairWeight{}, false
	}
	u := rng.Float64() * total
	last := -1
	for k, p := range pairs {
		if p.Weight <= 0 {
			continue
		}
		if u < p.Weight {
			return p, true
		}
		u -= p.Weight
		last = k
	}
	// Rounding can leave u just above the last weight.
	return pairs[last], true
}
