package rating

import (
	"math"
	"math/rand/v2"
)

// poissonTable draws from Poisson(λ) for one fixed λ in constant time: an
// alias table over the window λ ± (8√λ + 10), which holds all but about
// 1e-15 of the mass, plus one outcome for each tail. A tail outcome is
// resolved by walking the tail, so the draw stays exact.
type poissonTable struct {
	lambda, logLambda float64
	lo, hi            int64 // window, inclusive
	left, right       float64
	alias             aliasTable
}

func newPoissonTable(lambda float64) *poissonTable {
	spread := 8*math.Sqrt(lambda) + 10
	t := &poissonTable{
		lambda:    lambda,
		logLambda: math.Log(lambda),
		lo:        int64(max(0, math.Floor(lambda-spread))),
		hi:        int64(math.Ceil(lambda + spread)),
	}
	w := make([]float64, t.hi-t.lo+3)
	for k := t.lo; k <= t.hi; k++ {
		w[k-t.lo] = t.pmf(k)
	}
	t.left = t.tailMass(t.lo-1, -1)
	t.right = t.tailMass(t.hi+1, 1)
	w[len(w)-2], w[len(w)-1] = t.left, t.right
	t.alias = newAliasTable(w)
	return t
}

// size is the number of alias entries, for the memory budget.
func (t *poissonTable) size() int { return len(t.alias.cols) }

func (t *poissonTable) pmf(k int64) float64 {
	lg, _ := math.Lgamma(float64(k) + 1)
	return math.Exp(float64(k)*t.logLambda - t.lambda - lg)
}

// tailMass sums the pmf from k outward in direction dir until the terms no
// longer matter: beyond the window they shrink at least geometrically.
func (t *poissonTable) tailMass(k, dir int64) float64 {
	sum := 0.0
	for ; k >= 0; k += dir {
		p := t.pmf(k)
		sum += p
		if p <= sum*1e-20 || p < 1e-300 {
			break
		}
	}
	return sum
}

func (t *poissonTable) draw(src *rand.PCG) int64 {
	i := int64(t.alias.draw(src))
	w := t.hi - t.lo + 1
	switch i {
	case w:
		return t.walkTail(src, t.lo-1, -1, t.left)
	case w + 1:
		return t.walkTail(src, t.hi+1, 1, t.right)
	}
	return t.lo + i
}

// walkTail inverts the distribution within a tail of the given mass.
func (t *poissonTable) walkTail(src *rand.PCG, k, dir int64, mass float64) int64 {
	u := uniform(src) * mass
	for {
		p := t.pmf(k)
		if u < p || k == 0 || p < 1e-300 {
			return k
		}
		u -= p
		k += dir
	}
}
