package rating

import (
	"errors"
	"math"
)

// eloPerNat converts natural-log odds to Elo points: 400·log10(odds).
const eloPerNat = 400 / math.Ln10

// maxIterations bounds Newton's method. From a cold start on real data it
// needs under ten iterations; a warm-started bootstrap round three or four.
const maxIterations = 100

var errNoConvergence = errors.New("rating: Newton iterations did not converge")

// pairs is the fit's view of the data: for each unordered pair of ranked
// models that met, the votes between them and the half-wins of the first.
// A tie or both-bad vote is half a win for each side.
type pairs struct {
	m      int     // ranked models
	i, j   []int32 // ranked indexes, i < j
	total  []float64
	halfWi []float64 // wins of i + (ties + both-bad)/2
	// The integer votes behind them, which the bootstrap resamples: wins of
	// i, wins of j, ties and both-bad together.
	cells [][3]int64
}

// solver maximises the Bradley-Terry log-likelihood by Newton's method with
// a backtracking line search. It owns its work buffers, so one solver serves
// many bootstrap rounds without allocating.
type solver struct {
	m int
	newton
	gamma []float64 // exp(beta - max beta)
}

func newSolver(m int) *solver {
	return &solver{m: m, newton: newNewton(m), gamma: make([]float64, m)}
}

// evaluate computes the gradient and, when h is not nil, the negative
// Hessian of the log-likelihood at beta (natural-log strengths), and the
// log-likelihood itself when withLL is set: its logarithms cost more than
// the rest. With prior > 0 every model also has prior virtual votes against
// a field model fixed at strength 0, each a tie, so half a win either way.
func (s *solver) evaluate(d *pairs, halfWi, total []float64, prior float64, beta, g, h []float64, withLL bool) float64 {
	m := d.m
	clear(g)
	if h != nil {
		clear(h)
	}
	// p = γi/(γi+γj) with γ = e^β costs one exponential per model instead
	// of one per pair; shifting by the largest β keeps γ in range as long
	// as the strengths span less than 500 nats, which even the prior's
	// extreme cases do not approach.
	lo, hi := beta[0], beta[0]
	for _, b := range beta {
		lo, hi = min(lo, b), max(hi, b)
	}
	gamma := hi-lo < 500
	if gamma {
		for i, b := range beta {
			s.gamma[i] = math.Exp(b - hi)
		}
	}
	ll := 0.0
	for k := range d.i {
		n := total[k]
		if n == 0 {
			continue
		}
		i, j := int(d.i[k]), int(d.j[k])
		w := halfWi[k]
		var p, q float64
		if gamma {
			inv := 1 / (s.gamma[i] + s.gamma[j])
			p, q = s.gamma[i]*inv, s.gamma[j]*inv
		} else {
			p = 1 / (1 + math.Exp(beta[j]-beta[i]))
			q = 1 - p
		}
		if withLL {
			logP, logQ := logLogistic(beta[i] - beta[j])
			ll += w*logP + (n-w)*logQ
		}
		r := w - n*p
		g[i] += r
		g[j] -= r
		if h != nil {
			c := n * p * q
			h[i*m+i] += c
			h[j*m+j] += c
			h[i*m+j] -= c
			h[j*m+i] -= c
		}
	}
	if prior > 0 {
		half := prior / 2
		for i := range m {
			p := 1 / (1 + math.Exp(-beta[i]))
			if withLL {
				logP, logQ := logLogistic(beta[i])
				ll += half * (logP + logQ)
			}
			g[i] += half - prior*p
			if h != nil {
				h[i*m+i] += prior * p * (1 - p)
			}
		}
	}
	return ll
}

// gradient is evaluate's gradient alone, the pass refine makes in every
// bootstrap round. buildPairs lists the pairs by i, so i's gradient is
// summed in a register over its run of pairs and stored once: the same
// additions in the same order as evaluate's, without each waiting for the
// store and reload of g[i] by the one before. Any other order of the pairs
// gives the same result, only more slowly.
func (s *solver) gradient(d *pairs, halfWi, total []float64, prior float64, beta, g []float64) {
	lo, hi := beta[0], beta[0]
	for _, b := range beta {
		lo, hi = min(lo, b), max(hi, b)
	}
	if !(hi-lo < 500) || len(d.i) == 0 {
		s.evaluate(d, halfWi, total, prior, beta, g, nil, false)
		return
	}
	gamma := s.gamma[:d.m]
	for i, b := range beta {
		gamma[i] = math.Exp(b - hi)
	}
	clear(g)
	is := d.i
	js, halfWi, total := d.j[:len(is)], halfWi[:len(is)], total[:len(is)]
	cur := is[0]
	gi, gc := g[cur], gamma[cur]
	for k, i := range is {
		if i != cur {
			g[cur] = gi
			cur = i
			gi, gc = g[i], gamma[i]
		}
		// A pair without votes adds 0 − 0·p: no test needed.
		j := js[k]
		inv := 1 / (gc + gamma[j])
		r := halfWi[k] - total[k]*(gc*inv)
		gi += r
		g[j] -= r
	}
	g[cur] = gi
	if prior > 0 {
		half := prior / 2
		for i := range d.m {
			p := 1 / (1 + math.Exp(-beta[i]))
			g[i] += half - prior*p
		}
	}
}

