package rating

// STAND-IN. This file exists only so that the leaderboard serving code
// compiles and its tests run before the real fit, bootstrap and pair weights
// land in this package. It is deleted when they do; nothing here is the
// published method (no bootstrap: the interval is the point estimate).

import (
	"errors"
	"math"
)

// Options configures Compute.
type Options struct {
	Rounds      int     // bootstrap rounds
	Seed        uint64  // bootstrap seed
	Workers     int     // goroutines for the bootstrap
	Anchor      int     // index of the model pinned at AnchorScore, or -1
	AnchorScore float64 // score of the anchor model
}

// ModelResult is one model's standing.
type ModelResult struct {
	Score, Lower, Upper float64
	Rank                int
	RankBest, RankWorst int
	Votes               int64
	Wins, Ties, Losses  int64
	WinRate             float64
}

// Result is the fit of every model plus the pairwise matrices.
type Result struct {
	Models    []ModelResult
	WinRate   [][]float64 // observed: row beats column, ties half; NaN without votes
	Battles   [][]int64
	Predicted [][]float64
}

// Compute fits Bradley-Terry scores (stand-in: minorize-maximize with one
// virtual tie against the field, no bootstrap).
func Compute(c *Counts, o Options) (*Result, error) {
	if c == nil {
		return nil, errors.New("rating: nil counts")
	}
	n := c.N()
	r := &Result{Models: make([]ModelResult, n), WinRate: make([][]float64, n), Battles: make([][]int64, n), Predicted: make([][]float64, n)}
	w := make([][]float64, n) // w[i][j]: wins of i over j, ties half
	for i := 0; i < n; i++ {
		w[i] = make([]float64, n)
		r.WinRate[i] = make([]float64, n)
		r.Battles[i] = make([]int64, n)
		r.Predicted[i] = make([]float64, n)
	}
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			if i == j {
				r.WinRate[i][j] = math.NaN()
				continue
			}
			p := c.Pair(i, j)
			t := p.Total()
			r.Battles[i][j] = t
			w[i][j] = float64(p.Wins) + float64(p.Ties+p.BothBad)/2
			m := &r.Models[i]
			m.Votes += t
			m.Wins += p.Wins
			m.Losses += p.Losses
			m.Ties += p.Ties + p.BothBad
			if t > 0 {
				r.WinRate[i][j] = w[i][j] / float64(t)
			} else {
				r.WinRate[i][j] = math.NaN()
			}
		}
	}
	g := make([]float64, n)
	for i := range g {
		g[i] = 1
	}
	for it := 0; it < 2000; it++ {
		next := make([]float64, n)
		for i := 0; i < n; i++ {
			num, den := 0.5, 1/(g[i]+1) // the virtual tie against a field of strength 1
			for j := 0; j < n; j++ {
				if t := w[i][j] + w[j][i]; i != j && t > 0 {
					num += w[i][j]
					den += t / (g[i] + g[j])
				}
			}
			next[i] = num / den
		}
		g = next
	}
	scale := 400 / math.Ln10
	mean := 0.0
	for i := range g {
		mean += math.Log(g[i]) * scale
	}
	if n > 0 {
		mean /= float64(n)
	}
	shift := 1000 - mean
	if o.Anchor >= 0 && o.Anchor < n {
		shift = o.AnchorScore - math.Log(g[o.Anchor])*scale
	}
	for i := range r.Models {
		m := &r.Models[i]
		m.Score = math.Log(g[i])*scale + shift
		m.Lower, m.Upper = m.Score, m.Score
		if m.Votes > 0 {
			m.WinRate = (float64(m.Wins) + float64(m.Ties)/2) / float64(m.Votes)
		}
		for j := range r.Models {
			r.Predicted[i][j] = g[i] / (g[i] + g[j])
		}
	}
	for i := range r.Models {
		better, notWorse := 0, 0
		for j := range r.Models {
			if r.Models[j].Lower > r.Models[i].Upper {
				better++
			}
			if j != i && r.Models[j].Upper >= r.Models[i].Lower {
				notWorse++
			}
		}
		r.Models[i].Rank = 1 + better
		r.Models[i].RankBest = 1 + better
		r.Models[i].RankWorst = 1 + notWorse
	}
	return r, nil
}

// PairWeights returns a sampling weight for every unordered pair i<j,
// favouring pairs with few votes and close scores, never below floor times
// the mean weight.
func PairWeights(r *Result, floor float64) [][]float64 {
	n := len(r.Models)
	out := make([][]float64, n)
	var sum float64
	var cnt int
	for i := 0; i < n; i++ {
		out[i] = make([]float64, n)
		for j := 0; j < n; j++ {
			if i == j {
				continue
			}
			p := r.Predicted[i][j]
			out[i][j] = p * (1 - p) / math.Sqrt(1+float64(r.Battles[i][j]))
			sum += out[i][j]
			cnt++
		}
	}
	if cnt > 0 {
		min := floor * sum / float64(cnt)
		for i := range out {
			for j := range out[i] {
				if i != j && out[i][j] < min {
					out[i][j] = min
				}
			}
		}
	}
	return out
}
