package models

import (
	"context"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"gorm.io/gorm"
)

// seedVotes inserts n valid votes among the given number of models straight
// into the matchups table, in multi-row INSERTs inside a few transactions:
// setting up a million votes takes seconds, not the minutes the HTTP path
// would.
func seedVotes(tb testing.TB, s *Store, models, n int) {
	tb.Helper()
	ctx := context.Background()
	for i := 0; i < models; i++ {
		m := Model{Slug: "model-" + string(rune('a'+i/26)) + string(rune('a'+i%26)), Name: "m"}
		if err := s.CreateModel(ctx, &m); err != nil {
			tb.Fatal(err)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	choices := []string{ChoiceA, ChoiceB, ChoiceTie, ChoiceBothBad}
	cats := []string{"people", "nature", "animals", "city", "abstract", "food", "sports", "fantasy"}
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for done := 0; done < n; {
		err := s.w.Transaction(func(tx *gorm.DB) error {
			for k := 0; k < 20 && done < n; k++ {
				rows := min(importRowsPerStmt, n-done)
				args := make([]any, 0, rows*matchupCols)
				for r := 0; r < rows; r++ {
					a := uint(1 + rng.IntN(models))
					b := uint(1 + rng.IntN(models-1))
					if b >= a {
						b++
					}
					ts := at.Add(time.Duration(done+r) * time.Second)
					args = append(args, NewID(), "bench", uint(done+r)%500, PoolT2V, cats[(done+r)%len(cats)], 0, 0, a, b, ts, ts, choices[rng.IntN(4)], ts, true, "")
				}
				if err := tx.Exec(insertMatchupsSQL(rows, s.dialect), args...).Error; err != nil {
					return err
				}
				done += rows
			}
			return nil
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
}

// BenchmarkRecomputeFromSQLite measures a full recompute of every stored
// leaderboard (the t2v pool and its eight categories) from a SQLite file
// holding 1,000,000 valid votes among 100 models, with 1000 bootstrap
// rounds. Run it with:
//
//	go test ./models/ -run '^$' -bench RecomputeFromSQLite -benchtime 3x
func BenchmarkRecomputeFromSQLite(b *testing.B) {
	s, err := Open(context.Background(), Options{DSN: filepath.Join(b.TempDir(), "bench.db"), Ranking: RankingOptions{Rounds: 1000}})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	seedVotes(b, s, 100, 1_000_000)
	b.Run("tally", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.VoteTallies(context.Background(), TallyFilter{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("pool", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.ComputeLeaderboard(context.Background(), PoolT2V, ""); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("all", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.RecomputeLeaderboards(context.Background(), true); err != nil {
				b.Fatal(err)
			}
		}
	})
}
