package rating

import (
	"math"
)

// StylePenalty is the L2 penalty of the style-controlled fit: the objective
// is the log-likelihood minus StylePenalty·(Σ r² + Σ γ²), on every
// parameter, as in the published style-control fit (a ridge of 0.5 on half
// the squared norm).
const StylePenalty = 0.25

// styleData is the style fit's view of the votes. A row is a pair of
// ranked models i < j and the standardised feature differences of their
// clips, i's minus j's; it has two sides, i shown as A (side 0) and i shown
// as B (side 1), each with its own cells. The differences are standardised
// as shown to voters, and their mean need not be zero, so the sides see
// different rows of the design: side 0 sees x = y − c and side 1 sees
// x = y + c, where c is the mean over the standard deviation per feature.
// Keeping both sides on one row lets a pass over the rows share the
// feature part of the log-odds between them.
type styleData struct {
	m, p int     // ranked models, kept features
	i, j []int32 // per row: ranked indexes, i < j
	// y holds rows of p differences over their standard deviation, in
	// single precision: seven digits are far finer than the features are
	// measured, and the passes over the rows in every bootstrap round read
	// half as much.
	y []float32
	c [MaxStyleFeatures]float64 // mean over standard deviation per feature
	// Per side, side s of row u at 2u+s: the votes (wins of i, wins of j,
	// ties and both-bad), their total and wins of i + (ties + both-bad)/2.
	cells         [][3]int64
	total, halfWi []float64
	xabs          []float64 // largest |x| per kept feature over the sides with votes
	yabs          []float64 // largest |y| per kept feature
}

// sides is the number of sides, two per row.
func (d *styleData) sides() int { return 2 * len(d.i) }

// sideX writes side s of row u's standardised differences, seen from i,
// into x.
func (d *styleData) sideX(u, s int, x []float64) {
	sign := 1 - 2*float64(s)
	for f, y := range d.y[u*d.p : u*d.p+d.p] {
		x[f] = float64(y) - sign*d.c[f]
	}
}

// dim is the number of parameters: a strength per ranked model, then a
// coefficient per kept feature.
func (d *styleData) dim() int { return d.m + d.p }

// styleSolver maximises the penalised log-likelihood over θ = (r, γ), where
// vote k between i and j has log-odds z = ln10·(r_i − r_j) + γ·x_k. The
// penalty makes the objective strictly concave, so the maximum is unique and
// finite for any data and no parameter needs pinning.
type styleSolver struct {
	k int
	newton
	prob   []float64 // σ(z) per side at the last evaluation
	scaleR []float64 // two per model, for gradientNear
}

