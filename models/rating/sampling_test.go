package rating

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// moments returns the sample mean and variance of draws by Welford's
// method, which stays accurate when the mean dwarfs the spread.
func moments(draws int, draw func() float64) (mean, variance float64) {
	var m2 float64
	for k := range draws {
		x := draw()
		d := x - mean
		mean += d / float64(k+1)
		m2 += d * (x - mean)
	}
	return mean, m2 / float64(draws)
}

// checkMoments fails when the sample mean or variance is further from the
// truth than six standard errors (the fourth moment is bounded by 3σ⁴ +
// σ²·(1+...) for these distributions; 4σ⁴ is a safe stand-in).
func checkMoments(t *testing.T, draws int, mean, variance, wantMean, wantVar float64) {
	t.Helper()
	seMean := math.Sqrt(wantVar / float64(draws))
	seVar := math.Sqrt((4*wantVar*wantVar + wantVar) / float64(draws))
	if math.Abs(mean-wantMean) > 6*seMean+1e-12 {
		t.Errorf("mean %.5f, want %.5f ± %.5f", mean, wantMean, 6*seMean)
	}
	if math.Abs(variance-wantVar) > 6*seVar+1e-12 {
		t.Errorf("variance %.5f, want %.5f ± %.5f", variance, wantVar, 6*seVar)
	}
}

func TestBinomial_MeanAndVarianceMatch(t *testing.T) {
	tests := []struct {
		n int64
		p float64
	}{
		{1, 0.5},                 // inversion
		{20, 0.1},                // inversion, n·p = 2
		{30, 0.9},                // symmetry into inversion
		{100, 0.2},               // BTRD at its threshold
		{200, 0.5},               // BTRD, the within-pair case
		{1_000_000, 1.0 / 15000}, // BTRD, a cell of a bootstrap round
		{100_000, 0.3},           // BTRD, squeeze and final test
		{1 << 40, 0.3},           // BTRD, huge n
		{50, 0},
		{50, 1},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("n=%d p=%g", tt.n, tt.p), func(t *testing.T) {
			src := rand.NewPCG(uint64(tt.n), 7)
			const draws = 200_000
			var bad int64 = -1
			mean, variance := moments(draws, func() float64 {
				k := binomial(src, tt.n, tt.p)
				if k < 0 || k > tt.n {
					bad = k
				}
				return float64(k)
			})
			if bad >= 0 {
				t.Fatalf("drew %d, outside [0, %d]", bad, tt.n)
			}
			n := float64(tt.n)
			checkMoments(t, draws, mean, variance, n*tt.p, n*tt.p*(1-tt.p))
		})
	}
}

func TestBinomial_SmallCaseMatchesProbabilities(t *testing.T) {
	// Binomial(4, 0.3) exactly, as a goodness-of-fit check beyond moments.
	src := rand.NewPCG(1, 2)
	want := []float64{0.2401, 0.4116, 0.2646, 0.0756, 0.0081}
	const draws = 400_000
	got := make([]float64, 5)
	for range draws {
		got[binomial(src, 4, 0.3)]++
	}
	chi := 0.0
	for k := range want {
		e := want[k] * draws
		chi += (got[k] - e) * (got[k] - e) / e
	}
	if chi > 25 { // 4 degrees of freedom: p ≈ 5e-5
		t.Errorf("chi-square %.1f; counts %v", chi, got)
	}
}

func TestPoissonTable_MeanAndVarianceMatch(t *testing.T) {
	for _, lambda := range []float64{1, 3.5, 67, 250, 40000} {
		t.Run(fmt.Sprint(lambda), func(t *testing.T) {
			tab := newPoissonTable(lambda)
			src := rand.NewPCG(uint64(lambda), 3)
			const draws = 200_000
			mean, variance := moments(draws, func() float64 { return float64(tab.draw(src)) })
			checkMoments(t, draws, mean, variance, lambda, lambda)
		})
	}
}

func TestPoissonTable_TailsAreReachable(t *testing.T) {
	tab := newPoissonTable(400) // a window that starts above 0
	src := rand.NewPCG(5, 5)
	for range 1000 {
		if k := tab.walkTail(src, tab.hi+1, 1, tab.right); k <= tab.hi {
			t.Fatalf("right tail gave %d, inside the window ending at %d", k, tab.hi)
		}
		if k := tab.walkTail(src, tab.lo-1, -1, tab.left); k >= tab.lo || k < 0 {
			t.Fatalf("left tail gave %d, window starts at %d", k, tab.lo)
		}
	}
}

func TestResampler_DrawsMultinomial(t *testing.T) {
	counts := []int64{1, 2, 5, 40, 40, 300, 2000, 7}
	var total int64
	for _, c := range counts {
		total += c
	}
	split := newResampler(counts, total)
	binom := &resampler{counts: counts, total: total} // no tables: conditional binomials
	for name, rs := range map[string]*resampler{"poisson split": split, "conditional binomials": binom} {
		t.Run(name, func(t *testing.T) {
			if name == "poisson split" && rs.tables == nil {
				t.Fatal("tables not built")
			}
			src := rand.NewPCG(11, 12)
			out := make([]int64, len(counts))
			tree := make([]int64, len(counts)+1)
			draws := make([][]float64, len(counts))
			for range 100_000 {
				rs.draw(src, out, tree)
				var s int64
				for k, x := range out {
					if x < 0 {
						t.Fatalf("negative count %v", out)
					}
					s += x
					draws[k] = append(draws[k], float64(x))
				}
				if s != total {
					t.Fatalf("resample has %d votes, want %d", s, total)
				}
			}
			for k, c := range counts {
				p := float64(c) / float64(total)
				i := 0
				mean, variance := moments(len(draws[k]), func() float64 { i++; return draws[k][i-1] })
				checkMoments(t, len(draws[k]), mean, variance, float64(c), float64(total)*p*(1-p))
			}
		})
	}
}

func TestAliasTable_FollowsWeights(t *testing.T) {
	w := []float64{0, 1, 2, 7, 0.5}
	tab := newAliasTable(w)
	src := rand.NewPCG(8, 8)
	const draws = 500_000
	got := make([]float64, len(w))
	for range draws {
		got[tab.draw(src)]++
	}
	for k, x := range w {
		p := x / 10.5
		se := math.Sqrt(p*(1-p)/draws) + 1e-12
		if math.Abs(got[k]/draws-p) > 6*se {
			t.Errorf("outcome %d: share %.5f, want %.5f", k, got[k]/draws, p)
		}
	}
}
