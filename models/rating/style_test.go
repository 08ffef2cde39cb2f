package rating

import (
	"math"
	"slices"
	"strings"
	"testing"
)

func mustComputeStyle(t *testing.T, s *StyleCounts, o Options) *StyleResult {
	t.Helper()
	r, err := ComputeStyle(s, o)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// place returns model i's position (1 = best) when ordered by point score.
func place(scores []float64, i int) int {
	p := 1
	for k, s := range scores {
		if k != i && s > scores[i] {
			p++
		}
	}
	return p
}

func TestStyle_AgreesWithPerVoteReference(t *testing.T) {
	tests := []struct {
		name string
		spec styleWorldSpec
	}{
		{"style effects, ties, sides biased", styleWorldSpec{
			models: 6, prompts: 5, votes: 3000, tieFrac: 0.2, beta: []float64{1.5, 0.8, 0, -0.5, 0.3},
			longModel: 2, biasA: 0.7, keep: true, seed: 3, spreadSD: 120,
		}},
		{"no style effect, sides even", styleWorldSpec{
			models: 5, prompts: 3, votes: 2000, tieFrac: 0.1, beta: make([]float64, 5),
			longModel: -1, biasA: 0.5, keep: true, seed: 4, spreadSD: 80,
		}},
		{"lopsided scores", styleWorldSpec{
			models: 4, prompts: 4, votes: 1500, tieFrac: 0.05, beta: []float64{0.5, 0, 0, 0, 1},
			longModel: 0, biasA: 0.6, keep: true, seed: 5, spreadSD: 400,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newStyleWorld(tt.spec)
			refScores, refGamma, kept := referenceStyleFit(w.votes, tt.spec.models, VideoStyleFeatures())
			r := mustComputeStyle(t, w.c, noBootstrap())
			if len(r.Coefficients) != len(kept) {
				t.Fatalf("fit kept %d features, reference %d (%v)", len(r.Coefficients), len(kept), kept)
			}
			for i, m := range r.Models {
				if d := math.Abs(m.Score - refScores[i]); d > 0.5 {
					t.Errorf("model %d: score %.4f, reference %.4f", i, m.Score, refScores[i])
				}
			}
			for f, c := range r.Coefficients {
				if c.Name != kept[f] {
					t.Errorf("coefficient %d is %s, reference %s", f, c.Name, kept[f])
				}
				if d := math.Abs(c.Value - refGamma[f]); d > 0.005 {
					t.Errorf("γ %s = %.6f, reference %.6f", c.Name, c.Value, refGamma[f])
				}
			}
		})
	}
}

func TestStyle_RecoversTrueScoresAndStyleEffect(t *testing.T) {
	// Voters like long clips (γ on duration), and model 5 makes clips twice
	// as long as anyone: the raw board overrates it, the style board not.
	// The intervals are 95% ones, so across seeds about one in twenty
	// misses its true value; with this seed all of them cover it.
	spec := styleWorldSpec{
		models: 10, prompts: 20, votes: 120_000, beta: []float64{2.5, 0, 0, 0, 0},
		longModel: 5, biasA: 0.5, seed: 20, spreadSD: 150,
	}
	w := newStyleWorld(spec)
	opts := DefaultOptions()
	opts.Rounds = 200
	r := mustComputeStyle(t, w.c, opts)
	raw := mustCompute(t, w.c.Counts(), opts)

	scores := func(ms []ModelResult) []float64 {
		s := make([]float64, len(ms))
		for i, m := range ms {
			s[i] = m.Score
		}
		return s
	}
	long := spec.longModel
	truePlace := place(w.truth, long)
	if p := place(scores(raw.Models), long); p >= truePlace {
		t.Errorf("raw board places the long-clip model %d, truly %d: it should overrate it", p, truePlace)
	}
	if p := place(scores(r.Models), long); p != truePlace {
		t.Errorf("style board places the long-clip model %d, truly %d", p, truePlace)
	}
	for i, m := range r.Models {
		if w.truth[i] < m.Lower || w.truth[i] > m.Upper {
			t.Errorf("model %d: true score %.1f outside [%.1f, %.1f]", i, w.truth[i], m.Lower, m.Upper)
		}
	}
	if len(r.Coefficients) != 5 {
		t.Fatalf("coefficients %v, want all five features", r.Coefficients)
	}
	for f, c := range r.Coefficients {
		// The fit's γ is per standard deviation of the difference.
		want := spec.beta[f] * c.SD
		if want < c.Lower || want > c.Upper {
			t.Errorf("%s: true γ %.4f outside [%.4f, %.4f] (fitted %.4f)", c.Name, want, c.Lower, c.Upper, c.Value)
		}
	}
	if c := r.Coefficients[0]; !(c.Lower > 0) {
		t.Errorf("duration effect %v should be surely positive", c)
	}
}

func TestStyle_ConstantFeatureIsLeftOut(t *testing.T) {
	c, err := NewStyleCounts(3, VideoStyleFeatures())
	if err != nil {
		t.Fatal(err)
	}
	clip := func(dur, motion float64) []float64 { return []float64{dur, motion, 100, 80, 0} }
	for k, v := range []struct {
		a, b int
		o    Outcome
	}{{0, 1, OutcomeA}, {1, 2, OutcomeB}, {2, 0, OutcomeTie}, {0, 2, OutcomeA}, {1, 0, OutcomeBothBad}, {2, 1, OutcomeA}} {
		if err := c.Add(v.a, v.b, clip(float64(4+k), float64(k)), clip(5, 3), v.o, int64(1+k)); err != nil {
			t.Fatal(err)
		}
	}
	r := mustComputeStyle(t, c, noBootstrap())
	if want := []string{"brightness", "saturation", "has_audio"}; !slices.Equal(r.Dropped, want) {
		t.Errorf("dropped %v, want %v", r.Dropped, want)
	}
	var names []string
	for _, co := range r.Coefficients {
		names = append(names, co.Name)
	}
	if want := []string{"duration_s", "motion"}; !slices.Equal(names, want) {
		t.Errorf("coefficients %v, want %v", names, want)
	}
}

func TestStyle_RefusesBadFeatureValues(t *testing.T) {
	good := []float64{5, 10, 100, 80, 1}
	with := func(f int, v float64) []float64 {
		x := slices.Clone(good)
		x[f] = v
		return x
	}
	tests := []struct {
		name   string
		fa     []float64
		wantIn string
	}{
		{"NaN", with(1, math.NaN()), "not a finite number"},
		{"infinite", with(0, math.Inf(1)), "not a finite number"},
		{"negative", with(2, -1), "negative"},
		{"audio neither 0 nor 1", with(4, 0.5), "not 0 or 1"},
		{"too few values", good[:4], "feature values"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := NewStyleCounts(2, VideoStyleFeatures())
			err := c.Add(0, 1, tt.fa, good, OutcomeA, 1)
			if err == nil || !strings.Contains(err.Error(), tt.wantIn) {
				t.Fatalf("err = %v, want one containing %q", err, tt.wantIn)
			}
		})
	}
	if _, err := NewStyleCounts(2, make([]StyleFeature, MaxStyleFeatures+1)); err == nil {
		t.Error("too many features accepted")
	}
}

