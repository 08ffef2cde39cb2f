package leaderboard

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/arena-video/arena/models"
	"github.com/arena-video/arena/models/synthetic"
)

// BenchmarkRecomputeFromSQLite measures a full recompute of every stored
// leaderboard (the t2v pool and its five categories) from a SQLite file
// holding 1,000,000 valid synthetic votes among 100 models, with 1000
// bootstrap rounds: "tally" is the counting query alone, "pool" one
// leaderboard, "all" every one. Run it with:
//
//	go test ./models/leaderboard/ -run '^$' -bench RecomputeFromSQLite -benchtime 3x
func BenchmarkRecomputeFromSQLite(b *testing.B) {
	ctx := context.Background()
	s := openSynthetic(b, models.Options{}, synthetic.Options{Models: 100, Votes: 1_000_000, Seed: 1})
	boards := New(s, Options{Rounds: 1000})
	b.Run("tally", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.VoteTallies(ctx, models.TallyFilter{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("pool", func(b *testing.B) {
		for b.Loop() {
			if _, err := boards.Compute(ctx, models.PoolT2V, ""); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("all", func(b *testing.B) {
		for b.Loop() {
			if _, err := boards.Recompute(ctx, true); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkRecomputeWithStyle is the full recompute with style control: the
// raw and the style-controlled board of the t2v pool and each of its five
// categories, from a SQLite file holding 1,000,000 valid synthetic votes
// among 100 models that carry their clips' features (10 clips a model, so
// about 100,000 distinct clip pairs a board), 1000 bootstrap rounds each.
// The target is under 3 s. Run it with:
//
//	go test ./models/leaderboard/ -run '^$' -bench RecomputeWithStyle -benchtime 1x -count 3
func BenchmarkRecomputeWithStyle(b *testing.B) {
	ctx := context.Background()
	s := openSynthetic(b, models.Options{}, synthetic.Options{Models: 100, Votes: 1_000_000, Seed: 1, StyleClips: 10})
	boards := New(s, Options{Rounds: 1000})
	b.Run("pool", func(b *testing.B) {
		var lb *Leaderboard
		for b.Loop() {
			var err error
			if lb, err = boards.Compute(ctx, models.PoolT2V, ""); err != nil {
				b.Fatal(err)
			}
		}
		if lb.Style == nil || lb.Style.Votes != 1_000_000 {
			b.Fatalf("style board %+v", lb.Style)
		}
	})
	b.Run("all", func(b *testing.B) {
		var st RecomputeStats
		for b.Loop() {
			var err error
			if st, err = boards.Recompute(ctx, true); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(st.Stored), "boards")
	})
}

// openSynthetic opens a store with opts (a DSN in a fresh folder when
// opts.DSN is empty) holding the synthetic votes o describes, imported as
// a data set would be.
func openSynthetic(tb testing.TB, opts models.Options, o synthetic.Options) *models.Store {
	tb.Helper()
	ctx := context.Background()
	dir := tb.TempDir()
	if opts.DSN == "" {
		opts.DSN = filepath.Join(dir, "bench.db")
	}
	s, err := models.Open(ctx, opts)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	votes := filepath.Join(dir, "votes.jsonl")
	if err := synthetic.WriteFile(votes, o); err != nil {
		tb.Fatal(err)
	}
	if _, err := s.ImportVotes(ctx, votes, models.ImportOptions{}); err != nil {
		tb.Fatal(err)
	}
	return s
}
