package rating

import (
	"math"
	"math/rand/v2"
	"reflect"
	"testing"
)

// poolWorld is a pool's style votes and its categories': each category has
// prompts of its own, so its clip pairs are its own; rest votes are the
// pool's alone (a category no board has). A category numbers the models
// in its own order when shuffled, so that some of its sides are the pool's
// seen the other way round.
type poolWorld struct {
	pool  *StyleCounts
	parts []*StyleCounts
	index [][]int // a part's model i is the pool's index[g][i]
}

func newPoolWorld(t *testing.T, parts int, votes, rest int64, shuffled bool, seed uint64) poolWorld {
	t.Helper()
	const models, prompts = 5, 2
	rng := rand.New(rand.NewPCG(seed, 77))
	feats := VideoStyleFeatures()
	// clip[c][m] are model m's clip features for the prompts of group c
	// (a category, or the rest at c = parts).
	clip := make([][][prompts][]float64, parts+1)
	for c := range clip {
		clip[c] = make([][prompts][]float64, models)
		for m := range models {
			for p := range prompts {
				clip[c][m][p] = []float64{1 + 9*rng.Float64(), 255 * rng.Float64(), 255 * rng.Float64(), 255 * rng.Float64(), float64(rng.IntN(2))}
			}
		}
	}
	w := poolWorld{}
	var err error
	if w.pool, err = NewStyleCounts(models, feats); err != nil {
		t.Fatal(err)
	}
	add := func(c int, n int64, part *StyleCounts, index []int) {
		for range n {
			a, b := rng.IntN(models), rng.IntN(models-1)
			if b >= a {
				b++
			}
			p := rng.IntN(prompts)
			o := Outcome(rng.IntN(3))
			fa, fb := clip[c][a][p], clip[c][b][p]
			if err := w.pool.Add(a, b, fa, fb, o, 1); err != nil {
				t.Fatal(err)
			}
			if part != nil {
				inv := make([]int, models)
				for i, pi := range index {
					inv[pi] = i
				}
				if err := part.Add(inv[a], inv[b], fa, fb, o, 1); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	for c := range parts {
		s, err := NewStyleCounts(models, feats)
		if err != nil {
			t.Fatal(err)
		}
		index := []int{0, 1, 2, 3, 4}
		if shuffled {
			rng.Shuffle(models, func(i, j int) { index[i], index[j] = index[j], index[i] })
		}
		add(c, votes, s, index)
		w.parts, w.index = append(w.parts, s), append(w.index, index)
	}
	add(parts, rest, nil, nil)
	return w
}

// fits prepares the world's style fits, each with its own seed.
func (w poolWorld) fits(t *testing.T, workers int) (pool *StyleFit, parts []*StyleFit) {
	t.Helper()
	opts := DefaultOptions()
	opts.Rounds, opts.Workers, opts.Seed = 43, workers, 100
	var err error
	if pool, err = PrepareStyle(w.pool, opts); err != nil {
		t.Fatal(err)
	}
	for g, s := range w.parts {
		opts.Seed = uint64(g + 1)
		f, err := PrepareStyle(s, opts)
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, f)
	}
	return pool, parts
}

// A pool's resample composed from its categories' is multinomial(N, count/N)
// over the pool's cells: every draw has N votes, and each side's total and
// half-wins have the multinomial mean and variance. Categories whose rows
// are the pool's are composed in place ("aligned", which also sums the
// pool's gradient from the categories' draws: it must be the one a pass
// over the composed resample gives); with rest votes, or categories that
// number the models otherwise, the categories' sides are added to the
// pool's ("scattered"). About one category draw in fifteen is drawn afresh,
// and the others undo or add votes, so every path is taken.
func TestStyleComposition_DrawsMultinomial(t *testing.T) {
	tests := map[string]struct {
		rest     int64
		shuffled bool
		aligned  bool
	}{
		"aligned":   {aligned: true},
		"scattered": {rest: 400, shuffled: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			w := newPoolWorld(t, 3, 600, tc.rest, tc.shuffled, 5)
			pool, parts := w.fits(t, 1)
			c := newStyleComposition(pool, parts, w.index)
			if c == nil || c.aligned != tc.aligned {
				t.Fatalf("composition %v, want one aligned %v", c != nil, tc.aligned)
			}
			pd := pool.d
			sides := pd.sides()
			halfWi, total := make([]float64, sides), make([]float64, sides)
			res := make([]float64, len(pd.i))
			half, tot := make([][]float64, len(parts)), make([][]float64, len(parts))
			sinks := make([]residualSink, len(parts))
			for g, f := range parts {
				if c.aligned {
					lo := 2 * c.rowOff[g]
					half[g], tot[g] = halfWi[lo:lo+f.d.sides()], total[lo:lo+f.d.sides()]
					sinks[g] = residualSink{prob: pool.boot.prob[lo : lo+f.d.sides()], res: res[lo/2 : lo/2+f.d.sides()/2]}
				} else {
					half[g], tot[g] = make([]float64, f.d.sides()), make([]float64, f.d.sides())
				}
			}
			recs := make([]drawRecord, len(parts))
			cst := c.newState()
			grad := newBaseGradient(pd, pool.boot.prob)
			got := make([]float64, pd.dim())
			n := float64(w.pool.Total())
			// Each pool side's group: its category, or the rest.
			group := make([]int, sides)
			for v := range group {
				group[v] = len(parts)
			}
			for g, p := range c.parts {
				for _, vp := range p.side {
					if vp >= 0 {
						group[vp] = g
					}
				}
			}
			groupVotes := make([]float64, len(parts)+1)
			for v, cells := range pd.cells {
				groupVotes[group[v]] += float64(cells[0] + cells[1] + cells[2])
			}
			const draws = 30_000
			gt := make([][]float64, len(parts)+1)
			hw := make([][]float64, sides)
			tt := make([][]float64, sides)
			for r := range draws {
				for g, p := range c.parts {
					var sink *residualSink
					if c.aligned {
						sink = &sinks[g]
					}
					src := rand.NewPCG(uint64(r), uint64(g+1))
					p.sampler.drawPairsTo(src, p.sampler.total, half[g], tot[g], nil, &recs[g], sink)
				}
				src := rand.NewPCG(uint64(r), 0)
				if c.aligned {
					diff := c.drawAligned(src, recs, sinks, halfWi, total)
					clear(got)
					pd.residualGradient(res, diff, got)
					grad.of(halfWi, total)
					for a := range got {
						if math.Abs(got[a]-grad.g[a]) > 1e-9*(1+math.Abs(grad.g[a])) {
							t.Fatalf("draw %d, parameter %d: gradient %.12g, pass %.12g", r, a, got[a], grad.g[a])
						}
					}
				} else {
					c.draw(src, cst, half, tot, recs, halfWi, total)
				}
				sum := 0.0
				byGroup := make([]float64, len(parts)+1)
				for v := range sides {
					sum += total[v]
					byGroup[group[v]] += total[v]
					hw[v] = append(hw[v], halfWi[v])
					tt[v] = append(tt[v], total[v])
				}
				if sum != n {
					t.Fatalf("resample has %v votes, want %v", sum, n)
				}
				for g, x := range byGroup {
					gt[g] = append(gt[g], x)
				}
			}
			// The groups' totals are multinomial too: the categories' own
			// totals never vary.
			for g, votes := range groupVotes {
				if votes == 0 {
					continue
				}
				q := votes / n
				i := 0
				mean, variance := moments(draws, func() float64 { i++; return gt[g][i-1] })
				checkMoments(t, draws, mean, variance, n*q, n*q*(1-q))
			}
			for v, cells := range pd.cells {
				pw, pl, pt := float64(cells[0])/n, float64(cells[1])/n, float64(cells[2])/n
				p := pw + pl + pt
				i := 0
				mean, variance := moments(draws, func() float64 { i++; return tt[v][i-1] })
				checkMoments(t, draws, mean, variance, n*p, n*p*(1-p))
				i = 0
				mean, variance = moments(draws, func() float64 { i++; return hw[v][i-1] })
				checkMoments(t, draws, mean, variance, n*(pw+pt/2), n*(pw*(1-pw)+pt*(1-pt)/4-pw*pt))
			}
		})
	}
}

// The boards bootstrapped together give the same intervals on any number of
// workers, and each category the intervals it has bootstrapped alone.
func TestBootstrapStylePool_SameForAnyWorkersAndCategoriesAsAlone(t *testing.T) {
	for name, rest := range map[string]int64{"aligned": 0, "scattered": 300} {
		t.Run(name, func(t *testing.T) {
			w := newPoolWorld(t, 3, 800, rest, false, 9)
			var want []*StyleResult
			for _, workers := range []int{1, 3} {
				pool, parts := w.fits(t, workers)
				if err := BootstrapStylePool(pool, parts, w.index); err != nil {
					t.Fatal(err)
				}
				got := []*StyleResult{pool.Result()}
				for _, f := range parts {
					got = append(got, f.Result())
				}
				if got[0].Rounds != 43 {
					t.Fatalf("pool's rounds %d, want 43", got[0].Rounds)
				}
				if want == nil {
					want = got
					continue
				}
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("%d workers give other results than 1", workers)
				}
			}
			_, parts := w.fits(t, 2)
			for g, f := range parts {
				if err := f.Bootstrap(); err != nil {
					t.Fatal(err)
				}
				if alone := f.Result(); !reflect.DeepEqual(alone, want[g+1]) {
					t.Fatalf("category %d alone: %+v, with its pool: %+v", g, alone.Models, want[g+1].Models)
				}
			}
		})
	}
}

// Boards bootstrapped together need seeds of their own: with one seed the
// categories' draws would move together, and so would the pool's groups.
func TestBootstrapStylePool_RefusesSharedSeeds(t *testing.T) {
	w := newPoolWorld(t, 2, 300, 0, false, 3)
	pool, parts := w.fits(t, 1)
	parts[1].opts.Seed = parts[0].opts.Seed
	if err := BootstrapStylePool(pool, parts, w.index); err == nil {
		t.Fatal("no error for two boards with one seed")
	}
}
