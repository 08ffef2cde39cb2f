package rating

import (
	"fmt"
	"testing"
)

// styleBenchSpec is the style target's data: 100 models, a million votes,
// the five video features, 15% ties or both-bad, and one clip per model for
// each of prompts prompts, so votes repeat clip pairs as in an arena whose
// prompt set is fixed.
func styleBenchSpec(prompts int) styleWorldSpec {
	return styleWorldSpec{
		models: 100, prompts: prompts, votes: 1_000_000, tieFrac: 0.15,
		beta: []float64{1.5, 0.5, 0.2, 0.3, 0.2}, longModel: -1, biasA: 0.5, seed: 1, spreadSD: 150,
	}
}

// BenchmarkStyleFitBootstrap100Models1MVotes is the style target: the
// style-controlled fit and 1000 bootstrap rounds on a million votes, 100
// models and 5 features, under 2 s on 2 cores. The sub-benchmark name gives
// the number of prompts; the cells a round draws grow with it.
func BenchmarkStyleFitBootstrap100Models1MVotes(b *testing.B) {
	for _, prompts := range []int{10, 30, 100} {
		w := newStyleWorld(styleBenchSpec(prompts))
		b.Run(fmt.Sprintf("prompts=%d", prompts), func(b *testing.B) {
			opts := DefaultOptions()
			var r *StyleResult
			for b.Loop() {
				var err error
				if r, err = ComputeStyle(w.c, opts); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(r.Cells), "cells")
		})
	}
}

// BenchmarkStyleFit100Models1MVotes times the fit alone, from a cold start.
func BenchmarkStyleFit100Models1MVotes(b *testing.B) {
	w := newStyleWorld(styleBenchSpec(30))
	opts := DefaultOptions()
	opts.Rounds = 0
	for b.Loop() {
		if _, err := ComputeStyle(w.c, opts); err != nil {
			b.Fatal(err)
		}
	}
}
