package leaderboard

import (
	"context"
	"os"
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
	dir := b.TempDir()
	s, err := models.Open(ctx, models.Options{DSN: filepath.Join(dir, "bench.db")})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	votes := filepath.Join(dir, "votes.jsonl")
	f, err := os.Create(votes)
	if err != nil {
		b.Fatal(err)
	}
	if err := synthetic.Write(f, synthetic.Options{Models: 100, Votes: 1_000_000, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	if _, err := s.ImportVotes(ctx, votes, models.ImportOptions{}); err != nil {
		b.Fatal(err)
	}
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
