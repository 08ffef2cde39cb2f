package rating

import (
	"fmt"
	"math/rand/v2"
)

// styleBootstrap resamples the votes of a style fit and refits, round after
// round. As for the plain board, a resample of N votes with replacement puts
// a multinomial(N, count/N) number of votes in each cell, here a cell being
// a clip-pair feature difference with an outcome; the features are
// standardised once, over the data, as the published method does.
type styleBootstrap struct {
	d           *styleData
	theta       []float64 // the fit on all votes: every round starts from it
	factor      []float64 // Cholesky factor of the negative Hessian there, or nil
	prob        []float64 // σ(z) per row there
	anchor      int
	anchorScore float64
	tol         float64
}

// styleRoundState is one worker's scratch space.
type styleRoundState struct {
	s             *styleSolver
	theta         []float64
	halfWi, total []float64
	grad          baseGradient
}

// run returns the 2.5th and 97.5th percentiles of each ranked model's score
// and each coefficient over the rounds, in the order of theta, and the
// number of cells drawn from. Round r draws from its own generator seeded by
// (seed, r), so the result does not depend on the number of workers.
func (b *styleBootstrap) run(rounds, workers int, seed uint64) (lower, upper []float64, ncells int, err error) {
	d := b.d
	rs := newSidePairSampler(d.cells)
	if rs == nil {
		return nil, nil, 0, fmt.Errorf("rating: too many distinct cell counts to resample")
	}
	lower, upper, err = bootstrapRounds(rounds, workers, d.dim(), seed, b.newRoundState, func(st *styleRoundState, src *rand.PCG, out []float64) error {
		return b.round(st, rs, src, out, nil, nil)
	})
	if err != nil {
		return nil, nil, 0, err
	}
	return lower, upper, rs.nonzero(), nil
}

// newRoundState allocates one worker's scratch space.
func (b *styleBootstrap) newRoundState() *styleRoundState {
	d := b.d
	st := &styleRoundState{
		s:      newStyleSolver(d),
		theta:  make([]float64, d.dim()),
		halfWi: make([]float64, d.sides()),
		total:  make([]float64, d.sides()),
	}
	if b.prob != nil {
		st.grad = newBaseGradient(d, b.prob)
	}
	return st
}

// round draws one resample, refits, and writes the scores (Elo points,
// re-centred) and the coefficients to out. When rec is not nil the draw is
// recorded there, for a pool's resample composed from this one.
func (b *styleBootstrap) round(st *styleRoundState, rs *styleSampler, src *rand.PCG, out []float64, rec *drawRecord, also *residualSink) error {
	// The first chord step's gradient comes with the resample.
	if b.factor == nil {
		rs.drawPairsTo(src, rs.total, st.halfWi, st.total, nil, rec, also)
	} else {
		rs.drawPairsTo(src, rs.total, st.halfWi, st.total, &st.grad, rec, also)
	}
	return b.solve(st, out, b.factor != nil)
}

// solve refits the resample in st.halfWi and st.total and writes the scores
// and coefficients to out; withGrad says st.grad holds the resample's
// gradient at the full fit.
func (b *styleBootstrap) solve(st *styleRoundState, out []float64, withGrad bool) error {
	d := b.d
	// Chord steps from the full fit with its Hessian usually converge in a
	// few passes, none of which needs an exponential per row; when they do
	// not, Newton's method finishes from wherever they got to.
	var g0 []float64
	if withGrad {
		g0 = st.grad.g
	}
	copy(st.theta, b.theta)
	if b.factor == nil || !st.s.refine(d, st.halfWi, st.total, st.theta, b.tol, b.factor, b.theta, b.prob, g0) {
		if _, err := st.s.fit(d, st.halfWi, st.total, st.theta, b.tol); err != nil {
			return err
		}
	}
	styleScale(st.theta[:d.m], b.anchor, b.anchorScore, out[:d.m])
	copy(out[d.m:], st.theta[d.m:])
	return nil
}
