package rating

import (
	"math/bits"
	"math/rand/v2"
)

// aliasTable draws from a fixed discrete distribution in constant time
// (Walker's alias method, with Vose's stable construction): pick a column
// uniformly, then keep it or take its alias by one comparison.
type aliasTable struct {
	cols []aliasColumn
}

// aliasColumn keeps both halves of a column in one cache line.
type aliasColumn struct {
	keep  float64 // probability of keeping the column
	alias int32
}

// newAliasTable builds a table for outcomes 0..len(w)-1 with probabilities
// proportional to the non-negative weights w, which must not all be zero.
func newAliasTable(w []float64) aliasTable {
	n := len(w)
	t := aliasTable{cols: make([]aliasColumn, n)}
	sum := 0.0
	for _, x := range w {
		sum += x
	}
	scaled := make([]float64, n)
	small := make([]int32, 0, n)
	large := make([]int32, 0, n)
	for i, x := range w {
		scaled[i] = x * float64(n) / sum
		if scaled[i] < 1 {
			small = append(small, int32(i))
		} else {
			large = append(large, int32(i))
		}
	}
	for len(small) > 0 && len(large) > 0 {
		s, l := small[len(small)-1], large[len(large)-1]
		small = small[:len(small)-1]
		t.cols[s] = aliasColumn{scaled[s], l}
		scaled[l] -= 1 - scaled[s]
		if scaled[l] < 1 {
			large = large[:len(large)-1]
			small = append(small, l)
		}
	}
	// What is left is 1 up to rounding.
	for _, i := range append(large, small...) {
		t.cols[i] = aliasColumn{1, i}
	}
	return t
}

// draw returns an outcome. One 64-bit variate serves both choices: its
// product with the column count has the column in the high word and an
// independent uniform fraction in the low word.
func (t *aliasTable) draw(src *rand.PCG) int {
	col, frac := bits.Mul64(src.Uint64(), uint64(len(t.cols)))
	c := t.cols[col]
	if float64(frac>>11)*0x1p-53 < c.keep {
		return int(col)
	}
	return int(c.alias)
}

// uintN returns a uniform integer in [0, n) without bias (Lemire 2019).
func uintN(src *rand.PCG, n uint64) uint64 {
	hi, lo := bits.Mul64(src.Uint64(), n)
	if lo < n {
		thresh := -n % n
		for lo < thresh {
			hi, lo = bits.Mul64(src.Uint64(), n)
		}
	}
	return hi
}
