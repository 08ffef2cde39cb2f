package rating

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"syscall"
	"testing"
	"time"
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
// the number of prompts; the cells a round draws grow with it. cpu-s/op is
// the CPU time of all threads: on a machine busy with other work it shows
// what the run cost, where the wall-clock time shows the share it got.
func BenchmarkStyleFitBootstrap100Models1MVotes(b *testing.B) {
	for _, prompts := range []int{10, 30, 100} {
		w := newStyleWorld(styleBenchSpec(prompts))
		b.Run(fmt.Sprintf("prompts=%d", prompts), func(b *testing.B) {
			opts := DefaultOptions()
			var r *StyleResult
			processCPU(b, func() {
				for b.Loop() {
					var err error
					if r, err = ComputeStyle(w.c, opts); err != nil {
						b.Fatal(err)
					}
				}
			})
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

// BenchmarkStyleRoundParts times the parts of a bootstrap round on the
// 10-prompt data, one goroutine: drawing a resample, one pass over the
// rows with the probabilities moved (gradientNear), and the first pass
// (gradientAt). A round draws with the first gradient summed in
// (draw+gradient).
func BenchmarkStyleRoundParts(b *testing.B) {
	w := newStyleWorld(styleBenchSpec(10))
	d := w.allVotesData()
	k := d.dim()
	halfWi, total := make([]float64, d.sides()), make([]float64, d.sides())
	b.Run("draw", func(b *testing.B) {
		s := newStyleSampler(d.cells)
		src := rand.NewPCG(1, 2)
		threadCPU(b, func() {
			for b.Loop() {
				s.draw(src, halfWi, total)
			}
		})
	})
	// The draw as a round makes it: with the first gradient summed in.
	b.Run("draw+gradient", func(b *testing.B) {
		s := newSidePairSampler(d.cells)
		src := rand.NewPCG(1, 2)
		prob := make([]float64, d.sides())
		for u := range prob {
			prob[u] = 0.5
		}
		grad := newBaseGradient(d, prob)
		threadCPU(b, func() {
			for b.Loop() {
				s.drawPairs(src, halfWi, total, &grad)
			}
		})
	})
	b.Run("pass", func(b *testing.B) {
		theta, g := make([]float64, k), make([]float64, k)
		prob := make([]float64, d.sides())
		for u := range prob {
			prob[u] = 0.5
		}
		base := make([]float64, k)
		for a := range theta {
			theta[a] = 0.001
		}
		scaleR := make([]float64, 2*d.m)
		threadCPU(b, func() {
			for b.Loop() {
				d.gradientNear(d.halfWi, d.total, theta, base, prob, scaleR, g)
			}
		})
	})
	b.Run("first", func(b *testing.B) {
		theta, g, prob := make([]float64, k), make([]float64, k), make([]float64, d.sides())
		threadCPU(b, func() {
			for b.Loop() {
				d.gradientAt(d.halfWi, d.total, theta, prob, g)
			}
		})
	})
}

// threadCPU runs loop on one locked OS thread and reports the thread's CPU
// time per operation, which other processes on a busy machine inflate far
// less than the wall-clock time.
func threadCPU(b *testing.B, loop func()) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var before, after syscall.Rusage
	const rusageThread = 1 // RUSAGE_THREAD
	if err := syscall.Getrusage(rusageThread, &before); err != nil {
		b.Fatal(err)
	}
	loop()
	if err := syscall.Getrusage(rusageThread, &after); err != nil {
		b.Fatal(err)
	}
	cpu := time.Duration(after.Utime.Nano() - before.Utime.Nano() + after.Stime.Nano() - before.Stime.Nano())
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
}

// processCPU runs loop and reports the CPU time of the whole process (every
// thread) per operation, in seconds.
func processCPU(b *testing.B, loop func()) {
	var before, after syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &before); err != nil {
		b.Fatal(err)
	}
	loop()
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &after); err != nil {
		b.Fatal(err)
	}
	cpu := time.Duration(after.Utime.Nano() - before.Utime.Nano() + after.Stime.Nano() - before.Stime.Nano())
	b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
}
