package rating

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
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
}

// run returns the 2.5th and 97.5th percentiles of each ranked model's score
// and each coefficient over the rounds, in the order of theta, and the
// number of cells drawn from. Round r draws from its own generator seeded by
// (seed, r), so the result does not depend on the number of workers.
func (b *styleBootstrap) run(rounds, workers int, seed uint64) (lower, upper []float64, ncells int, err error) {
	d := b.d
	rs := newStyleSampler(d.cells)
	if rs == nil {
		return nil, nil, 0, fmt.Errorf("rating: too many distinct cell counts to resample")
	}
	if workers == 0 {
		workers = runtime.NumCPU()
	}
	workers = min(workers, rounds)
	k := d.dim()
	out := make([]float64, rounds*k)
	errs := make([]error, workers)
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st := &styleRoundState{
				s:      newStyleSolver(d),
				theta:  make([]float64, k),
				halfWi: make([]float64, len(d.i)),
				total:  make([]float64, len(d.i)),
			}
			for {
				r := int(next.Add(1) - 1)
				if r >= rounds {
					return
				}
				src := rand.NewPCG(roundSeed(seed, uint64(r)))
				if err := b.round(st, rs, src, out[r*k:(r+1)*k]); err != nil {
					errs[w] = err
					return
				}
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, nil, 0, err
		}
	}
	lower, upper = make([]float64, k), make([]float64, k)
	col := make([]float64, rounds)
	for a := range k {
		for r := range rounds {
			col[r] = out[r*k+a]
		}
		slices.Sort(col)
		lower[a], upper[a] = percentile(col, 0.025), percentile(col, 0.975)
	}
	return lower, upper, rs.nonzero(), nil
}

// round draws one resample, refits, and writes the scores (Elo points,
// re-centred) and the coefficients to out.
func (b *styleBootstrap) round(st *styleRoundState, rs *styleSampler, src *rand.PCG, out []float64) error {
	d := b.d
	rs.draw(src, st.halfWi, st.total)
	// Chord steps from the full fit with its Hessian usually converge in a
	// few passes, none of which needs an exponential per row; when they do
	// not, Newton's method finishes from wherever they got to.
	copy(st.theta, b.theta)
	if b.factor == nil || !st.s.refine(d, st.halfWi, st.total, st.theta, b.tol, b.factor, b.theta, b.prob) {
		if _, err := st.s.fit(d, st.halfWi, st.total, st.theta, b.tol); err != nil {
			return err
		}
	}
	styleScale(st.theta[:d.m], b.anchor, b.anchorScore, out[:d.m])
	copy(out[d.m:], st.theta[d.m:])
	return nil
}
