package leaderboard

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/arena-video/arena/models"
	"github.com/arena-video/arena/models/history"
	"github.com/arena-video/arena/models/synthetic"
)

// BenchmarkRebuildHistoryDaily measures `arena recompute --history daily`'s
// rebuild: 1,000,000 valid synthetic votes among 100 models spread over 60
// days, one board per day with 1000 bootstrap rounds each. Every op rebuilds
// from scratch. Its peer, "independent", fits the same boards one by one
// from a fresh count of each day's votes. Run both with:
//
//	go test ./models/leaderboard/ -run '^$' -bench RebuildHistoryDaily -benchtime 1x -timeout 60m
func BenchmarkRebuildHistoryDaily(b *testing.B) {
	ctx := context.Background()
	s := openSynthetic(b, models.Options{}, synthetic.Options{Models: 100, Votes: 1_000_000, Seed: 1, Span: 60 * 24 * 3600})
	b.Run("rebuild", func(b *testing.B) {
		var st HistoryStats
		var cpu time.Duration // user and system time of the process, all cores
		for b.Loop() {
			b.StopTimer()
			if err := s.DeleteRebuiltSnapshots(ctx); err != nil {
				b.Fatal(err)
			}
			boards := New(s, Options{})
			before := processCPU(b)
			b.StartTimer()
			var err error
			if st, err = boards.RebuildHistory(ctx, history.Daily); err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			cpu += processCPU(b) - before
			b.StartTimer()
		}
		if st.Stored != 60 && st.Stored != 61 {
			b.Fatalf("stored %d boards, want one per day", st.Stored)
		}
		b.ReportMetric(float64(st.Read)/float64(time.Second), "s-reading")
		b.ReportMetric(float64(st.Stored), "boards")
		// CPU seconds hardly depend on what else the machine runs, where
		// wall time does: divided by the cores, they are the wall time of
		// a quiet machine.
		b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
	})
	// The peer: the same boards as independent recomputes, each day
	// counting the votes before its end with the live recompute's query
	// and fitting them with the bootstrap on every core, nothing stored.
	b.Run("independent", func(b *testing.B) {
		first, _, err := s.FirstVote(ctx)
		if err != nil {
			b.Fatal(err)
		}
		last, err := s.LastVote(ctx, models.PoolT2V, "", time.Time{})
		if err != nil || last == nil {
			b.Fatal("no last vote", err)
		}
		bounds := history.Daily.Boundaries(first, *last, s.Now())
		o := Options{}.withDefaults()
		var cpu time.Duration
		for b.Loop() {
			before := processCPU(b)
			for _, end := range bounds {
				until := end.Add(-time.Nanosecond)
				ts, err := s.VoteTallies(ctx, models.TallyFilter{Pool: models.PoolT2V, Until: until})
				if err != nil {
					b.Fatal(err)
				}
				lb, err := fit(o, models.PoolT2V, "", mergeCategories(ts), 0, end, false)
				if err != nil {
					b.Fatal(err)
				}
				if lb.VotesThrough, err = s.LastVote(ctx, models.PoolT2V, "", until); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			cpu += processCPU(b) - before
			b.StartTimer()
		}
		b.ReportMetric(float64(len(bounds)), "boards")
		b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s/op")
	})
}

// processCPU is the CPU time the process has used so far.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
