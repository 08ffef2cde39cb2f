package rating

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// guideDraw is one draw from g as styleSampler.draw makes it.
func guideDraw(g *poissonGuide, src *rand.PCG) int64 {
	b := src.Uint64() >> (64 - guideBits)
	if v := g.fast[b]; v != guideSlow {
		return int64(v)
	}
	return g.slow(src, b)
}

func TestPoissonGuide_MeanAndVarianceMatch(t *testing.T) {
	for _, lambda := range []float64{0.37, 1, 3.5, 8, 67, 250, 40000, 70000} {
		t.Run(fmt.Sprint(lambda), func(t *testing.T) {
			g := newPoissonGuide(lambda)
			src := rand.NewPCG(uint64(lambda*100), 4)
			const draws = 200_000
			mean, variance := moments(draws, func() float64 { return float64(guideDraw(g, src)) })
			checkMoments(t, draws, mean, variance, lambda, lambda)
		})
	}
}

// The table and the exact search must split the unit interval the same
// way: a chi-square over every value with expected count ≥ 5.
func TestPoissonGuide_MatchesProbabilities(t *testing.T) {
	for _, lambda := range []float64{1.96, 7} {
		t.Run(fmt.Sprint(lambda), func(t *testing.T) {
			g := newPoissonGuide(lambda)
			src := rand.NewPCG(21, uint64(lambda))
			const draws = 1_000_000
			got := map[int64]float64{}
			for range draws {
				got[guideDraw(g, src)]++
			}
			chi, dof := 0.0, -1
			for k := int64(0); ; k++ {
				want := draws * g.pmf(k)
				if want < 5 {
					if k > int64(lambda) {
						break
					}
					continue
				}
				chi += (got[k] - want) * (got[k] - want) / want
				dof++
			}
			// 99.99th percentile of chi-square with dof ≤ 20 is below 50.
			if chi > 50 {
				t.Errorf("chi-square %.1f with %d degrees of freedom; counts %v", chi, dof, got)
			}
		})
	}
}

func TestPoissonGuide_ZeroAlwaysDrawsZero(t *testing.T) {
	g := newPoissonGuide(0)
	src := rand.NewPCG(1, 1)
	for range 1000 {
		if k := guideDraw(g, src); k != 0 {
			t.Fatalf("Poisson(0) drew %d", k)
		}
	}
}

// A resample is multinomial(N, count/N) over the cells: every draw has N
// votes, and each row's total and half-wins have the multinomial mean and
// variance, drawn side by side (draw) or a fit row's two sides at once
// (drawPairs). The tiny case has no Poisson part (every vote is added).
func TestStyleSampler_DrawsMultinomial(t *testing.T) {
	tests := map[string][][3]int64{
		"thinned poisson": {{1, 0, 2}, {5, 40, 0}, {0, 0, 0}, {300, 20, 7}, {2000, 1, 1}, {0, 3, 9}},
		"tiny":            {{1, 0, 1}, {0, 1, 0}},
	}
	samplers := map[string]func(rows [][3]int64) func(src *rand.PCG, halfWi, total []float64){
		"draw": func(rows [][3]int64) func(src *rand.PCG, halfWi, total []float64) {
			return newStyleSampler(rows).draw
		},
		"drawPairs": func(rows [][3]int64) func(src *rand.PCG, halfWi, total []float64) {
			s := newSidePairSampler(rows)
			return func(src *rand.PCG, halfWi, total []float64) { s.drawPairs(src, halfWi, total, nil) }
		},
	}
	for name, rows := range tests {
		for sampler, build := range samplers {
			t.Run(name+"/"+sampler, func(t *testing.T) {
				draw := build(rows)
				n := 0.0
				for _, c := range rows {
					n += float64(c[0] + c[1] + c[2])
				}
				src := rand.NewPCG(3, 9)
				const draws = 100_000
				halfWi, total := make([]float64, len(rows)), make([]float64, len(rows))
				hw := make([][]float64, len(rows))
				tot := make([][]float64, len(rows))
				for range draws {
					draw(src, halfWi, total)
					sum := 0.0
					for u := range rows {
						sum += total[u]
						hw[u] = append(hw[u], halfWi[u])
						tot[u] = append(tot[u], total[u])
					}
					if sum != n {
						t.Fatalf("resample has %v votes, want %v", sum, n)
					}
				}
				for u, c := range rows {
					pw, pl, pt := float64(c[0])/n, float64(c[1])/n, float64(c[2])/n
					p := pw + pl + pt
					i := 0
					mean, variance := moments(draws, func() float64 { i++; return tot[u][i-1] })
					checkMoments(t, draws, mean, variance, n*p, n*p*(1-p))
					i = 0
					mean, variance = moments(draws, func() float64 { i++; return hw[u][i-1] })
					checkMoments(t, draws, mean, variance, n*(pw+pt/2), n*(pw*(1-pw)+pt*(1-pt)/4-pw*pt))
				}
			})
		}
	}
}

