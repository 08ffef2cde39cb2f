package rating

import "math"

// newton is the work space of the damped Newton iteration both fits use:
// the plain Bradley-Terry fit and the style-controlled one differ in their
// objective and in how they bound a step, not in the iteration.
type newton struct {
	grad    []float64
	hess    []float64 // k×k negative Hessian, row-major; then its Cholesky factor
	step    []float64
	trial   []float64
	trialG  []float64
	trialH  []float64
	ll      float64
	trialLL float64
}

func newNewton(k int) newton {
	return newton{
		grad:   make([]float64, k),
		hess:   make([]float64, k*k),
		step:   make([]float64, k),
		trial:  make([]float64, k),
		trialG: make([]float64, k),
		trialH: make([]float64, k*k),
	}
}

// objective evaluates the function a fit maximises at x: its gradient into
// g, its negative Hessian into h, and its value when withLL is set (the
// logarithms the value needs cost more than the rest; without withLL it
// returns 0).
type objective func(x, g, h []float64, withLL bool) float64

// maxMove is the longest step maximize takes, in the units of its move
// function: 4 natural log-odds is about 700 Elo points, so only a fit that
// starts far from its maximum takes an iteration or two more.
const maxMove = 4.0

// maximize moves x to the maximum of f by Newton's method with a
// backtracking line search. Only the first free parameters move; the rest
// stay where they are. A step whose size by move (nil: the largest
// parameter move) is within safe is taken without looking at f's value;
// longer steps backtrack until the value does not drop, with slack for the
// rounding in a sum over a million votes, starting from at most maxMove. It
// stops once no parameter moves
// by more than tol in an iteration — Newton's method converges
// quadratically, so the error left is far below tol — and returns the
// number of iterations.
func (s *newton) maximize(x []float64, free int, tol, safe float64, move func(step []float64) float64, f objective) (int, error) {
	k := len(x)
	// The value itself is computed only once a step needs checking.
	withLL := false
	f(x, s.grad, s.hess, false)
	for it := 1; it <= maxIterations; it++ {
		if !cholesky(s.hess, k, free) {
			return it, errNoConvergence
		}
		copy(s.step, s.grad)
		clear(s.step[free:])
		cholSolve(s.hess, k, free, s.step)
		maxStep := 0.0
		for _, v := range s.step[:free] {
			maxStep = max(maxStep, math.Abs(v))
		}
		size := maxStep
		if move != nil {
			size = move(s.step)
		}
		// A step longer than maxMove starts shortened to it: where some
		// strength has almost no curvature (a model whose resample kept only
		// wins, held by the prior's virtual ties alone), a full step can be
		// hundreds of log-odds long and still not lower the value, and would
		// leave that strength where its curvature underflows and the next
		// Cholesky factorisation fails. The direction is an ascent direction
		// either way, so the maximum and the stopping rule are unchanged.
		t := min(1, maxMove/size)
		for half := 0; ; half++ {
			for i := range k {
				s.trial[i] = x[i] + t*s.step[i]
			}
			if t*size <= safe {
				f(s.trial, s.trialG, s.trialH, false)
				withLL = false
				break
			}
			if !withLL {
				s.ll = f(x, s.trialG, s.trialH, true)
				withLL = true
			}
			s.trialLL = f(s.trial, s.trialG, s.trialH, true)
			if s.trialLL >= s.ll-1e-12*(1+math.Abs(s.ll)) {
				s.ll = s.trialLL
				break
			}
			if half == 60 {
				return it, errNoConvergence
			}
			t /= 2
		}
		copy(x, s.trial)
		s.grad, s.trialG = s.trialG, s.grad
		s.hess, s.trialH = s.trialH, s.hess
		if maxStep <= tol {
			return it, nil
		}
	}
	return maxIterations, errNoConvergence
}
