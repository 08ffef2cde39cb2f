package rating

import (
	"math"
	"math/rand/v2"
	"testing"
)

// cholSolve with cholesky's factor solves the leading block's system,
// whether the block is the whole matrix or not.
func TestCholSolve_SolvesTheLeadingBlock(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const m = 9
	for _, k := range []int{m, m - 1, 1} {
		// A = BᵀB + I is symmetric positive definite.
		var b [m * m]float64
		for e := range b {
			b[e] = rng.NormFloat64()
		}
		a := make([]float64, m*m)
		for i := range m {
			for j := range m {
				for r := range m {
					a[i*m+j] += b[r*m+i] * b[r*m+j]
				}
			}
			a[i*m+i]++
		}
		want := make([]float64, m)
		rhs := make([]float64, m)
		for i := range k {
			want[i] = rng.NormFloat64()
		}
		for i := range k {
			for j := range k {
				rhs[i] += a[i*m+j] * want[j]
			}
		}
		factor := append([]float64(nil), a...)
		if !cholesky(factor, m, k) {
			t.Fatalf("k=%d: not positive definite", k)
		}
		cholSolve(factor, m, k, rhs)
		for i := range k {
			if math.Abs(rhs[i]-want[i]) > 1e-12*(1+math.Abs(want[i])) {
				t.Errorf("k=%d: x[%d] = %.15g, want %.15g", k, i, rhs[i], want[i])
			}
		}
	}
}
