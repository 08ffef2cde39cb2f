package rating

import (
	"cmp"
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
	drawn, tree   []int64
}

// run returns the 2.5th and 97.5th percentiles of each ranked model's score
// and each coefficient over the rounds, in the order of theta, and the
// number of cells drawn from. Round r draws from its own generator seeded by
// (seed, r), so the result does not depend on the number of workers.
func (b *styleBootstrap) run(rounds, workers int, seed uint64) (lower, upper []float64, ncells int, err error) {
	d := b.d
	var cells []cell
	var counts []int64
	var total int64
	for u, c := range d.cells {
		for kind, n := range c {
			if n > 0 {
				cells = append(cells, cell{pair: int32(u), kind: uint8(kind)})
				counts = append(counts, n)
				total += n
			}
		}
	}
	// Equal counts share a Poisson table; visiting them together keeps it
	// in cache. The order does not change the distribution.
	order := make([]int, len(cells))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(x, y int) int { return cmp.Compare(counts[x], counts[y]) })
	sortedCells, sortedCounts := make([]cell, len(cells)), make([]int64, len(cells))
	for i, o := range order {
		sortedCells[i], sortedCounts[i] = cells[o], counts[o]
	}
	cells = sortedCells
	rs := newResampler(sortedCounts, total)
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
				drawn:  make([]int64, len(cells)),
				tree:   make([]int64, len(cells)+1),
			}
			for {
				r := int(next.Add(1) - 1)
				if r >= rounds {
					return
				}
				src := rand.NewPCG(roundSeed(seed, uint64(r)))
				if err := b.round(st, rs, cells, src, out[r*k:(r+1)*k]); err != nil {
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
	return lower, upper, len(cells), nil
}

// round draws one resample, refits, and writes the scores (Elo points,
// re-centred) and the coefficients to out.
func (b *styleBootstrap) round(st *styleRoundState, rs *resampler, cells []cell, src *rand.PCG, out []float64) error {
	d := b.d
	rs.draw(src, st.drawn, st.tree)
	clear(st.halfWi)
	clear(st.total)
	// Half-wins of i per cell kind, looked up rather than branched on: the
	// kinds follow no pattern a branch predictor could learn.
	share := [3]float64{cellWinI: 1, cellWinJ: 0, cellTie: 0.5}
	for c, x := range cells {
		f := float64(st.drawn[c])
		st.total[x.pair] += f
		st.halfWi[x.pair] += f * share[x.kind]
	}
	// Chord steps from the full fit with its Hessian usually converge in a
	// few passes, the first of which needs no exponentials; when they do
	// not, Newton's method finishes from wherever they got to.
	copy(st.theta, b.theta)
	if b.factor == nil || !st.s.refine(d, st.halfWi, st.total, st.theta, b.tol, b.factor, b.prob) {
		if _, err := st.s.fit(d, st.halfWi, st.total, st.theta, b.tol); err != nil {
			return err
		}
	}
	styleScale(st.theta[:d.m], b.anchor, b.anchorScore, out[:d.m])
	copy(out[d.m:], st.theta[d.m:])
	return nil
}
