package rating

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// noBootstrap is DefaultOptions without intervals, for tests of the fit.
func noBootstrap() Options {
	o := DefaultOptions()
	o.Rounds = 0
	return o
}

func mustCompute(t *testing.T, c *Counts, o Options) *Result {
	t.Helper()
	r, err := Compute(c, o)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestFit_TwoModelsGapIsLogOdds(t *testing.T) {
	tests := []struct {
		name              string
		wins, losses, tie int64
	}{
		{"even", 5, 5, 0},
		{"three to one", 30, 10, 0},
		{"with ties", 30, 10, 8},
		{"lopsided", 999, 1, 0},
		{"one vote each way", 1, 1, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := NewCounts(2)
			c.Add(0, 1, OutcomeA, tt.wins)
			c.Add(0, 1, OutcomeB, tt.losses)
			c.Add(0, 1, OutcomeTie, tt.tie)
			r := mustCompute(t, c, noBootstrap())
			w, l := float64(tt.wins)+float64(tt.tie)/2, float64(tt.losses)+float64(tt.tie)/2
			want := 400 * math.Log10(w/l)
			got := r.Models[0].Score - r.Models[1].Score
			if math.Abs(got-want) > 1e-6 {
				t.Errorf("gap = %.9f, want %.9f", got, want)
			}
			if mean := (r.Models[0].Score + r.Models[1].Score) / 2; math.Abs(mean-1000) > 1e-9 {
				t.Errorf("mean = %v, want 1000", mean)
			}
			if r.PriorUsed {
				t.Error("prior used on identifiable data")
			}
		})
	}
}

func TestFit_SymmetricDataGivesEqualScores(t *testing.T) {
	c := NewCounts(4)
	for i := range 4 {
		for j := i + 1; j < 4; j++ {
			c.Add(i, j, OutcomeA, 7)
			c.Add(i, j, OutcomeB, 7)
			c.Add(i, j, OutcomeBothBad, 2)
		}
	}
	r := mustCompute(t, c, DefaultOptions())
	for i, m := range r.Models {
		if math.Abs(m.Score-1000) > 1e-9 {
			t.Errorf("model %d score %v, want 1000", i, m.Score)
		}
		if m.Rank != 1 {
			t.Errorf("model %d rank %d, want 1", i, m.Rank)
		}
	}
}

func TestFit_VoteOrderAndSidesDoNotMatter(t *testing.T) {
	type vote struct {
		i, j int
		o    Outcome
	}
	rng := rand.New(rand.NewPCG(3, 4))
	var votes []vote
	for range 300 {
		i, j := rng.IntN(5), rng.IntN(5)
		if i != j {
			votes = append(votes, vote{i, j, Outcome(rng.IntN(4))})
		}
	}
	build := func(vs []vote, swap bool) *Counts {
		c := NewCounts(5)
		for _, v := range vs {
			i, j, o := v.i, v.j, v.o
			if swap {
				i, j = j, i
				o = map[Outcome]Outcome{OutcomeA: OutcomeB, OutcomeB: OutcomeA}[o]
				if v.o == OutcomeTie || v.o == OutcomeBothBad {
					o = v.o
				}
			}
			c.Add(i, j, o, 1)
		}
		return c
	}
	want := mustCompute(t, build(votes, false), DefaultOptions())
	shuffled := append([]vote(nil), votes...)
	rng.Shuffle(len(shuffled), func(a, b int) { shuffled[a], shuffled[b] = shuffled[b], shuffled[a] })
	for _, c := range []*Counts{build(shuffled, false), build(shuffled, true)} {
		got := mustCompute(t, c, DefaultOptions())
		for i := range want.Models {
			if got.Models[i] != want.Models[i] {
				t.Errorf("model %d: %+v, want %+v", i, got.Models[i], want.Models[i])
			}
		}
	}
}

func TestFit_TiesPullScoresTogether(t *testing.T) {
	gap := func(ties int64) float64 {
		c := NewCounts(2)
		c.Add(0, 1, OutcomeA, 20)
		c.Add(0, 1, OutcomeB, 5)
		c.Add(0, 1, OutcomeTie, ties)
		r := mustCompute(t, c, noBootstrap())
		return r.Models[0].Score - r.Models[1].Score
	}
	prev := gap(0)
	for _, ties := range []int64{1, 10, 100} {
		g := gap(ties)
		if !(g < prev && g > 0) {
			t.Errorf("%d ties: gap %v, want below %v and above 0", ties, g, prev)
		}
		prev = g
	}
}