func TestStyle_SameResultWithAnyWorkerCountAndAnchor(t *testing.T) {
	w := newStyleWorld(styleWorldSpec{models: 8, prompts: 6, votes: 20_000, tieFrac: 0.15,
		beta: []float64{1, 0.5, 0, 0, 0.2}, longModel: 1, biasA: 0.5, seed: 7, spreadSD: 100})
	opts := DefaultOptions()
	opts.Rounds = 50
	opts.Workers = 1
	one := mustComputeStyle(t, w.c, opts)
	opts.Workers = 3
	three := mustComputeStyle(t, w.c, opts)
	for i := range one.Models {
		if one.Models[i] != three.Models[i] {
			t.Errorf("model %d: %+v with one worker, %+v with three", i, one.Models[i], three.Models[i])
		}
	}
	if !slices.Equal(one.Coefficients, three.Coefficients) {
		t.Errorf("coefficients differ: %v vs %v", one.Coefficients, three.Coefficients)
	}
	opts.Anchor, opts.AnchorScore = 2, 1200
	anchored := mustComputeStyle(t, w.c, opts)
	a := anchored.Models[2]
	if a.Score != 1200 || a.Lower != 1200 || a.Upper != 1200 {
		t.Errorf("anchor at %v [%v, %v], want 1200 throughout", a.Score, a.Lower, a.Upper)
	}
	gap := one.Models[0].Score - one.Models[2].Score
	if d := anchored.Models[0].Score - 1200 - gap; math.Abs(d) > 1e-6 {
		t.Errorf("anchoring moved a gap by %v points", d)
	}
}

func TestCoefficient_DescribeTranslatesToOdds(t *testing.T) {
	c := Coefficient{Name: "motion", Value: math.Log(1.3), Lower: math.Log(1.2), Upper: math.Log(1.4)}
	want := "one standard deviation more motion than the other clip multiplies the odds of winning by ×1.30 (95% interval ×1.20–×1.40)"
	if got := c.Describe(); got != want {
		t.Errorf("Describe() = %q, want %q", got, want)
	}
}
