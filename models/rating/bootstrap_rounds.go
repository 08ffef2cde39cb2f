package rating

import (
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
)

// bootstrapRounds runs rounds resampling rounds on workers goroutines (0:
// one per CPU), each with its own scratch space from newState. Round r
// writes its k values to the out it is given, drawing from its own
// generator seeded by (seed, r), so the result does not depend on the
// number of workers. It returns the 2.5th and 97.5th percentiles of each of
// the k values over the rounds, or the first error a round returned.
func bootstrapRounds[S any](rounds, workers, k int, seed uint64, newState func() S, round func(st S, src *rand.PCG, out []float64) error) (lower, upper []float64, err error) {
	return numberedRounds(rounds, 1, workers, k, newState, func(st S, r0, _ int, out []float64) error {
		return round(st, rand.NewPCG(roundSeed(seed, uint64(r0))), out)
	})
}

// numberedRounds is bootstrapRounds for rounds that seed their own
// generators from the round's number, as a pool's rounds drawn with its
// categories' do (one generator per board). The rounds are handed out in
// blocks of up to block consecutive rounds, r0 to r0+n−1, whose k values
// each writes to its row of out in turn: a block lets a round's work be
// done board by board over its rounds, each board's tables staying in the
// cache while it is.
func numberedRounds[S any](rounds, block, workers, k int, newState func() S, round func(st S, r0, n int, out []float64) error) (lower, upper []float64, err error) {
	if workers == 0 {
		workers = runtime.NumCPU()
	}
	blocks := (rounds + block - 1) / block
	workers = min(workers, blocks)
	out := make([]float64, rounds*k)
	errs := make([]error, workers)
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st := newState()
			for {
				b := int(next.Add(1) - 1)
				if b >= blocks {
					return
				}
				r0 := b * block
				n := min(block, rounds-r0)
				if err := round(st, r0, n, out[r0*k:(r0+n)*k]); err != nil {
					errs[w] = err
					return
				}
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, nil, err
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
	return lower, upper, nil
}
