package rating

import (
	"fmt"
	"math"
)

// NoData marks a cell of a pairwise matrix that has nothing to show: the
// diagonal, a pair that never met (observed win rate), or a model without
// votes (predicted win probability). It is -1 rather than NaN so that a
// Result encodes as JSON.
const NoData = -1

// Defaults used by DefaultOptions.
const (
	DefaultRounds    = 1000
	DefaultPrior     = 1.0
	DefaultTolerance = 1e-6
	DefaultCentre    = 1000.0
)

// Options tune Compute. Start from DefaultOptions: the zero value pins
// model 0 (Anchor 0) and has no prior.
type Options struct {
	// Rounds is the number of bootstrap rounds; 0 skips the intervals (each
	// model's interval is then its score).
	Rounds int
	// Seed fixes the bootstrap, so equal inputs give equal outputs.
	Seed uint64
	// Workers is the number of goroutines for the bootstrap; 0 means
	// runtime.NumCPU(). The result does not depend on it.
	Workers int
	// Anchor is the index of a model pinned at AnchorScore in the fit and in
	// every bootstrap round; -1 centres the ranked models on 1000 instead.
	Anchor      int
	AnchorScore float64
	// Prior is the number of virtual tied votes each model gets against a
	// virtual field model when the data alone do not determine finite
	// scores (see the package documentation). It must be positive.
	Prior float64
	// Tolerance stops Newton's method once no score moves by more than this
	// many Elo points in an iteration; 0 means DefaultTolerance.
	Tolerance float64
}

// DefaultOptions returns 1000 bootstrap rounds, seed 1, all CPUs, no anchor
// and a prior of one virtual tie.
func DefaultOptions() Options {
	return Options{Rounds: DefaultRounds, Seed: 1, Anchor: -1, AnchorScore: DefaultCentre, Prior: DefaultPrior}
}

// ModelResult is one model's line of the leaderboard.
type ModelResult struct {
	// Ranked is false for a model without votes; its score, interval and
	// ranks are then zero and it should not be shown as ranked.
	Ranked bool
	// Score is on the Elo scale (400·log10 odds); Lower and Upper bound the
	// 95% bootstrap interval.
	Score, Lower, Upper float64
	// Rank is 1 + the number of models whose Lower is above this model's
	// Upper. RankBest equals Rank; RankWorst is the number of models whose
	// Upper is at or above this model's Lower (itself included).
	Rank, RankBest, RankWorst int
	// Votes counts the valid votes the model appeared in. Wins + Losses +
	// Ties + BothBad = Votes: both-bad votes are kept apart from ties here,
	// though the fit treats both as ties.
	Votes, Wins, Losses, Ties, BothBad int64
	// WinRate is (Wins + (Ties+BothBad)/2) / Votes, or 0 without votes.
	WinRate float64
}

// Result is a computed leaderboard. Models and the matrix rows and columns
// follow the model indexes of the Counts.
type Result struct {
	Models []ModelResult
	// WinRate[i][j] is the observed share of votes i won against j, ties
	// counting half; NoData where the two never met and on the diagonal.
	WinRate [][]float64
	// Battles[i][j] is the number of votes between i and j.
	Battles [][]int64
	// Predicted[i][j] is the fitted probability that i beats j,
	// 1/(1+10^((Score_j-Score_i)/400)); NoData on the diagonal and for
	// unranked models.
	Predicted [][]float64
	// Votes is the total number of votes.
	Votes int64
	// Rounds is the number of bootstrap rounds run.
	Rounds int
	// PriorUsed reports that the data alone did not determine finite
	// scores, so the virtual ties of Options.Prior were added.
	PriorUsed bool
	// Iterations is the number of Newton iterations of the main fit.
	Iterations int
}

// Compute fits the scores, bootstraps their intervals and derives ranks and
// matrices. It is pure: equal counts and options give an equal Result.
func Compute(c *Counts, opts Options) (*Result, error) {
	n := c.N()
	if err := opts.check(n); err != nil {
		return nil, err
	}
	if opts.Tolerance == 0 {
		opts.Tolerance = DefaultTolerance
	}
	res := &Result{Models: make([]ModelResult, n), Votes: c.Total()}
	tally(c, res)

	ranked, _, anchor, err := rankedModels(res.Models, opts.Anchor)
	if err != nil {
		return nil, err
	}
	m := len(ranked)
	d := buildPairs(c, ranked)
	beta := make([]float64, m)
	prior := 0.0
	if m >= 2 && !newConnectivity(m).identifiable(d, d.halfWi, d.total) {
		prior = opts.Prior
		res.PriorUsed = true
	}
	var factor []float64
	if m >= 2 {
		s := newSolver(m)
		it, err := s.fit(d, d.halfWi, d.total, prior, beta, opts.Tolerance)
		res.Iterations = it
		if err != nil {
			return nil, err
		}
		if opts.Rounds > 0 {
			factor = s.factorAt(d, d.halfWi, d.total, prior, beta)
		}
	}
	scores := make([]float64, m)
	scale(beta, anchor, opts.AnchorScore, scores)
	lower, upper := scores, scores
	if opts.Rounds > 0 && m >= 2 {
		b := bootstrap{
			d: d, beta: beta, factor: factor, prior: opts.Prior, needPrior: prior > 0,
			anchor: anchor, anchorScore: opts.AnchorScore, tol: max(opts.Tolerance, bootstrapTolerance),
		}
		var err error
		if lower, upper, err = b.run(opts.Rounds, opts.Workers, opts.Seed); err != nil {
			return nil, err
		}
		res.Rounds = opts.Rounds
	}
	for r, i := range ranked {
		mr := &res.Models[i]
		mr.Ranked = true
		mr.Score, mr.Lower, mr.Upper = scores[r], lower[r], upper[r]
	}
	assignRanks(res.Models)
	matrices(c, res)
	return res, nil
}

