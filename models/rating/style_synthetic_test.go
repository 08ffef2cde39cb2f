package rating

import (
	"math"
	"math/rand/v2"
)

// styleVote is one vote as the slow reference sees it.
type styleVote struct {
	a, b   int
	fa, fb []float64
	o      Outcome
}

// styleWorld is a synthetic arena: models with true scores, one clip per
// model and prompt with measured features, and votes drawn from the
// style-controlled model with known effects per raw feature difference.
type styleWorld struct {
	truth []float64   // true scores, mean 1000
	clips [][]float64 // clips[model*prompts+prompt] = feature values
	beta  []float64   // true effect per raw difference d_f, natural-log odds
	votes []styleVote // kept only when asked
	c     *StyleCounts
}

// styleWorldSpec describes a synthetic arena.
type styleWorldSpec struct {
	models, prompts int
	votes           int64
	tieFrac         float64
	beta            []float64 // true effect per raw d_f (len 5)
	// longModel, when >= 0, is given clips about twice as long as everyone
	// else's.
	longModel int
	// biasA is the share of votes that show the longer clip on side A, so
	// the differences as shown do not average zero (0.5: no bias).
	biasA    float64
	keep     bool
	seed     uint64
	spreadSD float64 // spread of the true scores, Elo points
}

// newStyleWorld draws the clips and votes of spec.
func newStyleWorld(spec styleWorldSpec) *styleWorld {
	rng := rand.New(rand.NewPCG(spec.seed, 0x57e1e))
	w := &styleWorld{beta: spec.beta}
	w.truth = make([]float64, spec.models)
	mean := 0.0
	for i := range w.truth {
		w.truth[i] = rng.NormFloat64() * spec.spreadSD
		mean += w.truth[i]
	}
	for i := range w.truth {
		w.truth[i] += 1000 - mean/float64(spec.models)
	}
	// Each model has its own habits (length, motion, look, sound), and each
	// clip varies around them.
	w.clips = make([][]float64, spec.models*spec.prompts)
	for m := range spec.models {
		dur := 4 + 6*rng.Float64()
		if m == spec.longModel {
			dur = 20
		}
		motion := 2 + 20*rng.Float64()
		bright := 60 + 120*rng.Float64()
		sat := 30 + 100*rng.Float64()
		audio := 0.2 + 0.6*rng.Float64()
		for p := range spec.prompts {
			f := []float64{
				math.Round(max(1, dur*(0.5+rng.Float64()))*100) / 100,
				math.Round(max(0, motion*(0.7+0.6*rng.Float64()))*10) / 10,
				math.Round(max(0, bright+10*rng.NormFloat64())*10) / 10,
				math.Round(max(0, sat+10*rng.NormFloat64())*10) / 10,
				0,
			}
			if rng.Float64() < audio {
				f[4] = 1
			}
			w.clips[m*spec.prompts+p] = f
		}
	}
	c, err := NewStyleCounts(spec.models, VideoStyleFeatures())
	if err != nil {
		panic(err)
	}
	w.c = c
	features := VideoStyleFeatures()
	for range spec.votes {
		a := rng.IntN(spec.models)
		b := rng.IntN(spec.models - 1)
		if b >= a {
			b++
		}
		p := rng.IntN(spec.prompts)
		fa, fb := w.clips[a*spec.prompts+p], w.clips[b*spec.prompts+p]
		if (fa[0] < fb[0]) == (rng.Float64() < spec.biasA) {
			a, b, fa, fb = b, a, fb, fa
		}
		z := math.Ln10 * (w.truth[a] - w.truth[b]) / 400
		for f, feat := range features {
			z += spec.beta[f] * styleDiff(feat, fa[f], fb[f])
		}
		var o Outcome
		switch u := rng.Float64(); {
		case u < spec.tieFrac*0.6:
			o = OutcomeTie
		case u < spec.tieFrac:
			o = OutcomeBothBad
		case rng.Float64() < logistic(z):
			o = OutcomeA
		default:
			o = OutcomeB
		}
		if err := c.Add(a, b, fa, fb, o, 1); err != nil {
			panic(err)
		}
		if spec.keep {
			w.votes = append(w.votes, styleVote{a, b, fa, fb, o})
		}
	}
	return w
}

// styleDiff is d_f for one vote, written out again here so that the
// reference does not share code with the fit it checks.
func styleDiff(f StyleFeature, a, b float64) float64 {
	if f.Binary {
		return a - b
	}
	return (a - b) / (a + b + 1)
}

// allVotesData builds the style fit's rows from every vote of the world,
// as a fit on the whole data set (no resample) sees them.
func (w *styleWorld) allVotesData() *styleData {
	n := w.c.N()
	pos := make([]int, n)
	for i := range pos {
		pos[i] = i
	}
	d, _, _, _ := buildStyleData(w.c, pos, n)
	return d
}
