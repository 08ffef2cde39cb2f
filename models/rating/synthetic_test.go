package rating

import (
	"math"
	"math/rand/v2"
)

// synthetic draws votes from a Bradley-Terry model with known strengths
// (Elo points, spread like real leaderboards), tieFrac of them ties or
// both-bad, between uniformly random pairs. It returns the counts and the
// true scores centred on 1000.
func synthetic(models int, votes int64, tieFrac float64, seed uint64) (*Counts, []float64) {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	truth := make([]float64, models)
	mean := 0.0
	for i := range truth {
		truth[i] = rng.NormFloat64() * 150
		mean += truth[i]
	}
	for i := range truth {
		truth[i] += 1000 - mean/float64(models)
	}
	c := NewCounts(models)
	for range votes {
		i := rng.IntN(models)
		j := rng.IntN(models - 1)
		if j >= i {
			j++
		}
		p := 1 / (1 + math.Pow(10, (truth[j]-truth[i])/400))
		var o Outcome
		switch u := rng.Float64(); {
		case u < tieFrac*0.6:
			o = OutcomeTie
		case u < tieFrac:
			o = OutcomeBothBad
		case rng.Float64() < p:
			o = OutcomeA
		default:
			o = OutcomeB
		}
		if err := c.Add(i, j, o, 1); err != nil {
			panic(err)
		}
	}
	return c, truth
}
