package rating

import (
	"fmt"
	"math"
	"testing"
)

// styleTestData builds the fit's rows for a synthetic arena whose clips are
// shown with the longer one on side A in a share biasA of the votes, so the
// differences as shown are not centred.
func styleTestData(t *testing.T, biasA float64) *styleData {
	t.Helper()
	w := newStyleWorld(styleWorldSpec{models: 12, prompts: 4, votes: 6000, tieFrac: 0.15,
		beta: []float64{1.5, 0.5, 0.2, 0.3, 0.2}, longModel: 3, biasA: biasA, seed: 9, spreadSD: 150})
	d := w.allVotesData()
	return d
}

// A clip pair shown either way round is one row with two sides, and the
// sides keep every vote.
func TestBuildStyleData_MirroredPairsShareARow(t *testing.T) {
	w := newStyleWorld(styleWorldSpec{models: 6, prompts: 2, votes: 3000, tieFrac: 0.15,
		beta: []float64{1.5, 0.5, 0.2, 0.3, 0.2}, longModel: -1, biasA: 0.5, seed: 4, spreadSD: 150})
	pos := []int{0, 1, 2, 3, 4, 5}
	d, _, _, _ := buildStyleData(w.c, pos, 6)
	// Six models, two prompts, one clip per model and prompt: 15 model
	// pairs with two clip pairs each, all of them met both ways round in
	// 3000 votes.
	if len(d.i) != 30 {
		t.Errorf("%d rows, want 30", len(d.i))
	}
	total := 0.0
	for v, n := range d.total {
		if n == 0 {
			t.Errorf("side %d of row %d has no votes", v%2, v/2)
		}
		total += n
	}
	if total != 3000 {
		t.Errorf("the sides hold %v votes, want 3000", total)
	}
}

// gradientNear, in both of its ways, is evaluate's gradient at theta.
func TestStyleGradientNear_MatchesEvaluate(t *testing.T) {
	for _, biasA := range []float64{0.5, 0.8} {
		d := styleTestData(t, biasA)
		k := d.dim()
		base, prob := fittedProbs(t, d)
		// A round's move (a few points, a hundredth in γ) takes the shared
		// Taylor series; a large γ move takes one exponential per side.
		for _, move := range []struct{ r, gamma float64 }{{0.02, 0.01}, {0.05, 0.3}} {
			t.Run(fmt.Sprintf("biasA=%v/r=%v/γ=%v", biasA, move.r, move.gamma), func(t *testing.T) {
				theta := append([]float64(nil), base...)
				for a := range k {
					step := move.r
					if a >= d.m {
						step = move.gamma
					}
					theta[a] += step * math.Sin(float64(3*a+1))
				}
				got, want := make([]float64, k), make([]float64, k)
				d.gradientNear(d.halfWi, d.total, theta, base, prob, make([]float64, 2*d.m), got)
				d.evaluate(d.halfWi, d.total, theta, want, nil, nil, false)
				for a := range k {
					if math.Abs(got[a]-want[a]) > 1e-9*(1+math.Abs(want[a])) {
						t.Errorf("parameter %d: %.12g, evaluate %.12g", a, got[a], want[a])
					}
				}
			})
		}
	}
}

// The pass written out for five features is the general one, across the
// blocks it works in and the short block at the end, with rows near the
// base and, in a round far from it, rows past expPade's range.
func TestStyleNearRows5_MatchesNearRows(t *testing.T) {
	d := styleTestData(t, 0.8)
	if d.p != 5 {
		t.Fatalf("%d features kept, want 5", d.p)
	}
	if rows := len(d.i); rows <= nearBlock || rows%nearBlock == 0 {
		t.Fatalf("%d rows: want more than one block of %d and a short one", rows, nearBlock)
	}
	_, prob := fittedProbs(t, d)
	up, down := make([]float64, d.m), make([]float64, d.m)
	for i := range up {
		up[i] = math.Exp(0.01 * math.Sin(float64(i)))
		down[i] = 1 / up[i]
	}
	for _, scale := range []float64{1, 30} {
		t.Run(fmt.Sprintf("Δγ×%v", scale), func(t *testing.T) {
			dg := [MaxStyleFeatures]float64{0.01, -0.02, 0.015, 0.005, -0.01}
			bound, past := 0.0, 0
			for f := range d.p {
				dg[f] *= scale
				bound += math.Abs(dg[f]) * d.yabs[f]
			}
			for u := range d.i {
				t := 0.0
				for f := range d.p {
					t += dg[f] * d.y[u*d.p+f]
				}
				if math.Abs(t) > nearTaylor {
					past++
				}
			}
			if far := bound > nearTaylor; far != (scale > 1) || (past > 0) != far {
				t.Fatalf("bound %v, %d rows past expPade's range", bound, past)
			}
			grWant, grGot := make([]float64, d.m), make([]float64, d.m)
			accWant, diffWant := d.nearRows(d.halfWi, d.total, prob, up, down, &dg, 0.99, 1/0.99, bound > nearTaylor, grWant)
			accGot, diffGot := d.nearRows5(d.halfWi, d.total, prob, up, down, &dg, 0.99, 1/0.99, bound > nearTaylor, grGot)
			checkPassSums(t, grGot, grWant, accGot[:], accWant[:])
			if !nearPass(diffGot, diffWant) {
				t.Errorf("side difference %.12g, general pass %.12g", diffGot, diffWant)
			}
		})
	}
}

// The residual sums written out for five features are the general ones.
func TestStyleResidualSums5_MatchesResidualSums(t *testing.T) {
	d := styleTestData(t, 0.8)
	if d.p != 5 {
		t.Fatalf("%d features kept, want 5", d.p)
	}
	res := make([]float64, len(d.i))
	for u := range res {
		res[u] = math.Sin(float64(7*u + 1))
	}
	grWant, grGot := make([]float64, d.m), make([]float64, d.m)
	accWant, accGot := d.residualSums(res, grWant), d.residualSums5(res, grGot)
	checkPassSums(t, grGot, grWant, accGot[:], accWant[:])
}

// nearPass reports whether a written-out pass's sum agrees with the
// general pass's to rounding.
func nearPass(got, want float64) bool { return math.Abs(got-want) <= 1e-9*(1+math.Abs(want)) }

// checkPassSums compares a written-out pass's strength gradient and
// feature sums with the general pass's.
func checkPassSums(t *testing.T, grGot, grWant, accGot, accWant []float64) {
	t.Helper()
	for i := range grWant {
		if !nearPass(grGot[i], grWant[i]) {
			t.Errorf("strength %d: %.12g, general pass %.12g", i, grGot[i], grWant[i])
		}
	}
	for f := range accWant {
		if !nearPass(accGot[f], accWant[f]) {
			t.Errorf("feature %d: %.12g, general pass %.12g", f, accGot[f], accWant[f])
		}
	}
}

// fittedProbs fits d and returns the solution with σ(z) per side there.
func fittedProbs(t *testing.T, d *styleData) (theta, prob []float64) {
	t.Helper()
	k := d.dim()
	theta = make([]float64, k)
	if _, err := newStyleSolver(d).fit(d, d.halfWi, d.total, theta, DefaultTolerance); err != nil {
		t.Fatal(err)
	}
	prob = make([]float64, d.sides())
	d.evaluate(d.halfWi, d.total, theta, make([]float64, k), nil, prob, false)
	return theta, prob
}