// referenceScores maximises the same likelihood the slow, obvious way:
// gradient ascent over the individual votes, each tie split into two half
// votes. It shares no code with the fit.
func referenceScores(models int, votes [][3]int) []float64 {
	beta := make([]float64, models)
	deg := make([]float64, models)
	for _, v := range votes {
		deg[v[0]]++
		deg[v[1]]++
	}
	maxDeg := 0.0
	for _, d := range deg {
		maxDeg = max(maxDeg, d)
	}
	lr := 1 / maxDeg // the Hessian's largest eigenvalue is below maxDeg/2
	g := make([]float64, models)
	for range 200000 {
		clear(g)
		for _, v := range votes {
			i, j := v[0], v[1]
			y := []float64{1, 0, 0.5}[v[2]] // i won, j won, tie
			p := 1 / (1 + math.Exp(beta[j]-beta[i]))
			g[i] += y - p
			g[j] -= y - p
		}
		worst := 0.0
		for i := range beta {
			beta[i] += lr * g[i]
			worst = max(worst, math.Abs(g[i]))
		}
		if worst < 1e-10 {
			break
		}
	}
	mean := 0.0
	for i := range beta {
		beta[i] *= 400 / math.Ln10
		mean += beta[i]
	}
	for i := range beta {
		beta[i] += 1000 - mean/float64(models)
	}
	return beta
}

func TestFit_MatchesSlowReferenceOnConnectedData(t *testing.T) {
	checked := 0
	for seed := range uint64(6) {
		rng := rand.New(rand.NewPCG(seed, 99))
		models := 3 + rng.IntN(8)
		strength := make([]float64, models)
		for i := range strength {
			strength[i] = rng.NormFloat64() * 200
		}
		c := NewCounts(models)
		var votes [][3]int
		for range 40*models + rng.IntN(400) {
			i, j := rng.IntN(models), rng.IntN(models)
			if i == j {
				continue
			}
			p := 1 / (1 + math.Pow(10, (strength[j]-strength[i])/400))
			kind, o := 2, OutcomeTie
			if u := rng.Float64(); u < 0.1 {
				kind, o = 2, OutcomeBothBad
			} else if u < 0.2 {
			} else if rng.Float64() < p {
				kind, o = 0, OutcomeA
			} else {
				kind, o = 1, OutcomeB
			}
			votes = append(votes, [3]int{i, j, kind})
			c.Add(i, j, o, 1)
		}
		r := mustCompute(t, c, noBootstrap())
		if r.PriorUsed {
			continue // the reference needs data with a finite maximum
		}
		checked++
		want := referenceScores(models, votes)
		for i := range want {
			if d := math.Abs(r.Models[i].Score - want[i]); d > 0.5 {
				t.Errorf("seed %d model %d: score %.3f, reference %.3f", seed, i, r.Models[i].Score, want[i])
			}
		}
	}
	if checked < 4 {
		t.Errorf("only %d of 6 data sets were connected; the test checks too little", checked)
	}
}

func TestFit_DegenerateDataFollowsThePriorRule(t *testing.T) {
	t.Run("undefeated model is finite and on top", func(t *testing.T) {
		c := NewCounts(3)
		c.Add(0, 1, OutcomeA, 5) // model 0 never lost
		c.Add(0, 2, OutcomeA, 3)
		c.Add(1, 2, OutcomeA, 6)
		c.Add(1, 2, OutcomeB, 4)
		r := mustCompute(t, c, DefaultOptions())
		if !r.PriorUsed {
			t.Error("prior not used")
		}
		s := scoresOf(r)
		if !(finite(s) && s[0] > s[1] && s[1] > s[2]) {
			t.Errorf("scores %v, want finite and decreasing", s)
		}
	})
	t.Run("winless model is finite and last", func(t *testing.T) {
		c := NewCounts(3)
		c.Add(0, 1, OutcomeA, 4)
		c.Add(0, 1, OutcomeB, 4)
		c.Add(2, 0, OutcomeB, 5) // model 2 never won
		c.Add(2, 1, OutcomeB, 5)
		r := mustCompute(t, c, DefaultOptions())
		s := scoresOf(r)
		if !(finite(s) && s[2] < s[0] && s[2] < s[1]) {
			t.Errorf("scores %v, want finite with model 2 last", s)
		}
	})
	t.Run("disconnected groups keep their inner order", func(t *testing.T) {
		c := NewCounts(4)
		c.Add(0, 1, OutcomeA, 8) // {0,1} never met {2,3}
		c.Add(0, 1, OutcomeB, 2)
		c.Add(2, 3, OutcomeA, 2)
		c.Add(2, 3, OutcomeB, 8)
		r := mustCompute(t, c, DefaultOptions())
		s := scoresOf(r)
		if !(finite(s) && s[0] > s[1] && s[3] > s[2]) {
			t.Errorf("scores %v, want finite, 0 above 1, 3 above 2", s)
		}
		// The mirror-image groups sit symmetrically about the field.
		if math.Abs(s[0]-s[3]) > 1e-6 || math.Abs(s[1]-s[2]) > 1e-6 {
			t.Errorf("scores %v, want mirror images equal", s)
		}
	})
	t.Run("all ties is not degenerate", func(t *testing.T) {
		c := NewCounts(2)
		c.Add(0, 1, OutcomeTie, 3)
		if r := mustCompute(t, c, DefaultOptions()); r.PriorUsed {
			t.Error("prior used")
		}
	})
}

