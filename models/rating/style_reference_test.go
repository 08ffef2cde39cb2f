package rating

import (
	"math"
)

// referenceStyleFit maximises the style-controlled objective the slow,
// obvious way, as a check on ComputeStyle: every vote on its own, features
// standardised over the votes as shown, and accelerated gradient ascent
// (Nesterov's momentum, restarted when the objective's slope turns) with a
// step from a bound on the curvature. It shares no code with the fit. It
// returns 400·r centred on 1000 and γ for the kept features.
func referenceStyleFit(votes []styleVote, models int, features []StyleFeature) (scores, gamma []float64, kept []string) {
	nv := float64(len(votes))
	nf := len(features)
	mean, sd := make([]float64, nf), make([]float64, nf)
	for _, v := range votes {
		for f, feat := range features {
			mean[f] += styleDiff(feat, v.fa[f], v.fb[f]) / nv
		}
	}
	for _, v := range votes {
		for f, feat := range features {
			e := styleDiff(feat, v.fa[f], v.fb[f]) - mean[f]
			sd[f] += e * e / nv
		}
	}
	var cols []int
	for f := range nf {
		sd[f] = math.Sqrt(sd[f])
		if sd[f] > 1e-12 {
			cols = append(cols, f)
			kept = append(kept, features[f].Name)
		}
	}
	k := models + len(cols)
	// Each vote as a design row u (so z = u·θ) and a result y.
	rows := make([][]float64, len(votes))
	ys := make([]float64, len(votes))
	for n, v := range votes {
		u := make([]float64, k)
		u[v.a] += math.Ln10
		u[v.b] -= math.Ln10
		for e, f := range cols {
			u[models+e] = (styleDiff(features[f], v.fa[f], v.fb[f]) - mean[f]) / sd[f]
		}
		rows[n] = u
		switch v.o {
		case OutcomeA:
			ys[n] = 1
		case OutcomeB:
			ys[n] = 0
		default:
			ys[n] = 0.5
		}
	}
	// The objective's curvature is at most λmax(Σ u uᵀ)/4 + 1/2; find
	// λmax by power iteration.
	a := make([]float64, k*k)
	for _, u := range rows {
		for p := range k {
			for q := range k {
				a[p*k+q] += u[p] * u[q]
			}
		}
	}
	vec := make([]float64, k)
	for p := range vec {
		vec[p] = 1
	}
	lambda := 0.0
	for range 500 {
		next := make([]float64, k)
		norm := 0.0
		for p := range k {
			for q := range k {
				next[p] += a[p*k+q] * vec[q]
			}
			norm += next[p] * next[p]
		}
		lambda = math.Sqrt(norm)
		for p := range next {
			vec[p] = next[p] / lambda
		}
	}
	step := 1 / (lambda/4 + 2*StylePenalty)

	gradient := func(theta []float64) []float64 {
		g := make([]float64, k)
		for n, u := range rows {
			z := 0.0
			for p := range k {
				z += u[p] * theta[p]
			}
			res := ys[n] - 1/(1+math.Exp(-z))
			for p := range k {
				g[p] += res * u[p]
			}
		}
		for p := range k {
			g[p] -= 2 * StylePenalty * theta[p]
		}
		return g
	}
	theta, prev, look := make([]float64, k), make([]float64, k), make([]float64, k)
	t := 1.0
	for range 200000 {
		g := gradient(look)
		biggest := 0.0
		for p := range k {
			biggest = max(biggest, math.Abs(g[p]))
		}
		if biggest < 1e-9 {
			copy(theta, look)
			break
		}
		copy(prev, theta)
		for p := range k {
			theta[p] = look[p] + step*g[p]
		}
		tNext := (1 + math.Sqrt(1+4*t*t)) / 2
		slope := 0.0
		for p := range k {
			slope += g[p] * (theta[p] - prev[p])
		}
		if slope < 0 { // moving against the gradient: restart the momentum
			tNext, t = 1, 1
		}
		for p := range k {
			look[p] = theta[p] + (t-1)/tNext*(theta[p]-prev[p])
		}
		t = tNext
	}
	scores = make([]float64, models)
	avg := 0.0
	for i := range models {
		scores[i] = 400 * theta[i]
		avg += scores[i] / float64(models)
	}
	for i := range scores {
		scores[i] += 1000 - avg
	}
	return scores, theta[models:], kept
}
