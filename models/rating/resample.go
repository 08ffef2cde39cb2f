package rating

import (
	"math/bits"
	"math/rand/v2"
)

// maxTableEntries caps the memory of the Poisson tables (12 bytes an entry).
// A million votes over 100 models need about 40 thousand; data that would
// need more use conditional binomials instead.
const maxTableEntries = 1 << 21

// resampler draws multinomial(N, count/N) resamples of a fixed set of cells,
// by one of two exact methods:
//
//   - Poisson split. Independent X_k ~ Poisson(count_k) are, given their sum
//     S, multinomial(S, count/N). So draw them, then add N-S votes drawn
//     from count/N, or remove S-N of the S votes uniformly without
//     replacement; either way the result is multinomial(N, count/N). The
//     Poisson parameters are the same in every round, so each distinct
//     count gets an alias table once and a draw costs a table look-up.
//     |S-N| is about √N, so the correction is small.
//   - Conditional binomials, when the tables would not fit the budget: cell
//     k gets Binomial(votes left, count_k / count left), by BTRD.
type resampler struct {
	counts []int64
	total  int64
	tables []*poissonTable // per cell, shared between equal counts; nil: binomials
	cells  aliasTable      // categorical over cells, for adding votes
}

func newResampler(counts []int64, total int64) *resampler {
	r := &resampler{counts: counts, total: total}
	byCount := map[int64]*poissonTable{}
	entries := 0
	for _, c := range counts {
		if byCount[c] == nil {
			byCount[c] = newPoissonTable(float64(c))
			if entries += byCount[c].size(); entries > maxTableEntries {
				return r
			}
		}
	}
	r.tables = make([]*poissonTable, len(counts))
	w := make([]float64, len(counts))
	for k, c := range counts {
		r.tables[k] = byCount[c]
		w[k] = float64(c)
	}
	r.cells = newAliasTable(w)
	return r
}

// draw writes one resample into out (one entry per cell). tree is scratch
// space of len(counts)+1 entries.
func (r *resampler) draw(src *rand.PCG, out, tree []int64) {
	if r.tables == nil {
		r.drawBinomial(src, out)
		return
	}
	var s int64
	for k, t := range r.tables {
		out[k] = t.draw(src)
		s += out[k]
	}
	for ; s < r.total; s++ {
		out[r.cells.draw(src)]++
	}
	if s > r.total {
		removeUniform(src, out, tree, s, s-r.total)
	}
}

func (r *resampler) drawBinomial(src *rand.PCG, out []int64) {
	left, mass := r.total, r.total
	last := len(r.counts) - 1
	for k, c := range r.counts {
		if k == last {
			out[k] = left
			break
		}
		out[k] = binomial(src, left, float64(c)/float64(mass))
		left -= out[k]
		mass -= c
	}
}

// removeUniform removes n of the s votes in out, each time one chosen
// uniformly among those left. A Fenwick tree over the cells finds the cell
// of the r-th vote in O(log cells).
func removeUniform(src *rand.PCG, out, tree []int64, s, n int64) {
	size := len(out)
	// Linear-time build: tree[i] holds the sum of out over (i - lowbit(i), i].
	for i := 1; i <= size; i++ {
		tree[i] = out[i-1]
	}
	for i := 1; i <= size; i++ {
		if j := i + i&-i; j <= size {
			tree[j] += tree[i]
		}
	}
	top := 1 << (bits.Len(uint(size)) - 1)
	for ; n > 0; n, s = n-1, s-1 {
		v := int64(uintN(src, uint64(s)))
		// Descend to the first cell whose running sum exceeds v.
		pos := 0
		for step := top; step > 0; step >>= 1 {
			if next := pos + step; next <= size && tree[next] <= v {
				pos = next
				v -= tree[next]
			}
		}
		out[pos]--
		for i := pos + 1; i <= size; i += i & -i {
			tree[i]--
		}
	}
}
