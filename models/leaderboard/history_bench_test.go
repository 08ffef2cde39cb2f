package leaderboard

import (
	"context"
	"testing"
	"time"

	"github.com/arena-video/arena/models/history"
	"github.com/arena-video/arena/models/synthetic"
)

// BenchmarkRebuildHistoryDaily measures `arena recompute --history daily`'s
// rebuild: 1,000,000 valid synthetic votes among 100 models spread over 60
// days, one board per day with 1000 bootstrap rounds each. Every op rebuilds
// from scratch. Run it with:
//
//	go test ./models/leaderboard/ -run '^$' -bench RebuildHistoryDaily -benchtime 1x -timeout 60m
func BenchmarkRebuildHistoryDaily(b *testing.B) {
	ctx := context.Background()
	s := openSynthetic(b, synthetic.Options{Models: 100, Votes: 1_000_000, Seed: 1, Span: 60 * 24 * 3600})
	var st HistoryStats
	for b.Loop() {
		b.StopTimer()
		if err := s.DeleteRebuiltSnapshots(ctx); err != nil {
			b.Fatal(err)
		}
		boards := New(s, Options{})
		b.StartTimer()
		var err error
		if st, err = boards.RebuildHistory(ctx, history.Daily); err != nil {
			b.Fatal(err)
		}
	}
	if st.Stored != 60 && st.Stored != 61 {
		b.Fatalf("stored %d boards, want one per day", st.Stored)
	}
	b.ReportMetric(float64(st.Read)/float64(time.Second), "s-reading")
	b.ReportMetric(float64(st.Stored), "boards")
}
