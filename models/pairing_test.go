package models

import (
	"context"
	"fmt"
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

// modelPair names a pair of models, lower id first.
func modelPair(a, b uint) [2]uint { return [2]uint{min(a, b), max(a, b)} }

// skewed strongly favours models 1 and 2 meeting, as pair weights do for a
// close, little-voted pair; the rest sit at the floor.
func skewed(a, b *Clip) float64 {
	if modelPair(a.ModelID, b.ModelID) == modelPair(1, 2) {
		return 100
	}
	return 1
}

func TestPickPair_FollowsWeightsButEveryPairKeepsAppearing(t *testing.T) {
	seen := make(map[[2]uint]int)
	const draws = 20000
	for i := 0; i < draws; i++ {
		a, b, _, _ := pickPair(onePrompt(), nil, skewed, nil)
		if a.ModelID == b.ModelID {
			t.Fatalf("paired model %d with itself", a.ModelID)
		}
		seen[modelPair(a.ModelID, b.ModelID)]++
	}
	if len(seen) != 6 {
		t.Fatalf("only %d of 6 pairs appeared in %d draws: %v", len(seen), draws, seen)
	}
	// 100 of a total weight of 105: about 95%.
	if share := float64(seen[modelPair(1, 2)]) / draws; share < 0.93 || share > 0.97 {
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
		a, b, _, _ := pickPair(prompts, judged, skewed, nil)
		if modelPair(a.ModelID, b.ModelID) != modelPair(3, 4) {
			t.Fatalf("picked models %d and %d though the voter judged them; 3 and 4 remain", a.ModelID, b.ModelID)
		}
	}
	// Everything judged: any pair may come back, weighted.
	judged[pairOf(cs[2].ID, cs[3].ID)] = true
	if a, b, _, _ := pickPair(prompts, judged, skewed, nil); a.ModelID == b.ModelID {
		t.Fatal("no valid pair once everything is judged")
	}
}

func TestPairAt(t *testing.T) {
	for _, n := range []int{2, 3, 4, 7, 100} {
		k := 0
		for i := range n {
			for j := i + 1; j < n; j++ {
				if gi, gj := pairAt(n, k); gi != i || gj != j {
					t.Fatalf("pairAt(%d, %d) = %d, %d; want %d, %d", n, k, gi, gj, i, j)
				}
				k++
			}
		}
	}
}

func TestIssueMatchup_AVoterWhoJudgedEveryPairIsOfferedNewClipsFirst(t *testing.T) {
	s, _ := openClocked(t, Options{}, 5000, 6000)
	ctx := context.Background()
	voter := NewID()
	m, err := s.IssueMatchup(ctx, voter, MatchupFilter{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.RecordVote(ctx, voter, m.ID, "a"); err != nil {
		t.Fatal(err)
	}
	// The only pair is judged: matchups keep coming, from that pair, and
	// the store remembers that nothing is left to prefer.
	for range 3 {
		if _, err := s.IssueMatchup(ctx, voter, MatchupFilter{}, nil); err != nil {
			t.Fatal(err)
		}
	}
	// A new model's clip makes two unjudged pairs: every matchup offers one.
	nm := Model{Slug: "new", Name: "New"}
	if err := s.CreateModel(ctx, &nm); err != nil {
		t.Fatal(err)
	}
	c := Clip{PromptID: m.Prompt.ID, ModelID: nm.ID, SHA256: fmt.Sprintf("%064d", 9), BlobKey: fmt.Sprintf("%064d", 9), MIME: "video/mp4", DurationMS: 5000, Width: 8, Height: 8}
	if err := s.CreateClip(ctx, &c); err != nil {
		t.Fatal(err)
	}
	for range 30 {
		got, err := s.IssueMatchup(ctx, voter, MatchupFilter{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if got.A.ID != c.ID && got.B.ID != c.ID {
			t.Fatalf("offered clips %d and %d, a pair the voter judged, while the new clip %d makes unjudged pairs", got.A.ID, got.B.ID, c.ID)
		}
	}
}