// logLogistic returns log p and log(1-p) for p = 1/(1+e^-x) without
// overflow. Log(1+e) loses only digits far below what a sum of votes can
// show, and costs a third of Log1p.
func logLogistic(x float64) (logP, logQ float64) {
	if x >= 0 {
		logP = -math.Log(1 + math.Exp(-x))
		return logP, logP - x
	}
	logQ = -math.Log(1 + math.Exp(x))
	return logQ + x, logQ
}

// safeStep bounds the Newton steps taken without a line search, in natural
// log-odds. Along a step that moves no strength by more than s, no pair's
// difference moves by more than 2s, so each p(1-p) — and with it the
// Hessian, a sum of positive semidefinite terms weighted by p(1-p) — changes
// by a factor within [e^-2s, e^2s]. A Newton step δ = H⁻¹g then gains at
// least gᵀH⁻¹g·(1 - e^2s/2) > 0 for s < ln(2)/2 ≈ 0.347 (60 Elo points).
// Warm-started bootstrap rounds stay inside this bound, and skip the
// logarithms.
const safeStep = 0.3

// fit moves beta to the maximum of the likelihood. Without a prior the
// likelihood only sees differences, so the last model stays where it is and
// the others move relative to it. It stops once no strength moves by more
// than tol Elo points in an iteration; Newton's method converges
// quadratically, so the error left is far below tol. It returns the number
// of iterations.
func (s *solver) fit(d *pairs, halfWi, total []float64, prior float64, beta []float64, tol float64) (int, error) {
	free := freeParams(s.m, prior)
	if free <= 0 {
		return 0, nil
	}
	// No strength moving by more than safeStep is the bound for a step taken
	// without looking at the likelihood.
	return s.maximize(beta, free, tol/eloPerNat, safeStep, nil, func(x, g, h []float64, withLL bool) float64 {
		return s.evaluate(d, halfWi, total, prior, x, g, h, withLL)
	})
}

// freeParams is the number of strengths the fit moves: without a prior the
// last model is held fixed, as only differences matter.
func freeParams(m int, prior float64) int {
	if prior > 0 {
		return m
	}
	return m - 1
}

// refine polishes a warm start by chord iterations: Newton steps that reuse
// factor, the Cholesky factor of the negative Hessian of nearby data (a
// bootstrap round reuses the full data's), instead of factoring afresh. Each
// costs one pass over the pairs and two triangular solves. The iteration
// converges linearly; it gives up, leaving beta wherever it got to, as soon
// as a step fails to halve the one before or grows past safeStep, and the
// caller then finishes with fit. It reports whether the last step was below
// tol Elo points.
func (s *solver) refine(d *pairs, halfWi, total []float64, prior float64, beta []float64, tol float64, factor []float64) bool {
	m := s.m
	free := freeParams(m, prior)
	if free <= 0 {
		return true
	}
	tolNat := tol / eloPerNat
	last := safeStep
	for range maxIterations {
		s.gradient(d, halfWi, total, prior, beta, s.step)
		if free < m {
			s.step[m-1] = 0
		}
		cholSolve(factor, m, free, s.step)
		maxStep := 0.0
		for i := range free {
			maxStep = max(maxStep, math.Abs(s.step[i]))
		}
		if maxStep > last {
			return false
		}
		for i := range free {
			beta[i] += s.step[i]
		}
		if maxStep <= tolNat {
			return true
		}
		last = maxStep / 2
	}
	return false
}

// factorAt returns the Cholesky factor of the negative Hessian at beta, for
// refine, or nil if it is singular.
func (s *solver) factorAt(d *pairs, halfWi, total []float64, prior float64, beta []float64) []float64 {
	h := make([]float64, s.m*s.m)
	s.evaluate(d, halfWi, total, prior, beta, s.grad, h, false)
	if !cholesky(h, s.m, freeParams(s.m, prior)) {
		return nil
	}
	return h
}
