package rating

import (
	"math"
)

// StylePenalty is the L2 penalty of the style-controlled fit: the objective
// is the log-likelihood minus StylePenalty·(Σ r² + Σ γ²), on every
// parameter, as in the published style-control fit (a ridge of 0.5 on half
// the squared norm).
const StylePenalty = 0.25

// styleData is the style fit's view of the votes: one row per cell group
// (a pair of ranked models and the standardised feature differences of
// their clips), with the totals the likelihood needs.
type styleData struct {
	m, p   int       // ranked models, kept features
	i, j   []int32   // ranked indexes, i < j
	x      []float64 // rows of p standardised differences, seen from i
	total  []float64
	halfWi []float64 // wins of i + (ties + both-bad)/2
	cells  [][3]int64
	xabs   []float64 // largest |x| per kept feature
}

// dim is the number of parameters: a strength per ranked model, then a
// coefficient per kept feature.
func (d *styleData) dim() int { return d.m + d.p }

// styleSolver maximises the penalised log-likelihood over θ = (r, γ), where
// vote k between i and j has log-odds z = ln10·(r_i − r_j) + γ·x_k. The
// penalty makes the objective strictly concave, so the maximum is unique and
// finite for any data and no parameter needs pinning.
type styleSolver struct {
	k       int
	grad    []float64
	hess    []float64 // k×k negative Hessian, lower triangle; then its Cholesky factor
	step    []float64
	trial   []float64
	trialG  []float64
	trialH  []float64
	prob    []float64 // σ(z) per row at the last evaluation
	ll      float64
	trialLL float64
}

func newStyleSolver(d *styleData) *styleSolver {
	k := d.dim()
	return &styleSolver{
		k:      k,
		grad:   make([]float64, k),
		hess:   make([]float64, k*k),
		step:   make([]float64, k),
		trial:  make([]float64, k),
		trialG: make([]float64, k),
		trialH: make([]float64, k*k),
		prob:   make([]float64, len(d.i)),
	}
}

// logistic returns σ(z). For z below −709 e^−z overflows to +Inf and the
// result is 0, the correct limit, so no branch is needed: signs of z are a
// coin toss across rows, and a mispredicted branch costs as much as the
// exponential.
func logistic(z float64) float64 {
	return 1 / (1 + math.Exp(-z))
}

// evaluate writes the gradient of the penalised objective at theta to g
// and, when h is not nil, the lower triangle of its negative Hessian to h;
// it returns the objective when withLL is set (the logarithms cost more
// than the rest). prob, when not nil, receives σ(z) per row.
func (d *styleData) evaluate(halfWi, total, theta, g, h, prob []float64, withLL bool) float64 {
	m, p, k := d.m, d.p, d.dim()
	clear(g)
	if h != nil {
		clear(h)
	}
	r, gamma := theta[:m], theta[m:]
	gr, gg := g[:m], g[m:]
	ll := 0.0
	for u := range d.i {
		n := total[u]
		if n == 0 {
			continue
		}
		i, j := int(d.i[u]), int(d.j[u])
		x := d.x[u*p : u*p+p]
		z := math.Ln10 * (r[i] - r[j])
		for f, v := range x {
			z += gamma[f] * v
		}
		q := logistic(z)
		if prob != nil {
			prob[u] = q
		}
		w := halfWi[u]
		if withLL {
			logP, logQ := logLogistic(z)
			ll += w*logP + (n-w)*logQ
		}
		res := w - n*q
		gr[i] += math.Ln10 * res
		gr[j] -= math.Ln10 * res
		for f, v := range x {
			gg[f] += res * v
		}
		if h != nil {
			c := n * q * (1 - q)
			cr := math.Ln10 * math.Ln10 * c
			h[i*k+i] += cr
			h[j*k+j] += cr
			h[j*k+i] -= cr // j > i: lower triangle
			cl := math.Ln10 * c
			for f, v := range x {
				row := h[(m+f)*k : (m+f)*k+m+f+1]
				row[i] += cl * v
				row[j] -= cl * v
				cv := c * v
				for e := 0; e <= f; e++ {
					row[m+e] += cv * x[e]
				}
			}
		}
	}
	// The penalty: −StylePenalty·|θ|², gradient −2·StylePenalty·θ.
	for a, t := range theta {
		g[a] -= 2 * StylePenalty * t
		if h != nil {
			h[a*k+a] += 2 * StylePenalty
		}
		if withLL {
			ll -= StylePenalty * t * t
		}
	}
	return ll
}

// styleSafeStep bounds the Newton steps taken without a line search, in
// natural log-odds of any one vote. As for the plain fit (see safeStep),
// while no row's log-odds move by more than 2s every σ(1−σ) changes by a
// factor within [e^-2s, e^2s], so the step still gains.
const styleSafeStep = 0.15

