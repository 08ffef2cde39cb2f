package leaderboard

import (
	"cmp"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/arena-video/arena/models"
	"github.com/arena-video/arena/models/rating"
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
// among 100 models that carry their clips' features (a clip per model for
// each of 10 prompts, two prompts a category: about 100,000 distinct
// ordered clip pairs in the pool, a fifth of them in each category), 1000
// bootstrap rounds each. As in Arena's own data a vote is between two clips
// of one prompt and a prompt has one category, so the categories split the
// pool's clip pairs and their five style fits together cost about one of
// the pool's. (An earlier version of the data drew the category apart from
// the clips, which gave each category most of the pool's clip pairs and
// made its style board cost as much as the pool's.)
// "cells" is the counting query alone, with the features it looks up;
// "raw/<board>" and "style/<board>" fit each board's two halves from
// counted votes, to show where the time goes; "pool" is one leaderboard
// from the database, "all" the full recompute, stored. The target is "all"
// under 3 s. Run it with:
//
//	go test ./models/leaderboard/ -run '^$' -bench RecomputeWithStyle -benchtime 1x -count 3
func BenchmarkRecomputeWithStyle(b *testing.B) {
	ctx := context.Background()
	s := openSynthetic(b, models.Options{}, synthetic.Options{Models: 100, Votes: 1_000_000, Seed: 1, StyleClips: 10})
	boards := New(s, Options{Rounds: 1000})
	// loop runs fn b.N times and reports, beside the wall time, the CPU
	// seconds: divided by the cores they are the wall time of a quiet
	// machine, which this one rarely is.
	loop := func(b *testing.B, fn func() error) {
		before := processCPU(b)
		for b.Loop() {
			if err := fn(); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric((processCPU(b)-before).Seconds()/float64(b.N), "cpu-s/op")
	}
	b.Run("cells", func(b *testing.B) {
		loop(b, func() error {
			_, _, err := boards.cells(ctx, models.TallyFilter{})
			return err
		})
	})
	cells, styles, err := boards.cells(ctx, models.TallyFilter{Pool: models.PoolT2V})
	if err != nil {
		b.Fatal(err)
	}
	byCategory := map[string]cellGroups{"": cells}
	for _, cs := range cells {
		byCategory[cs[0].Category] = append(byCategory[cs[0].Category], cs)
	}
	for _, category := range slices.Sorted(maps.Keys(byCategory)) {
		cs, name := byCategory[category], cmp.Or(category, "pool")
		ts := cellTallies(cs)
		b.Run("raw/"+name, func(b *testing.B) {
			loop(b, func() error {
				_, err := fit(boards.opts, models.PoolT2V, category, ts, 0, time.Now(), category == "")
				return err
			})
		})
		b.Run("style/"+name, func(b *testing.B) {
			loop(b, func() error {
				_, err := fitStyle(boards.opts, Key(models.PoolT2V, category), cs, styles, 0)
				return err
			})
		})
	}
	// "styles/alone" and "styles/joint" are the six style boards' fits and
	// bootstraps, each alone or the pool's with its categories' (as
	// Recompute has them).
	prepare := func(b *testing.B) (pool *styleFit, parts []*styleFit) {
		for _, category := range slices.Sorted(maps.Keys(byCategory)) {
			sf, err := prepareStyle(boards.opts, Key(models.PoolT2V, category), byCategory[category], styles, 0)
			if err != nil {
				b.Fatal(err)
			}
			if category == "" {
				pool = sf
			} else {
				parts = append(parts, sf)
			}
		}
		return pool, parts
	}
	b.Run("styles/alone", func(b *testing.B) {
		loop(b, func() error {
			pool, parts := prepare(b)
			for _, sf := range append(parts, pool) {
				if err := sf.fit.Bootstrap(); err != nil {
					return err
				}
			}
			return nil
		})
	})
	b.Run("styles/joint", func(b *testing.B) {
		loop(b, func() error {
			pool, parts := prepare(b)
			var fits []*rating.StyleFit
			var index [][]int
			for _, sf := range parts {
				idx, ok := modelIndex(sf, pool)
				if !ok {
					return fmt.Errorf("a category's models are not its pool's")
				}
				fits, index = append(fits, sf.fit), append(index, idx)
			}
			return rating.BootstrapStylePool(pool.fit, fits, index)
		})
	})
	b.Run("pool", func(b *testing.B) {
		var lb *Leaderboard
		loop(b, func() error {
			var err error
			lb, err = boards.Compute(ctx, models.PoolT2V, "")
			return err
		})
		if lb.Style == nil || lb.Style.Votes != 1_000_000 {
			b.Fatalf("style board %+v", lb.Style)
		}
	})
	b.Run("all", func(b *testing.B) {
		var st RecomputeStats
		loop(b, func() error {
			var err error
			st, err = boards.Recompute(ctx, true)
			return err
		})
		b.ReportMetric(float64(st.Stored), "boards")
	})
}

// openSynthetic opens a store with opts (a DSN in a fresh folder when
// opts.DSN is empty) holding the synthetic votes o describes, imported as
// a data set would be. With zero opts and ARENA_BENCH_KEEP_DB set, the
// imported SQLite file is kept in the system's temporary folder, keyed by o
// and by the test binary itself, and later runs of the same binary start
// from a copy of it: importing a million votes takes longer than most
// benchmarks. A rebuilt binary, whose import or schema may differ, never
// reads the file of another. Each kept file is half a gigabyte and nothing
// removes it, hence the opt-in.
func openSynthetic(tb testing.TB, opts models.Options, o synthetic.Options) *models.Store {
	tb.Helper()
	ctx := context.Background()
	dir := tb.TempDir()
	var cached string
	if reflect.ValueOf(opts).IsZero() {
		cached = syntheticCache(tb, o)
	}
	if opts.DSN == "" {
		opts.DSN = filepath.Join(dir, "bench.db")
	}
	if cached != "" {
		if err := copyFile(cached, opts.DSN); err == nil {
			return openStore(tb, opts)
		}
	}
	s := openStore(tb, opts)
	votes := filepath.Join(dir, "votes.jsonl")
	if err := synthetic.WriteFile(votes, o); err != nil {
		tb.Fatal(err)
	}
	if _, err := s.ImportVotes(ctx, votes, models.ImportOptions{}); err != nil {
		tb.Fatal(err)
	}
	if cached == "" {
		return s
	}
	// Closing checkpoints the write-ahead log into the file, so the file
	// alone is the database.
	s.Close()
	if fi, err := os.Stat(opts.DSN + "-wal"); err != nil || fi.Size() == 0 {
		if err := copyFile(opts.DSN, cached+".part"); err == nil {
			os.Rename(cached+".part", cached)
		}
	}
	return openStore(tb, opts)
}

// syntheticCache names the kept SQLite file of the votes o describes
// imported by this test binary; "" when files are not kept or the binary
// cannot be read.
func syntheticCache(tb testing.TB, o synthetic.Options) string {
	if os.Getenv("ARENA_BENCH_KEEP_DB") == "" {
		return ""
	}
	exe, err := os.Executable()
	if err != nil {
		return ""
	}
	f, err := os.Open(exe)
	if err != nil {
		return ""
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return ""
	}
	fmt.Fprintf(h, "%+v", o)
	return filepath.Join(os.TempDir(), fmt.Sprintf("arena-bench-%x.db", h.Sum(nil)[:12]))
}

func openStore(tb testing.TB, opts models.Options) *models.Store {
	tb.Helper()
	s, err := models.Open(context.Background(), opts)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// prepareStyle counts and fits the style-controlled board of one
// leaderboard, key, as Compute does before its bootstrap, so that the
// benchmarks can time the parts apart. It returns nil when no vote has
// features on both sides.
func prepareStyle(o Options, key string, cells cellGroups, styles clipStyles, anchorID uint) (*styleFit, error) {
	sc, err := countStyle(cells, styles)
	if err != nil {
		return nil, err
	}
	return sc.prepare(o, key, anchorID)
}

// fitStyle is prepareStyle with the board's bootstrap alone, as Compute
// runs it.
func fitStyle(o Options, key string, cells cellGroups, styles clipStyles, anchorID uint) (*StyleBoard, error) {
	sf, err := prepareStyle(o, key, cells, styles, anchorID)
	if err != nil || sf == nil {
		return nil, err
	}
	if err := sf.fit.Bootstrap(); err != nil {
		return nil, err
	}
	return sf.board(), nil
}