func TestCompute_ModelsWithoutVotesAreUnranked(t *testing.T) {
	c := NewCounts(3)
	c.Add(0, 2, OutcomeA, 3)
	c.Add(0, 2, OutcomeB, 1)
	r := mustCompute(t, c, DefaultOptions())
	if m := r.Models[1]; m.Ranked || m.Rank != 0 || m.Score != 0 {
		t.Errorf("model without votes: %+v", m)
	}
	if mean := (r.Models[0].Score + r.Models[2].Score) / 2; math.Abs(mean-1000) > 1e-9 {
		t.Errorf("ranked mean %v, want 1000", mean)
	}
	if r.PriorUsed {
		t.Error("an unvoted model triggered the prior")
	}
	if r.Predicted[1][0] != NoData || r.WinRate[1][0] != NoData || r.WinRate[0][0] != NoData {
		t.Error("matrices show data for a model without votes")
	}
	if _, err := json.Marshal(r); err != nil {
		t.Errorf("result does not encode as JSON: %v", err)
	}
	o := DefaultOptions()
	o.Anchor = 1
	if _, err := Compute(c, o); err == nil {
		t.Error("anchoring on a model without votes succeeded")
	}
}

func TestCompute_AnchorPinsModel(t *testing.T) {
	c, _ := synthetic(6, 3000, 0.15, 5)
	free := mustCompute(t, c, DefaultOptions())
	o := DefaultOptions()
	o.Anchor, o.AnchorScore = 2, 1200
	r := mustCompute(t, c, o)
	if m := r.Models[2]; m.Score != 1200 || m.Lower != 1200 || m.Upper != 1200 {
		t.Errorf("anchor: %+v, want score and interval at 1200", m)
	}
	shift := r.Models[2].Score - free.Models[2].Score
	for i := range r.Models {
		if d := r.Models[i].Score - free.Models[i].Score - shift; math.Abs(d) > 1e-9 {
			t.Errorf("model %d moved by %v relative to the anchor", i, d)
		}
	}
}

func TestCompute_TalliesAndMatrices(t *testing.T) {
	c := NewCounts(2)
	c.Add(0, 1, OutcomeA, 6)
	c.Add(1, 0, OutcomeA, 2)
	c.Add(0, 1, OutcomeTie, 1)
	c.Add(0, 1, OutcomeBothBad, 1)
	r := mustCompute(t, c, noBootstrap())
	m := r.Models[0]
	if m.Votes != 10 || m.Wins != 6 || m.Losses != 2 || m.Ties != 1 || m.BothBad != 1 || m.WinRate != 0.7 {
		t.Errorf("model 0 tally %+v", m)
	}
	if r.Battles[0][1] != 10 || r.Battles[1][0] != 10 || r.WinRate[0][1] != 0.7 || math.Abs(r.WinRate[1][0]-0.3) > 1e-15 {
		t.Errorf("matrices: battles %v, win rate %v", r.Battles, r.WinRate)
	}
	// With two models the fit reproduces the observed rate exactly.
	if math.Abs(r.Predicted[0][1]-0.7) > 1e-9 || math.Abs(r.Predicted[0][1]+r.Predicted[1][0]-1) > 1e-12 {
		t.Errorf("predicted %v", r.Predicted)
	}
}

func scoresOf(r *Result) []float64 {
	s := make([]float64, len(r.Models))
	for i, m := range r.Models {
		s[i] = m.Score
	}
	return s
}

func finite(s []float64) bool {
	for _, x := range s {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}

// The gradient pass of a bootstrap round is evaluate's gradient to the
// last bit, with pairs without votes, with the prior, and with the pairs in
// any order.
func TestSolverGradient_IsEvaluates(t *testing.T) {
	c, _ := synthetic(30, 3000, 0.15, 5)
	ranked := make([]int, 30)
	for i := range ranked {
		ranked[i] = i
	}
	sorted := buildPairs(c, ranked)
	shuffled := &pairs{m: sorted.m}
	for _, k := range rand.New(rand.NewPCG(1, 2)).Perm(len(sorted.i)) {
		shuffled.i = append(shuffled.i, sorted.i[k])
		shuffled.j = append(shuffled.j, sorted.j[k])
		shuffled.total = append(shuffled.total, sorted.total[k])
		shuffled.halfWi = append(shuffled.halfWi, sorted.halfWi[k])
	}
	for _, d := range []*pairs{sorted, shuffled} {
		// A resample's totals: some pairs lose every vote.
		halfWi, total := slices.Clone(d.halfWi), slices.Clone(d.total)
		for k := 0; k < len(total); k += 7 {
			halfWi[k], total[k] = 0, 0
		}
		beta := make([]float64, d.m)
		for i := range beta {
			beta[i] = math.Sin(float64(i))
		}
		for _, prior := range []float64{0, 1} {
			s := newSolver(d.m)
			want, got := make([]float64, d.m), make([]float64, d.m)
			s.evaluate(d, halfWi, total, prior, beta, want, nil, false)
			s.gradient(d, halfWi, total, prior, beta, got)
			for i := range want {
				if got[i] != want[i] {
					t.Errorf("prior %v, model %d: %v, evaluate %v", prior, i, got[i], want[i])
				}
			}
		}
	}
}