func (o Options) check(n int) error {
	switch {
	case o.Rounds < 0:
		return fmt.Errorf("rating: negative bootstrap rounds %d", o.Rounds)
	case o.Workers < 0:
		return fmt.Errorf("rating: negative worker count %d", o.Workers)
	case o.Anchor < -1 || o.Anchor >= n:
		return fmt.Errorf("rating: anchor %d is not a model index (or -1) for %d models", o.Anchor, n)
	case !(o.Prior > 0) || math.IsInf(o.Prior, 0):
		return fmt.Errorf("rating: prior must be a positive number of virtual votes, not %v", o.Prior)
	case !(o.Tolerance >= 0) || math.IsInf(o.Tolerance, 0):
		return fmt.Errorf("rating: tolerance must be a non-negative number of points, not %v", o.Tolerance)
	case math.IsNaN(o.AnchorScore) || math.IsInf(o.AnchorScore, 0):
		return fmt.Errorf("rating: anchor score must be finite")
	}
	return nil
}

// tally fills each model's votes, wins, losses, ties and win rate.
func tally(c *Counts, res *Result) {
	n := c.N()
	for i := range n {
		for j := i + 1; j < n; j++ {
			p := c.pairs[pairIndex(n, i, j)]
			if p.Total() == 0 {
				continue
			}
			for side, q := range [2]PairCounts{p, p.flip()} {
				mr := &res.Models[[2]int{i, j}[side]]
				mr.Votes += q.Total()
				mr.Wins += q.Wins
				mr.Losses += q.Losses
				mr.Ties += q.Ties
				mr.BothBad += q.BothBad
			}
		}
	}
	for i := range res.Models {
		mr := &res.Models[i]
		if mr.Votes > 0 {
			mr.WinRate = (float64(mr.Wins) + float64(mr.Ties+mr.BothBad)/2) / float64(mr.Votes)
		}
	}
}

// buildPairs lists the pairs of ranked models that met.
func buildPairs(c *Counts, ranked []int) *pairs {
	d := &pairs{m: len(ranked)}
	for a, i := range ranked {
		for b := a + 1; b < len(ranked); b++ {
			p := c.Pair(i, ranked[b])
			if t := p.Total(); t > 0 {
				d.i = append(d.i, int32(a))
				d.j = append(d.j, int32(b))
				d.total = append(d.total, float64(t))
				d.halfWi = append(d.halfWi, float64(p.Wins)+float64(p.Ties+p.BothBad)/2)
				d.cells = append(d.cells, [3]int64{p.Wins, p.Losses, p.Ties + p.BothBad})
			}
		}
	}
	return d
}

// scale turns natural-log strengths into Elo points, pinned so that the
// anchor (a ranked index) sits at anchorScore, or centred on 1000.
func scale(beta []float64, anchor int, anchorScore float64, out []float64) {
	if len(beta) == 0 {
		return
	}
	for i, b := range beta {
		out[i] = eloPerNat * b
	}
	var shift float64
	if anchor >= 0 {
		shift = anchorScore - out[anchor]
	} else {
		mean := 0.0
		for _, s := range out {
			mean += s
		}
		shift = DefaultCentre - mean/float64(len(out))
	}
	for i := range out {
		out[i] += shift
	}
}

// matrices fills the observed, count and predicted pairwise matrices.
func matrices(c *Counts, res *Result) {
	n := c.N()
	res.WinRate = make([][]float64, n)
	res.Battles = make([][]int64, n)
	res.Predicted = make([][]float64, n)
	for i := range n {
		res.WinRate[i] = make([]float64, n)
		res.Battles[i] = make([]int64, n)
		res.Predicted[i] = make([]float64, n)
		for j := range n {
			p := c.Pair(i, j)
			t := p.Total()
			res.Battles[i][j] = t
			res.WinRate[i][j] = NoData
			if t > 0 {
				res.WinRate[i][j] = (float64(p.Wins) + float64(p.Ties+p.BothBad)/2) / float64(t)
			}
			res.Predicted[i][j] = NoData
			if i != j && res.Models[i].Ranked && res.Models[j].Ranked {
				res.Predicted[i][j] = WinProbability(res.Models[i].Score, res.Models[j].Score)
			}
		}
	}
}

// WinProbability returns the probability that a model with score a beats
// one with score b, a tie counting half, under the fitted model.
func WinProbability(a, b float64) float64 {
	return 1 / (1 + math.Pow(10, (b-a)/400))
}

// rankedModels lists the models with votes, the only ones a fit sees:
// ranked[r] is the model index of ranked model r and pos[i] the reverse (-1
// for a model without votes). anchor is the ranked position of the model
// index anchorModel, or -1 when anchorModel is negative.
func rankedModels(models []ModelResult, anchorModel int) (ranked, pos []int, anchor int, err error) {
	ranked = make([]int, 0, len(models))
	pos = make([]int, len(models))
	for i := range models {
		pos[i] = -1
		if models[i].Votes > 0 {
			pos[i] = len(ranked)
			ranked = append(ranked, i)
		}
	}
	anchor = -1
	if anchorModel >= 0 {
		if anchor = pos[anchorModel]; anchor < 0 {
			return nil, nil, -1, fmt.Errorf("rating: anchor model %d has no votes", anchorModel)
		}
	}
	return ranked, pos, anchor, nil
}
