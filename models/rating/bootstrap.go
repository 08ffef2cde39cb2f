package rating

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
)

// bootstrap resamples the votes and refits, round after round. Resampling N
// votes with replacement puts a multinomial(N, count/N) number of votes in
// each (pair, outcome) cell, so a round draws one variate per cell instead
// of one per vote; ties and both-bad votes share a cell because the fit
// cannot tell them apart.
type bootstrap struct {
	d           *pairs
	graph       *connectivity // the win graph of all votes, when they need no prior
	beta        []float64     // the fit on all votes: every round starts from it
	factor      []float64     // Cholesky factor of the negative Hessian there
	prior       float64       // virtual ties per model, for rounds that need them
	needPrior   bool          // the data need the prior, and so does every round
	anchor      int
	anchorScore float64
	tol         float64
}

// bootstrapTolerance stops a round's fit once no score moves by more than
// this many Elo points. As for the style board (see
// styleBootstrapTolerance), an interval's ends then move by about this
// much, far below the Monte Carlo error of 1000 rounds' percentiles; from
// a thousandth of a point it took a fifth off each board's bootstrap.
const bootstrapTolerance = 5e-2

// Cell kinds, in the order of pairs.cells.
const (
	cellWinI = iota
	cellWinJ
	cellTie
)

// cell is where a nonzero (pair, outcome) count goes; kind indexes
// pairs.cells.
type cell struct {
	pair int32
	kind uint8
}

// roundState is one worker's scratch space.
type roundState struct {
	s             *solver
	conn          *connectivity
	beta          []float64
	halfWi, total []float64
	drawn, tree   []int64
}

// newRoundState returns a maker of one worker's scratch space, with room
// for the cell-by-cell resampler's draws of cells cells (none when 0).
func (b *bootstrap) newRoundState(cells int) func() *roundState {
	m, pairs := b.d.m, len(b.d.i)
	return func() *roundState {
		st := &roundState{
			s: newSolver(m), conn: newConnectivity(m), beta: make([]float64, m),
			halfWi: make([]float64, pairs), total: make([]float64, pairs),
		}
		if cells > 0 {
			st.drawn, st.tree = make([]int64, cells), make([]int64, cells+1)
		}
		return st
	}
}

// run returns the 2.5th and 97.5th percentiles of each ranked model's score
// over the rounds. Round r draws from its own generator seeded by (seed, r),
// so the result does not depend on how rounds fall to workers.
func (b *bootstrap) run(rounds, workers int, seed uint64) (lower, upper []float64, err error) {
	d := b.d
	m := d.m
	if !b.needPrior {
		b.graph = newConnectivity(m)
		b.graph.fill(d, d.halfWi, d.total)
	}
	// A pair's three cells are a style fit row's: the style fit's sampler
	// draws the same law (the votes redrawn with replacement) straight into
	// the per-pair totals the fit reads, with one random variate a pair
	// instead of one a cell, and never has to take votes back out.
	if rs := newStyleSampler(d.cells); rs != nil {
		return bootstrapRounds(rounds, workers, m, seed, b.newRoundState(0), func(st *roundState, src *rand.PCG, out []float64) error {
			rs.draw(src, st.halfWi, st.total)
			return b.refit(st, out)
		})
	}
	var cells []cell
	var counts []int64
	var total int64
	for k, c := range d.cells {
		for kind, n := range c {
			if n > 0 {
				cells = append(cells, cell{pair: int32(k), kind: uint8(kind)})
				counts = append(counts, n)
				total += n
			}
		}
	}
	// Cells with equal counts share a Poisson table: visiting them together
	// keeps the table in cache. The order does not change the distribution.
	order := make([]int, len(cells))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(counts[a], counts[b]) })
	sortedCells, sortedCounts := make([]cell, len(cells)), make([]int64, len(cells))
	for i, o := range order {
		sortedCells[i], sortedCounts[i] = cells[o], counts[o]
	}
	cells = sortedCells
	rs := newResampler(sortedCounts, total)
	return bootstrapRounds(rounds, workers, m, seed, b.newRoundState(len(cells)), func(st *roundState, src *rand.PCG, out []float64) error {
		b.draw(st, rs, cells, src)
		return b.refit(st, out)
	})
}

// draw draws one resample with the cell-by-cell resampler into the
// round's per-pair totals.
func (b *bootstrap) draw(st *roundState, rs *resampler, cells []cell, src *rand.PCG) {
	rs.draw(src, st.drawn, st.tree)
	clear(st.halfWi)
	clear(st.total)
	for c, x := range cells {
		f := float64(st.drawn[c])
		st.total[x.pair] += f
		switch x.kind {
		case cellWinI:
			st.halfWi[x.pair] += f
		case cellTie:
			st.halfWi[x.pair] += f / 2
		}
	}
}

// refit fits the resample in the round's per-pair totals and writes its
// scores to out.
func (b *bootstrap) refit(st *roundState, out []float64) error {
	d := b.d
	// A resample can drop a model's only loss; the round then follows the
	// same rule as the data would. Resampling never adds an edge, so data
	// that need the prior give rounds that need it too.
	prior := 0.0
	if b.needPrior || st.conn.lostIdentifiability(b.graph, d, st.halfWi, st.total) {
		prior = b.prior
	}
	// Start from the full data's fit. Chord steps with the full data's
	// Hessian usually converge in a handful of cheap passes; when they do
	// not (the round needs the prior the data did not, or the resample is
	// far from the data), Newton's method finishes the job.
	copy(st.beta, b.beta)
	if b.factor == nil || (prior > 0) != b.needPrior || !st.s.refine(d, st.halfWi, st.total, prior, st.beta, b.tol, b.factor) {
		if _, err := st.s.fit(d, st.halfWi, st.total, prior, st.beta, b.tol); err != nil {
			return err
		}
	}
	scale(st.beta, b.anchor, b.anchorScore, out)
	return nil
}

// roundSeed derives round r's generator seed from the caller's seed with
// SplitMix64 steps, so neighbouring rounds get unrelated streams.
func roundSeed(seed, r uint64) (uint64, uint64) {
	a := splitMix(seed ^ splitMix(r))
	return a, splitMix(a)
}

func splitMix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// percentile interpolates linearly between order statistics of the sorted
// values, as NumPy's default does, so intervals compare with the peers'.
func percentile(sorted []float64, q float64) float64 {
	pos := q * float64(len(sorted)-1)
	lo := int(math.Floor(pos))
	if lo+1 >= len(sorted) {
		return sorted[len(sorted)-1]
	}
	f := pos - float64(lo)
	return sorted[lo] + f*(sorted[lo+1]-sorted[lo])
}
