package rating

import (
	"math"
	"math/rand/v2"
	"testing"
)

func weightOf(ws []PairWeight, i, j int) float64 {
	for _, w := range ws {
		if w.I == i && w.J == j {
			return w.Weight
		}
	}
	return math.NaN()
}

func TestPairWeights_KeepFloorAndSumToOne(t *testing.T) {
	scores := []float64{1400, 1000, 990, 600}
	battles := [][]int64{
		{0, 5000, 5000, 5000},
		{5000, 0, 10, 5000},
		{5000, 10, 0, 5000},
		{5000, 5000, 5000, 0},
	}
	for _, floor := range []float64{0, 0.2, 1} {
		ws := PairWeights(scores, battles, floor)
		if len(ws) != 6 {
			t.Fatalf("%d pairs, want 6", len(ws))
		}
		sum := 0.0
		for _, w := range ws {
			sum += w.Weight
			if w.Weight < floor/6-1e-15 {
				t.Errorf("floor %v: pair %d-%d weight %v below the floor share %v", floor, w.I, w.J, w.Weight, floor/6)
			}
		}
		if math.Abs(sum-1) > 1e-12 {
			t.Errorf("floor %v: weights sum to %v", floor, sum)
		}
		if floor == 1 && math.Abs(ws[0].Weight-1.0/6) > 1e-15 {
			t.Errorf("floor 1 is not uniform: %v", ws)
		}
	}
}

func TestPairWeights_PreferCloseLittleSeenAndNewPairs(t *testing.T) {
	scores := []float64{1000, 1010, 1400, 1005, 0}
	b := func(n int64) [][]int64 {
		m := make([][]int64, 5)
		for i := range m {
			m[i] = []int64{n, n, n, n, 0} // model 4 is new
		}
		m[4] = []int64{0, 0, 0, 0, 0}
		return m
	}
	battles := b(1000)
	battles[0][3], battles[3][0] = 10, 10
	ws := PairWeights(scores, battles, DefaultPairFloor)
	if !(weightOf(ws, 0, 1) > weightOf(ws, 0, 2)) {
		t.Error("a close pair does not outweigh a lopsided one with as many votes")
	}
	if !(weightOf(ws, 0, 3) > weightOf(ws, 0, 1)) {
		t.Error("a pair with few votes does not outweigh a well-measured one")
	}
	if !(weightOf(ws, 2, 4) > weightOf(ws, 0, 3)) {
		t.Error("pairs with a new model are not preferred")
	}
}

func TestDrawPair_FollowsWeightsWithinASubset(t *testing.T) {
	subset := []PairWeight{{0, 1, 0.1}, {0, 2, 0.3}, {1, 2, 0}, {2, 3, 0.1}}
	rng := rand.New(rand.NewPCG(1, 1))
	got := map[[2]int]float64{}
	const draws = 200_000
	for range draws {
		p, ok := DrawPair(subset, rng)
		if !ok {
			t.Fatal("no pair drawn")
		}
		got[[2]int{p.I, p.J}]++
	}
	for _, p := range subset {
		want := p.Weight / 0.5
		if share := got[[2]int{p.I, p.J}] / draws; math.Abs(share-want) > 0.01 {
			t.Errorf("pair %d-%d drawn %.3f of the time, want %.3f", p.I, p.J, share, want)
		}
	}
	if _, ok := DrawPair([]PairWeight{{0, 1, 0}}, rng); ok {
		t.Error("drew a pair of weight zero")
	}
	if _, ok := DrawPair(nil, rng); ok {
		t.Error("drew from no pairs")
	}
}

func TestResult_PairWeightsCoverEveryPair(t *testing.T) {
	c, _ := synthetic(5, 1000, 0.15, 4)
	r := mustCompute(t, c, noBootstrap())
	if ws := r.PairWeights(DefaultPairFloor); len(ws) != 10 {
		t.Errorf("%d pairs, want 10", len(ws))
	}
}
