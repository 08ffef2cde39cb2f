package rating

import (
	"fmt"
	"math"
)

// minFeatureSD is the standard deviation below which a feature difference
// counts as constant over the votes and is left out of the fit: the
// differences lie in [-1, 1], so this is rounding, not signal.
const minFeatureSD = 1e-12

// styleBootstrapTolerance stops a style round's fit once no score moves by
// more than this many Elo points (γ on the same numeric scale). An
// interval's ends are order statistics of the rounds, and an order
// statistic moves by no more than the largest change of any one value, so
// the intervals are as near their exact values as the rounds are to their
// exact fits: about this much on a large arena, where the stop's estimate
// of the distance left is good, and up to several times it on a small one
// (see TestStyleBootstrap_RoundsAreConverged), whose intervals are tens of
// points wide. The percentiles of 1000 rounds themselves carry
// a Monte Carlo error of about a twelfth of a standard error, tenths of a
// point even on a million votes. Against a hundredth of a point it took a
// quarter off the bootstrap of a board of 200,000 votes, whose rounds more
// often needed a third pass.
const styleBootstrapTolerance = 5e-2

// Coefficient is one style feature's effect on the odds of winning.
type Coefficient struct {
	// Name is the feature's name.
	Name string
	// Value is γ: the change in the natural-log odds that a clip wins when
	// its difference from the other clip in this feature is one standard
	// deviation larger. Lower and Upper bound its 95% bootstrap interval.
	Value, Lower, Upper float64
	// Mean and SD are the mean and population standard deviation of the
	// feature's difference over the votes, which standardise it.
	Mean, SD float64
}

// Odds returns the factor by which one standard deviation more of the
// feature multiplies the odds of winning, e^γ, with its interval.
func (c Coefficient) Odds() (value, lower, upper float64) {
	return math.Exp(c.Value), math.Exp(c.Lower), math.Exp(c.Upper)
}

// Describe says in words what the coefficient means, for people: "one
// standard deviation more motion than the other clip multiplies the odds
// of winning by ×1.30 (95% interval ×1.21–×1.39)".
func (c Coefficient) Describe() string {
	v, lo, hi := c.Odds()
	return fmt.Sprintf("one standard deviation more %s than the other clip multiplies the odds of winning by ×%.2f (95%% interval ×%.2f–×%.2f)", c.Name, v, lo, hi)
}

// StyleResult is a style-controlled leaderboard: the Result fields hold the
// scores with the clips' style differences held equal (Predicted is then
// for two clips of equal style), Coefficients the style effects.
type StyleResult struct {
	Result
	// Coefficients lists the features that entered the fit, in the order
	// of the StyleCounts' features.
	Coefficients []Coefficient
	// Dropped names the features left out because their difference was the
	// same in every vote (such as has_audio in a silent pool).
	Dropped []string
	// Cells is the number of (clip-pair features, outcome) cells the
	// bootstrap resampled.
	Cells int
}

// ComputeStyle fits the style-controlled Bradley-Terry model (see the
// package documentation), bootstraps intervals for the scores and the
// coefficients, and derives ranks and matrices as Compute does. Options.Prior
// is not used: the fit's L2 penalty keeps every score finite.
func ComputeStyle(s *StyleCounts, opts Options) (*StyleResult, error) {
	f, err := PrepareStyle(s, opts)
	if err != nil {
		return nil, err
	}
	if err := f.Bootstrap(); err != nil {
		return nil, err
	}
	return f.Result(), nil
}

// StyleFit is a style-controlled board fitted on all of its votes whose
// intervals are still to be bootstrapped: PrepareStyle makes one, and
// BootstrapStylePool bootstraps a pool's together with its categories'.
// ComputeStyle is PrepareStyle, the board's bootstrap alone, then Result.
type StyleFit struct {
	s        *StyleCounts
	opts     Options
	res      *StyleResult
	ranked   []int
	anchor   int
	coefs    []Coefficient
	d        *styleData
	unitSide []int32 // the data side of each of s's units
	theta    []float64
	boot     *styleBootstrap // nil when there are no rounds to draw
	// The bootstrap's percentiles, in the order of theta, and the cells
	// it drew from; nil until it has run.
	lower, upper []float64
	cells        int
}