// Every bootstrap round is refitted to the tolerance, not stopped after
// the first chord step (which is off by points on a small arena). The stop
// estimates the distance left from the contraction rate, which on an arena
// this small can be several times the tolerance: the test logs its worst
// round in tolerances (5.5 in these 20 rounds). It is no bound: run to 300
// rounds (rounds = 300), round 166 is 11.3 tolerances off in a γ (0.0014
// in the log-odds) and the test stops there. The bug it holds off left
// rounds up to 10 points away.
func TestStyleBootstrap_RoundsAreConverged(t *testing.T) {
	w := newStyleWorld(styleWorldSpec{models: 20, prompts: 5, votes: 5000, tieFrac: 0.15,
		beta: []float64{1.5, 0.5, 0.2, 0.3, 0.2}, longModel: -1, biasA: 0.6, seed: 1, spreadSD: 150})
	d := w.allVotesData()
	k := d.dim()
	theta := make([]float64, k)
	sv := newStyleSolver(d)
	if _, err := sv.fit(d, d.halfWi, d.total, theta, DefaultTolerance); err != nil {
		t.Fatal(err)
	}
	factor, prob := make([]float64, k*k), make([]float64, d.sides())
	d.evaluate(d.halfWi, d.total, theta, sv.grad, factor, prob, false)
	if !cholesky(factor, k, k) {
		t.Fatal("negative Hessian not positive definite")
	}
	b := styleBootstrap{d: d, theta: theta, factor: factor, prob: prob, anchor: -1, tol: styleBootstrapTolerance}
	rs := newSidePairSampler(d.cells)
	st := &styleRoundState{s: newStyleSolver(d), theta: make([]float64, k),
		halfWi: make([]float64, d.sides()), total: make([]float64, d.sides()),
		grad: newBaseGradient(d, prob)}
	out, want := make([]float64, k), make([]float64, k)
	worst := 0.0 // in tolerances
	const rounds = 20
	for r := range rounds {
		if err := b.round(st, rs, rand.NewPCG(roundSeed(1, uint64(r))), out, nil, nil); err != nil {
			t.Fatal(err)
		}
		full := append([]float64(nil), theta...)
		if _, err := st.s.fit(d, st.halfWi, st.total, full, 1e-7); err != nil {
			t.Fatal(err)
		}
		styleScale(full[:d.m], -1, 0, want[:d.m])
		copy(want[d.m:], full[d.m:])
		for a := range k {
			unit := styleBootstrapTolerance // points
			if a >= d.m {
				unit = styleBootstrapTolerance / 400 // γ
			}
			off := math.Abs(out[a]-want[a]) / unit
			worst = max(worst, off)
			if off > 10 {
				t.Fatalf("round %d, parameter %d: %.6f, converged fit %.6f", r, a, out[a], want[a])
			}
		}
	}
	t.Logf("worst of %d rounds: %.1f times the tolerance", rounds, worst)
}

func TestExpPade_MatchesExp(t *testing.T) {
	for x := -nearTaylor; x <= nearTaylor; x += nearTaylor / 1000 {
		num, den := expPade(x)
		if got, want := num/den, math.Exp(x); math.Abs(got-want) > 4e-16*want {
			t.Fatalf("expPade(%g) = %.17g, e^x = %.17g", x, got, want)
		}
	}
}

// The gradient the sampler sums while it draws is the one a pass over the
// drawn sides gives, retried draws and added votes included, whether clip
// pairs were met both ways round (dense) or mostly one way (sparse).
func TestStyleSampler_GradientMatchesPass(t *testing.T) {
	for name, prompts := range map[string]int{"dense": 4, "sparse": 60} {
		t.Run(name, func(t *testing.T) {
			w := newStyleWorld(styleWorldSpec{models: 12, prompts: prompts, votes: 4000, tieFrac: 0.15,
				beta: []float64{1.5, 0.5, 0.2, 0.3, 0.2}, longModel: -1, biasA: 0.6, seed: 2, spreadSD: 150})
			d := w.allVotesData()
			k := d.dim()
			theta, prob := fittedProbs(t, d)
			s := newSidePairSampler(d.cells)
			halfWi, total := make([]float64, d.sides()), make([]float64, d.sides())
			grad := newBaseGradient(d, prob)
			want := make([]float64, k)
			for r := range 50 {
				s.drawPairs(rand.NewPCG(roundSeed(7, uint64(r))), halfWi, total, &grad)
				d.gradientAt(halfWi, total, theta, prob, want)
				for a := range k {
					got := grad.g[a] - 2*StylePenalty*theta[a]
					if math.Abs(got-want[a]) > 1e-9*(1+math.Abs(want[a])) {
						t.Fatalf("draw %d, parameter %d: gradient %.12g, pass %.12g", r, a, got, want[a])
					}
				}
				// A resample drawn otherwise has it from baseGradient.of.
				grad.of(halfWi, total)
				for a := range k {
					got := grad.g[a] - 2*StylePenalty*theta[a]
					if math.Abs(got-want[a]) > 1e-9*(1+math.Abs(want[a])) {
						t.Fatalf("draw %d, parameter %d: gradient of the resample %.12g, pass %.12g", r, a, got, want[a])
					}
				}
			}
		})
	}
}