func newStyleSolver(d *styleData) *styleSolver {
	k := d.dim()
	return &styleSolver{k: k, newton: newNewton(k), prob: make([]float64, d.sides()), scaleR: make([]float64, 2*d.m)}
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
// than the rest). prob, when not nil, receives σ(z) per side (0 for a side
// without votes).
func (d *styleData) evaluate(halfWi, total, theta, g, h, prob []float64, withLL bool) float64 {
	m, p, k := d.m, d.p, d.dim()
	clear(g)
	if h != nil {
		clear(h)
	}
	r, gamma := theta[:m], theta[m:]
	gr, gg := g[:m], g[m:]
	ll := 0.0
	var xs [MaxStyleFeatures]float64
	x := xs[:p]
	for v := range total {
		n := total[v]
		if n == 0 {
			if prob != nil {
				prob[v] = 0
			}
			continue
		}
		u := v / 2
		d.sideX(u, v%2, x)
		i, j := int(d.i[u]), int(d.j[u])
		z := math.Ln10 * (r[i] - r[j])
		for f, xf := range x {
			z += gamma[f] * xf
		}
		q := logistic(z)
		if prob != nil {
			prob[v] = q
		}
		w := halfWi[v]
		if withLL {
			logP, logQ := logLogistic(z)
			ll += w*logP + (n-w)*logQ
		}
		res := w - n*q
		gr[i] += math.Ln10 * res
		gr[j] -= math.Ln10 * res
		for f, xf := range x {
			gg[f] += res * xf
		}
		if h != nil {
			c := n * q * (1 - q)
			cr := math.Ln10 * math.Ln10 * c
			h[i*k+i] += cr
			h[j*k+j] += cr
			h[j*k+i] -= cr // j > i: lower triangle
			cl := math.Ln10 * c
			for f, xf := range x {
				row := h[(m+f)*k : (m+f)*k+m+f+1]
				row[i] += cl * xf
				row[j] -= cl * xf
				cv := c * xf
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
	// The bound for a step taken without looking at the objective is on the
	// largest log-odds move it makes, which mixes strengths and γ.
	return s.maximize(theta, s.k, tol/400, styleSafeStep, d.maxLogOddsMove, func(x, g, h []float64, withLL bool) float64 {
		return d.evaluate(halfWi, total, x, g, h, nil, withLL)
	})
}

// refine polishes a warm start by chord iterations with factor, the
// Cholesky factor of the negative Hessian of the full data at base, its fit.
// theta must start at base. g0, when not nil, holds the log-likelihood
// gradient at base (without the penalty), as styleSampler.draw sums it.
// prob holds σ(z) per row at base, so no pass needs an
// exponential per row (see gradientNear). Chord iterations converge
// linearly: with ρ the ratio of a step to the one before, the distance left
// after a step of size s is about s·ρ/(1−ρ), so from the second step on it
// stops once that is below tol Elo points, saving the pass that would only
// confirm it. It gives up as soon as a step fails to halve the one before
// (the caller then finishes with fit) and reports whether it converged.
func (s *styleSolver) refine(d *styleData, halfWi, total, theta []float64, tol float64, factor, base, prob, g0 []float64) bool {
	k := s.k
	tolR := tol / 400
	last := math.Inf(1)
	for it := range maxIterations {
		if it == 0 && g0 != nil {
			for a, t := range theta {
				s.step[a] = g0[a] - 2*StylePenalty*t
			}
		} else if it == 0 {
			d.gradientAt(halfWi, total, theta, prob, s.step)
		} else {
			for a := range k {
				s.trial[a] = theta[a] - base[a]
			}
			if d.maxLogOddsMove(s.trial) > maxNearMove {
				return false
			}
			d.gradientNear(halfWi, total, theta, base, prob, s.scaleR, s.step)
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
		if maxStep <= tolR {
			return true
		}
		if rho := maxStep / last; it > 0 && maxStep*rho/(1-rho) <= tolR {
			return true
		}
		last = maxStep
	}
	return false
}

// gradientAt is evaluate's gradient when σ(z) per side is already known.
// Sides without votes need no test: their residual is 0 − 0·σ.
func (d *styleData) gradientAt(halfWi, total, theta, prob, g []float64) {
	m, p := d.m, d.p
	clear(g)
	gr, gg := g[:m], g[m:]
	var acc [MaxStyleFeatures]float64
	diff := 0.0 // Σ over rows of side 0's residual minus side 1's
	for u, i := range d.i {
		j := d.j[u]
		resA := halfWi[2*u] - total[2*u]*prob[2*u]
		resB := halfWi[2*u+1] - total[2*u+1]*prob[2*u+1]
		res := resA + resB
		gr[i] += math.Ln10 * res
		gr[j] -= math.Ln10 * res
		for f, y := range d.y[u*p : u*p+p : u*p+p] {
			acc[f] += res * float64(y)
		}
		diff += resA - resB
	}
	// Side 0 sees y − c and side 1 y + c.
	for f := range p {
		gg[f] = acc[f] - diff*d.c[f]
	}
	for a, t := range theta {
		g[a] -= 2 * StylePenalty * t
	}
}

// residualGradient adds to g the log-likelihood gradient of rows whose
// residuals (observed minus expected wins of i), summed over both sides,
// are res, where side 0's residuals exceed side 1's by diff in all.
func (d *styleData) residualGradient(res []float64, diff float64, g []float64) {
	m, p := d.m, d.p
	gr, gg := g[:m], g[m:m+p]
	sums := d.residualSums
	if p == 5 {
		sums = d.residualSums5
	}
	acc := sums(res, gr)
	// Side 0 sees y − c and side 1 y + c.
	for f := range gg {
		gg[f] += acc[f] - diff*d.c[f]
	}
}

// residualSums is residualGradient's pass over the rows: it adds the
// strengths' part to gr and returns the sums of residual times y.
func (d *styleData) residualSums(res, gr []float64) (acc [MaxStyleFeatures]float64) {
	p := d.p
	for u, e := range res[:len(d.i)] {
		gr[d.i[u]] += math.Ln10 * e
		gr[d.j[u]] -= math.Ln10 * e
		for f, y := range d.y[u*p : u*p+p : u*p+p] {
			acc[f] += e * float64(y)
		}
	}
	return acc
}

// residualSums5 is residualSums for five features, written out as
// nearRows5 is.
func (d *styleData) residualSums5(res, gr []float64) (acc [MaxStyleFeatures]float64) {
	rows := len(d.i)
	ys, js := d.y[:5*rows], d.j[:rows]
	res = res[:rows]
	var a0, a1, a2, a3, a4 float64
	for u, i := range d.i {
		e := res[u]
		gr[i] += math.Ln10 * e
		gr[js[u]] -= math.Ln10 * e
		y := ys[5*u : 5*u+5 : 5*u+5]
		a0 += e * float64(y[0])
		a1 += e * float64(y[1])
		a2 += e * float64(y[2])
		a3 += e * float64(y[3])
		a4 += e * float64(y[4])
	}
	acc[0], acc[1], acc[2], acc[3], acc[4] = a0, a1, a2, a3, a4
	return acc
}

// maxNearMove bounds how far, in log-odds, gradientNear lets any row move
// from the base point: e^z stays far from overflow.
const maxNearMove = 40

// nearTaylor is the largest |Δγ·y| for which expPade is used; a row that
// moves further takes math.Exp. The bound Σ|Δγ_f|·max|y_f| exceeds it in
// some rounds where few rows or none do, so those rounds test every row
// rather than going one side at a time.
const nearTaylor = 1.0 / 4

// gradientNear is evaluate's gradient at theta, given σ(z) per side at a
// nearby base point. A side's log-odds move by δ = ln10·(Δr_i − Δr_j) +
// Δγ·y ∓ Δγ·c, and σ(z+δ) = σ·e^δ / (1−σ + σ·e^δ). The strengths' part of
// e^δ is a ratio of one exponential per model, the ∓Δγ·c part one
// exponential per pass, and the part both sides of a row share, Δγ·y, small
// in a bootstrap round, a Padé approximant (moved exp): a pass over a
// hundred thousand rows costs a hundred exponentials instead of two
// hundred thousand. scaleR is scratch space of two entries per model.
// Sides without votes need no test: their residual is 0 − 0·σ, as long as
// no row's parts overflow, which the bound on Δγ·y and Δγ·c ensures.
func (d *styleData) gradientNear(halfWi, total, theta, base, prob, scaleR, g []float64) {
	m, p := d.m, d.p
	clear(g)
	gr, gg := g[:m], g[m:]
	up, down := scaleR[:m], scaleR[m:2*m]
	for i := range m {
		up[i] = math.Exp(math.Ln10 * (theta[i] - base[i]))
		down[i] = 1 / up[i]
	}
	var dg [MaxStyleFeatures]float64
	bound, shift := 0.0, 0.0
	for f := range p {
		dg[f] = theta[m+f] - base[m+f]
		bound += math.Abs(dg[f]) * d.yabs[f]
		shift += dg[f] * d.c[f]
	}
	if bound > maxNearMove || math.Abs(shift) > maxNearMove {
		// Far from the base, or with differences far from centred, the
		// shared part could overflow where a side's own move does not.
		d.gradientNearSides(halfWi, total, theta, base, prob, g)
		return
	}
	// Side 0's rows are shifted by −Δγ·c, side 1's by +Δγ·c.
	shiftA, shiftB := math.Exp(-shift), math.Exp(shift)
	rows := d.nearRows
	if p == 5 {
		rows = d.nearRows5
	}
	acc, diff := rows(halfWi, total, prob, up, down, &dg, shiftA, shiftB, bound > nearTaylor, gr)
	for f := range p {
		gg[f] = acc[f] - diff*d.c[f]
	}
	for a, t := range theta {
		g[a] -= 2 * StylePenalty * t
	}
}

// nearRows is gradientNear's pass over the rows. It adds the strengths'
// part of the gradient to gr and returns the sums of residual times y and
// side 0's residuals minus side 1's. far says whether some row may have
// |Δγ·y| > nearTaylor.
func (d *styleData) nearRows(halfWi, total, prob, up, down []float64, dg *[MaxStyleFeatures]float64, shiftA, shiftB float64, far bool, gr []float64) (acc [MaxStyleFeatures]float64, diff float64) {
	p := d.p
	for u, i := range d.i {
		j := d.j[u]
		y := d.y[u*p : u*p+p : u*p+p]
		t := 0.0
		for f, v := range y {
			t += dg[f] * float64(v)
		}
		num, den := expPade(t)
		if far && math.Abs(t) > nearTaylor {
			num, den = math.Exp(t), 1
		}
		num *= up[i] * down[j]
		resA, resB := sideResiduals(prob[2*u], prob[2*u+1], num*shiftA, num*shiftB, den, halfWi[2*u], halfWi[2*u+1], total[2*u], total[2*u+1])
		res := resA + resB
		gr[i] += math.Ln10 * res
		gr[j] -= math.Ln10 * res
		for f, v := range y {
			acc[f] += res * float64(v)
		}
		diff += resA - resB
	}
	return acc, diff
}

// sideResiduals returns the residuals (half-wins minus expected wins) of
// both sides of a clip pair after their log-odds moved by ln(eA/den) and
// ln(eB/den) from where their probabilities were qA and qB: σ(z+δ) = σ·e^δ
// / (1−σ + σ·e^δ) = σ·eA / ((1−σ)·den + σ·eA) for both sides, by one
// division, which also takes expPade's. It is small enough to inline into
// the passes' hot loops.
func sideResiduals(qA, qB, eA, eB, den, hA, hB, nA, nB float64) (resA, resB float64) {
	numA, denA := qA*eA, (1-qA)*den+qA*eA
	numB, denB := qB*eB, (1-qB)*den+qB*eB
	inv := 1 / (denA * denB)
	return hA - nA*numA*denB*inv, hB - nB*numB*denA*inv
}

// nearBlock is how many rows nearRows5 takes through each of its two loops
// at a time: the moved exponentials of a block stay in the first level of
// cache between the loops.
const nearBlock = 256

// nearRows5 is nearRows for five features, the five Arena measures on
// every clip, and this pass is the hot loop of every bootstrap round. One
// loop over every row holds more values than amd64 has registers, and Go
// then spills and reloads them on every row, so the pass runs in blocks
// of rows through two loops, each with few values live: nearExp5 moves
// the exponentials, nearSums5 the residuals and their sums.
func (d *styleData) nearRows5(halfWi, total, prob, up, down []float64, dg *[MaxStyleFeatures]float64, shiftA, shiftB float64, far bool, gr []float64) (acc [MaxStyleFeatures]float64, diff float64) {
	rows := len(d.i)
	var b nearBuf
	for lo := 0; lo < rows; lo += nearBlock {
		hi := min(lo+nearBlock, rows)
		d.nearExp5(lo, hi, up, down, dg, far, &b)
		diff = d.nearSums5(lo, hi, halfWi, total, prob, shiftA, shiftB, &b, gr, &acc, diff)
	}
	return acc, diff
}

// nearBuf carries a block of rows from nearExp5 to nearSums5.
type nearBuf struct {
	num, den [nearBlock]float64
	y        [5 * nearBlock]float64
}

// nearExp5 writes the moved exponential e^(Δγ·y)·e^(ln10·(Δr_i − Δr_j))
// of rows lo to hi as the ratio num/den. far says whether some row may
// have |Δγ·y| > nearTaylor.
func (d *styleData) nearExp5(lo, hi int, up, down []float64, dg *[MaxStyleFeatures]float64, far bool, b *nearBuf) {
	is, js, ys := d.i[lo:hi], d.j[lo:hi], d.y[5*lo:5*hi]
	js, ys = js[:len(is)], ys[:5*len(is)]
	g0, g1, g2, g3, g4 := dg[0], dg[1], dg[2], dg[3], dg[4]
	for u, i := range is {
		y := ys[5*u : 5*u+5 : 5*u+5]
		y0, y1, y2, y3, y4 := float64(y[0]), float64(y[1]), float64(y[2]), float64(y[3]), float64(y[4])
		yd := b.y[5*u : 5*u+5 : 5*u+5]
		yd[0], yd[1], yd[2], yd[3], yd[4] = y0, y1, y2, y3, y4
		t := (g0*y0 + g1*y1) + (g2*y2 + g3*y3) + g4*y4
		p, q := expPade(t)
		b.num[u] = p * (up[i] * down[js[u]])
		b.den[u] = q
	}
	if !far {
		return
	}
	// Rows that moved past expPade's range take math.Exp, outside the
	// loop above: a test there costs every pass a tenth of its time, and a
	// call would make Go keep the loop's values in memory.
	for u, i := range is {
		y := b.y[5*u : 5*u+5 : 5*u+5]
		t := (g0*y[0] + g1*y[1]) + (g2*y[2] + g3*y[3]) + g4*y[4]
		if math.Abs(t) > nearTaylor {
			b.num[u] = math.Exp(t) * (up[i] * down[js[u]])
			b.den[u] = 1
		}
	}
}

// nearSums5 adds the residuals of rows lo to hi, whose moved exponentials
// are num/den, to gr and to the sums of residual times y in acc, and returns
// diff plus side 0's residuals minus side 1's.
func (d *styleData) nearSums5(lo, hi int, halfWi, total, prob []float64, shiftA, shiftB float64, b *nearBuf, gr []float64, acc *[MaxStyleFeatures]float64, diff float64) float64 {
	is, js := d.i[lo:hi], d.j[lo:hi]
	n := len(is)
	js = js[:n]
	prob, halfWi, total = prob[2*lo:2*hi], halfWi[2*lo:2*hi], total[2*lo:2*hi]
	prob, halfWi, total = prob[:2*n], halfWi[:2*n], total[:2*n]
	a0, a1, a2, a3, a4 := acc[0], acc[1], acc[2], acc[3], acc[4]
	for u, i := range is {
		num := b.num[u]
		resA, resB := sideResiduals(prob[2*u], prob[2*u+1], num*shiftA, num*shiftB, b.den[u], halfWi[2*u], halfWi[2*u+1], total[2*u], total[2*u+1])
		res := resA + resB
		gr[i] += math.Ln10 * res
		gr[js[u]] -= math.Ln10 * res
		y := b.y[5*u : 5*u+5 : 5*u+5]
		a0 += res * y[0]
		a1 += res * y[1]
		a2 += res * y[2]
		a3 += res * y[3]
		a4 += res * y[4]
		diff += resA - resB
	}
	acc[0], acc[1], acc[2], acc[3], acc[4] = a0, a1, a2, a3, a4
	return diff
}

// expPade returns num/den = e^t for |t| ≤ nearTaylor: the [5/5] Padé
// approximant, whose denominator the caller folds into the division it
// makes anyway (see sideResiduals). It takes twelve operations where the
// Taylor series to the same accuracy takes over twenty, and a pass over
// the rows waits on them. Its error is bounded by the remainder
// den(t)·e^t − num(t) = −t¹¹/10! ∫₀¹ s⁵(1−s)⁵ e^(ts) ds, at most
// |t|¹¹·e^|t|·(5!)²/(10!·11!) ≤ 3.1e-17 for |t| ≤ 1/4, while den·e^t ≥
// 0.69 there: relative to e^t it is below 5e-17, under a double's rounding.
func expPade(t float64) (p, q float64) {
	w := t * t
	even := 1 + w*(1./9+w*(1./1008))
	odd := t * (1./2 + w*(1./72+w*(1./30240)))
	return even + odd, even - odd
}

// gradientNearSides is gradientNear one side at a time, with an
// exponential of each side's own move, which maxNearMove bounds.
func (d *styleData) gradientNearSides(halfWi, total, theta, base, prob, g []float64) {
	m, p := d.m, d.p
	clear(g)
	gr, gg := g[:m], g[m:]
	var xs [MaxStyleFeatures]float64
	x := xs[:p]
	for v, n := range total {
		if n == 0 {
			continue
		}
		u := v / 2
		d.sideX(u, v%2, x)
		i, j := d.i[u], d.j[u]
		delta := math.Ln10 * ((theta[i] - base[i]) - (theta[j] - base[j]))
		for f, xf := range x {
			delta += (theta[m+f] - base[m+f]) * xf
		}
		e := math.Exp(delta)
		q := prob[v]
		res := halfWi[v] - n*q*e/(1-q+q*e)
		gr[i] += math.Ln10 * res
		gr[j] -= math.Ln10 * res
		for f, xf := range x {
			gg[f] += res * xf
		}
	}
	for a, t := range theta {
		g[a] -= 2 * StylePenalty * t
	}
}