// PrepareStyle fits the style-controlled model on all of s's votes, as
// ComputeStyle does before its bootstrap. s must not change until the
// fit's Result has been taken.
func PrepareStyle(s *StyleCounts, opts Options) (*StyleFit, error) {
	n := s.N()
	if err := opts.check(n); err != nil {
		return nil, err
	}
	if opts.Tolerance == 0 {
		opts.Tolerance = DefaultTolerance
	}
	res := &StyleResult{Result: Result{Models: make([]ModelResult, n), Votes: s.Total()}}
	tally(s.counts, &res.Result)
	ranked, pos, anchor, err := rankedModels(res.Models, opts.Anchor)
	if err != nil {
		return nil, err
	}
	d, coefs, dropped, unitSide := buildStyleData(s, pos, len(ranked))
	res.Dropped = dropped
	m, k := d.m, d.dim()
	f := &StyleFit{s: s, opts: opts, res: res, ranked: ranked, anchor: anchor, coefs: coefs, d: d,
		unitSide: unitSide, theta: make([]float64, k)}
	if m < 2 {
		return f, nil
	}
	sv := newStyleSolver(d)
	it, err := sv.fit(d, d.halfWi, d.total, f.theta, opts.Tolerance)
	res.Iterations = it
	if err != nil {
		return nil, err
	}
	if opts.Rounds <= 0 {
		return f, nil
	}
	factor := make([]float64, k*k)
	prob := make([]float64, d.sides())
	d.evaluate(d.halfWi, d.total, f.theta, sv.grad, factor, prob, false)
	if !cholesky(factor, k, k) {
		factor = nil // cannot happen with the penalty; fit each round instead
	}
	f.boot = &styleBootstrap{d: d, theta: f.theta, factor: factor, prob: prob, anchor: anchor,
		anchorScore: opts.AnchorScore, tol: max(opts.Tolerance, styleBootstrapTolerance)}
	return f, nil
}

// Bootstrap runs the fit's rounds alone, unless it has none.
func (f *StyleFit) Bootstrap() error {
	if f.boot == nil {
		return nil
	}
	lo, hi, cells, err := f.boot.run(f.opts.Rounds, f.opts.Workers, f.opts.Seed)
	if err != nil {
		return err
	}
	f.lower, f.upper, f.cells = lo, hi, cells
	return nil
}

// Result returns the board: scores, intervals (the full fit's values when
// no round was drawn), ranks and matrices.
func (f *StyleFit) Result() *StyleResult {
	res, d, theta := f.res, f.d, f.theta
	m := d.m
	scores := make([]float64, m)
	styleScale(theta[:m], f.anchor, f.opts.AnchorScore, scores)
	lower, upper := scores, scores
	gLower, gUpper := theta[m:], theta[m:]
	if f.lower != nil {
		lower, upper, gLower, gUpper = f.lower[:m], f.upper[:m], f.lower[m:], f.upper[m:]
		res.Rounds, res.Cells = f.opts.Rounds, f.cells
	}
	for r, i := range f.ranked {
		mr := &res.Models[i]
		mr.Ranked = true
		mr.Score, mr.Lower, mr.Upper = scores[r], lower[r], upper[r]
	}
	coefs := append([]Coefficient(nil), f.coefs...)
	for c := range coefs {
		coefs[c].Value, coefs[c].Lower, coefs[c].Upper = theta[m+c], gLower[c], gUpper[c]
	}
	res.Coefficients = coefs
	assignRanks(res.Models)
	matrices(f.s.counts, &res.Result)
	return res
}

// styleScale turns log10 strengths r into Elo points 400·r, re-centred as
// the plain board is (anchor, or a mean of 1000).
func styleScale(r []float64, anchor int, anchorScore float64, out []float64) {
	beta := make([]float64, len(r))
	for i, v := range r {
		beta[i] = math.Ln10 * v
	}
	scale(beta, anchor, anchorScore, out)
}

