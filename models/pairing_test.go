package models

import (
	"testing"
)

// onePrompt has one clip from each of four models: six pairs.
func onePrompt() []*catalogPrompt {
	var clips []Clip
	for i := uint(1); i <= 4; i++ {
		clips = append(clips, Clip{ID: 10 + i, ModelID: i, Pool: PoolT2V})
	}
	return []*catalogPrompt{{prompt: Prompt{ID: 1}, clips: clips}}
}

// skewed strongly favours models 1 and 2 meeting, as pair weights do for a
// close, little-voted pair; the rest sit at the floor.
func skewed(a, b Clip) float64 {
	if modelPairKey(a.ModelID, b.ModelID) == modelPairKey(1, 2) {
		return 100
	}
	return 1
}

func TestPickPair_FollowsWeightsButEveryPairKeepsAppearing(t *testing.T) {
	seen := make(map[[2]uint]int)
	const draws = 20000
	for i := 0; i < draws; i++ {
		a, b, _ := pickPair(onePrompt(), nil, skewed)
		if a.ModelID == b.ModelID {
			t.Fatalf("paired model %d with itself", a.ModelID)
		}
		seen[modelPairKey(a.ModelID, b.ModelID)]++
	}
	if len(seen) != 6 {
		t.Fatalf("only %d of 6 pairs appeared in %d draws: %v", len(seen), draws, seen)
	}
	// 100 of a total weight of 105: about 95%.
	if share := float64(seen[modelPairKey(1, 2)]) / draws; share < 0.93 || share > 0.97 {
		t.Fatalf("the favoured pair got %.3f of the draws, want about 0.952", share)
	}
}

func TestPickPair_StillPrefersUnjudgedPairs(t *testing.T) {
	prompts := onePrompt()
	judged := make(map[clipPair]bool)
	cs := prompts[0].clips
	for i := range cs {
		for j := i + 1; j < len(cs); j++ {
			if !(cs[i].ModelID == 3 && cs[j].ModelID == 4) {
				judged[pairOf(cs[i].ID, cs[j].ID)] = true
			}
		}
	}
	// The only unjudged pair has the smallest weight: it still wins.
	for i := 0; i < 200; i++ {
		a, b, _ := pickPair(prompts, judged, skewed)
		if modelPairKey(a.ModelID, b.ModelID) != modelPairKey(3, 4) {
			t.Fatalf("picked models %d and %d though the voter judged them; 3 and 4 remain", a.ModelID, b.ModelID)
		}
	}
	// Everything judged: any pair may come back, weighted.
	judged[pairOf(cs[2].ID, cs[3].ID)] = true
	if a, b, _ := pickPair(prompts, judged, skewed); a.ModelID == b.ModelID {
		t.Fatal("no valid pair once everything is judged")
	}
}

func TestPairWeigher_NewModelsGetTheLargestWeight(t *testing.T) {
	s, _ := openClockedStore(t)
	lb := &Leaderboard{Pool: PoolT2V, Standings: []Standing{{ModelID: 1}, {ModelID: 2}, {ModelID: 3}},
		PairWeights: [][]float64{{0, 0.5, 2}, {0.5, 0, 1}, {2, 1, 0}}}
	s.boards.put(boardKey(PoolT2V, ""), newCachedBoard(1, lb, s.now()))
	w := s.pairWeigher(t.Context(), PoolT2V)
	for _, tc := range []struct {
		a, b uint
		want float64
	}{{1, 2, 0.5}, {2, 1, 0.5}, {1, 3, 2}, {2, 3, 1}, {1, 9, 2}, {9, 8, 2}} {
		if got := w(Clip{ModelID: tc.a, Pool: PoolT2V}, Clip{ModelID: tc.b, Pool: PoolT2V}); got != tc.want {
			t.Errorf("weight(%d, %d) = %g, want %g", tc.a, tc.b, got, tc.want)
		}
	}
	if got := w(Clip{ModelID: 1, Pool: PoolI2V}, Clip{ModelID: 2, Pool: PoolI2V}); got != 1 {
		t.Errorf("a pool without a leaderboard weighs %g, want 1 (uniform)", got)
	}
}