// maxLogOddsMove bounds how far a step moves any row's log-odds: each
// strength moves ln10·|Δr| and the features |Δγ|·|x|.
func (d *styleData) maxLogOddsMove(step []float64) float64 {
	m := d.m
	rs := 0.0
	for _, s := range step[:m] {
		rs = max(rs, math.Abs(s))
	}
	gs := 0.0
	for f, s := range step[m:] {
		gs += math.Abs(s) * d.xabs[f]
	}
	return 2*math.Ln10*rs + gs
}

// fit moves theta to the maximum of the penalised objective by Newton's
// method with a backtracking line search, stopping once no parameter moves
// by more than tol Elo points (400·Δr; γ on the same numeric scale). It
// returns the number of iterations.
func (s *styleSolver) fit(d *styleData, halfWi, total, theta []float64, tol float64) (int, error) {
	k := s.k
	tolR := tol / 400
	withLL := false
	d.evaluate(halfWi, total, theta, s.grad, s.hess, nil, false)
	for it := 1; it <= maxIterations; it++ {
		if !cholesky(s.hess, k, k) {
			return it, errNoConvergence
		}
		copy(s.step, s.grad)
		cholSolve(s.hess, k, k, s.step)
		maxStep := 0.0
		for _, v := range s.step {
			maxStep = max(maxStep, math.Abs(v))
		}
		move := d.maxLogOddsMove(s.step)
		t := 1.0
		for half := 0; ; half++ {
			for a := range k {
				s.trial[a] = theta[a] + t*s.step[a]
			}
			if t*move <= styleSafeStep {
				d.evaluate(halfWi, total, s.trial, s.trialG, s.trialH, nil, false)
				withLL = false
				break
			}
			if !withLL {
				s.ll = d.evaluate(halfWi, total, theta, s.trialG, s.trialH, nil, true)
				withLL = true
			}
			s.trialLL = d.evaluate(halfWi, total, s.trial, s.trialG, s.trialH, nil, true)
			if s.trialLL >= s.ll-1e-12*(1+math.Abs(s.ll)) {
				s.ll = s.trialLL
				break
			}
			if half == 60 {
				return it, errNoConvergence
			}
			t /= 2
		}
		copy(theta, s.trial)
		s.grad, s.trialG = s.trialG, s.grad
		s.hess, s.trialH = s.trialH, s.hess
		if maxStep <= tolR {
			return it, nil
		}
	}
	return maxIterations, errNoConvergence
}

// refine polishes a warm start by chord iterations with factor, the
// Cholesky factor of the negative Hessian of the full data at its fit. The
// first pass may use prob, σ(z) per row at theta, and so skips every
// exponential. Chord iterations converge linearly: with ρ the ratio of a
// step to the one before, the distance left after a step of size s is about
// s·ρ/(1−ρ), so it stops once that is below tol Elo points, saving the pass
// that would only confirm it. It gives up as soon as a step fails to halve
// the one before (the caller then finishes with fit) and reports whether it
// converged.
func (s *styleSolver) refine(d *styleData, halfWi, total, theta []float64, tol float64, factor, prob []float64) bool {
	k := s.k
	tolR := tol / 400
	last := math.Inf(1)
	for it := range maxIterations {
		if it == 0 && prob != nil {
			d.gradientAt(halfWi, total, theta, prob, s.step)
		} else {
			d.evaluate(halfWi, total, theta, s.step, nil, nil, false)
		}
		cholSolve(factor, k, k, s.step)
		maxStep := 0.0
		for _, v := range s.step {
			maxStep = max(maxStep, math.Abs(v))
		}
		if maxStep > last/2 {
			return false
		}
		for a := range k {
			theta[a] += s.step[a]
		}
		if rho := maxStep / last; maxStep <= tolR || maxStep*rho/(1-rho) <= tolR {
			return true
		}
		last = maxStep
	}
	return false
}

// gradientAt is evaluate's gradient when σ(z) per row is already known.
func (d *styleData) gradientAt(halfWi, total, theta, prob, g []float64) {
	m, p := d.m, d.p
	clear(g)
	gr, gg := g[:m], g[m:]
	for u := range d.i {
		n := total[u]
		if n == 0 {
			continue
		}
		res := halfWi[u] - n*prob[u]
		gr[d.i[u]] += math.Ln10 * res
		gr[d.j[u]] -= math.Ln10 * res
		for f, v := range d.x[u*p : u*p+p] {
			gg[f] += res * v
		}
	}
	for a, t := range theta {
		g[a] -= 2 * StylePenalty * t
	}
}