// buildStyleData standardises each feature difference over the votes as
// shown (A minus B), drops the constant ones, and gathers the cell groups
// into rows, one per pair of ranked models i < j and kept differences of
// i's clip minus j's, each with a side for i shown as A and one for i shown
// as B (see styleData). pos maps a model to its ranked index. It returns
// the coefficients' names and standardisation, the names of the dropped
// features, and the side each of s's units' votes went to (-1 for a unit
// without votes).
func buildStyleData(s *StyleCounts, pos []int, m int) (*styleData, []Coefficient, []string, []int32) {
	nf := len(s.features)
	mean, sq := make([]float64, nf), make([]float64, nf)
	var votes float64
	for _, u := range s.units {
		n := float64(u.cells[0] + u.cells[1] + u.cells[2])
		votes += n
		for f := range nf {
			mean[f] += n * u.key.d[f]
		}
	}
	for f := range nf {
		if votes > 0 {
			mean[f] /= votes
		}
	}
	for _, u := range s.units {
		n := float64(u.cells[0] + u.cells[1] + u.cells[2])
		for f := range nf {
			dv := u.key.d[f] - mean[f]
			sq[f] += n * dv * dv
		}
	}
	var coefs []Coefficient
	var kept []int
	var dropped []string
	for f, feat := range s.features {
		sd := 0.0
		if votes > 0 {
			sd = math.Sqrt(sq[f] / votes)
		}
		if sd <= minFeatureSD {
			dropped = append(dropped, feat.Name)
			continue
		}
		kept = append(kept, f)
		coefs = append(coefs, Coefficient{Name: feat.Name, Mean: mean[f], SD: sd})
	}
	p := len(kept)
	d := &styleData{m: m, p: p, xabs: make([]float64, p), yabs: make([]float64, p)}
	for e, f := range kept {
		d.c[e] = mean[f] / coefs[e].SD
	}
	// A row's key: the models and the kept differences seen from i. The
	// difference of a clip pair shown the other way round is exactly the
	// negation (a − b and a + b + 1 are exact under the swap), and the
	// dropped features do not enter the likelihood.
	index := map[styleKey]int{}
	unitSide := make([]int32, len(s.units))
	for un, u := range s.units {
		unitSide[un] = -1
		t := u.cells[0] + u.cells[1] + u.cells[2]
		if t == 0 {
			continue
		}
		a, b := pos[u.key.i], pos[u.key.j]
		side, sign := 0, 1.0
		cells := u.cells
		if a > b {
			a, b, side, sign = b, a, 1, -1
			cells[cellWinI], cells[cellWinJ] = cells[cellWinJ], cells[cellWinI]
		}
		key := styleKey{i: int32(a), j: int32(b)}
		for e, f := range kept {
			key.d[e] = sign * u.key.d[f]
			if key.d[e] == 0 {
				key.d[e] = 0 // one key for +0 and -0
			}
		}
		r, ok := index[key]
		if !ok {
			r = len(d.i)
			index[key] = r
			d.i = append(d.i, int32(a))
			d.j = append(d.j, int32(b))
			for e := range kept {
				y := float64(float32(key.d[e] / coefs[e].SD))
				d.y = append(d.y, y)
				d.yabs[e] = max(d.yabs[e], math.Abs(y))
			}
			d.cells = append(d.cells, [3]int64{}, [3]int64{})
		}
		v := 2*r + side
		unitSide[un] = int32(v)
		for c := range cells {
			d.cells[v][c] += cells[c]
		}
	}
	d.total, d.halfWi = make([]float64, len(d.cells)), make([]float64, len(d.cells))
	for v, c := range d.cells {
		if c == [3]int64{} {
			continue
		}
		d.total[v] = float64(c[cellWinI] + c[cellWinJ] + c[cellTie])
		d.halfWi[v] = float64(c[cellWinI]) + float64(c[cellTie])/2
		u, sign := v/2, 1-2*float64(v%2)
		for e := range p {
			x := d.y[u*p+e] - sign*d.c[e]
			d.xabs[e] = max(d.xabs[e], math.Abs(x))
		}
	}
	return d, coefs, dropped, unitSide
}
