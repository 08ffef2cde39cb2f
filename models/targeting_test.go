package models

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// simulateGroup runs one group's test for one model over n votes: the
// model is shown with probability pi; an honest group votes on every
// matchup and picks the model with probability p; a targeting one votes
// only when the model is shown (skipping the rest) and always picks it. It
// reports whether the test ever crossed its threshold, and after how many
// votes.
func simulateGroup(rng *rand.Rand, n int, pi, p float64, targeting bool, threshold float64) (bool, int) {
	var llr float64
	votes := 0
	for votes < n {
		present := rng.Float64() < pi
		if targeting && !present {
			continue // skipped
		}
		votes++
		llr += presenceLLR(present, pi)
		if present {
			won := targeting || rng.Float64() < p
			llr += outcomeLLR(won, p)
		}
		if llr >= threshold {
			return true, votes
		}
	}
	return false, votes
}

// TestTargetingTest_FalsePositiveRateIsBounded checks Ville's bound by
// simulation: honest groups (votes following the board) are flagged at most
// alpha of the time, at a loose alpha where the bound can be seen and at
// the one Arena uses, across the pairings a board produces.
func TestTargetingTest_FalsePositiveRateIsBounded(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct {
		alpha, pi, p float64
		groups       int
	}{
		{0.05, 0.4, 0.5, 20000},
		{0.05, 0.4, 0.2, 20000},
		{0.05, 0.2, 0.8, 20000},
		{TargetingFalsePositiveRate, 0.4, 0.3, 20000},
	} {
		threshold := -math.Log(tc.alpha)
		flagged := 0
		for range tc.groups {
			if hit, _ := simulateGroup(rng, 200, tc.pi, tc.p, false, threshold); hit {
				flagged++
			}
		}
		rate := float64(flagged) / float64(tc.groups)
		// The bound is alpha; a binomial draw of 20000 may exceed it by
		// sampling noise, four standard deviations at most.
		slack := 4 * math.Sqrt(tc.alpha*(1-tc.alpha)/float64(tc.groups))
		if rate > tc.alpha+slack {
			t.Errorf("alpha %g, pi %.1f, p %.1f: %d of %d honest groups flagged (%.4f)", tc.alpha, tc.pi, tc.p, flagged, tc.groups, rate)
		}
	}
}

// TestTargetingTest_FindsAFarmQuickly: a script that votes only for the
// model it recognises is flagged within a handful of votes, even for a
// model the board already favours.
func TestTargetingTest_FindsAFarmQuickly(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	threshold := targetThreshold(5)
	for _, p := range []float64{0.2, 0.5, 0.7} {
		hit, votes := simulateGroup(rng, 100, 0.4, p, true, threshold)
		if !hit || votes > 20 {
			t.Errorf("p %.1f: flagged %v after %d votes, want within 20", p, hit, votes)
		}
	}
}

// TestCheckIntegrity_UndoesATargetingVoterAndItsNetwork runs on both
// databases: a voter who votes only when model 0 appears, always for it, is
// flagged with its evidence and loses every vote; honest voters of other
// networks keep theirs; a second pass changes nothing more; and a
// position-bias flag becomes retroactive.
func TestCheckIntegrity_UndoesATargetingVoterAndItsNetwork(t *testing.T) {
	ctx := context.Background()
	s, clock := openClocked(t, Options{}, 4000, 4000, 4000, 4000, 4000)
	rng := rand.New(rand.NewPCG(5, 6))
	addPrompts(t, s, 8)
	var target uint
	cat, _ := s.catalog(ctx)
	for id, m := range cat.models {
		if m.Slug == "m0" {
			target = id
		}
	}
	honest := make([]string, 12)
	for i := range honest {
		honest[i] = NewID()
	}
	farm := NewID()
	vote := func(voter, net string, pick func(m IssuedMatchup) string) {
		m, err := s.IssueMatchupTo(ctx, voter, net, MatchupFilter{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if c := pick(m); c != "" {
			if _, err := s.RecordVote(ctx, voter, m.ID, c); err != nil {
				t.Fatal(err)
			}
		}
	}
	for round := range 60 {
		for i, h := range honest {
			vote(h, "198.51.100."+string(rune('a'+i)), func(IssuedMatchup) string {
				return []string{ChoiceA, ChoiceB, ChoiceA, ChoiceB, ChoiceTie}[rng.IntN(5)]
			})
		}
		if round < 55 {
			vote(farm, "203.0.113.9", func(m IssuedMatchup) string {
				switch target {
				case m.A.ModelID:
					return ChoiceA
				case m.B.ModelID:
					return ChoiceB
				}
				return "" // skip
			})
		}
		clock.Advance(time.Minute)
	}
	rep, err := s.CheckIntegrity(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	groups := map[string]TargetingFlag{}
	for _, f := range rep.Flags {
		groups[f.Group] = f
	}
	fv, ok := groups["voter:"+farm]
	fn := groups["net:203.0.113.9"]
	if !ok || fv.ModelID != target || fv.Invalidated+fn.Invalidated == 0 || fv.Skips == 0 || fv.ModelWins != fv.Decisive {
		t.Fatalf("flags %+v: want the farm voter flagged for m0 with its skips and wins", rep.Flags)
	}
	for g := range groups {
		if g != "voter:"+farm && g != "net:203.0.113.9" {
			t.Errorf("honest group %s flagged", g)
		}
	}
	var farmValid, honestInvalid int64
	s.db.r.Raw(`SELECT COUNT(*) FROM matchups WHERE voter_id = ? AND choice IS NOT NULL AND valid`, farm).Scan(&farmValid)
	s.db.r.Raw(`SELECT COUNT(*) FROM matchups WHERE voter_id <> ? AND choice IS NOT NULL AND NOT valid`, farm).Scan(&honestInvalid)
	if farmValid != 0 || honestInvalid != 0 {
		t.Errorf("after the check: %d farm votes still valid, %d honest votes invalid", farmValid, honestInvalid)
	}
	if v, _ := s.VoterByID(ctx, farm); !v.Flagged || v.FlagReason != ReasonTargeted {
		t.Errorf("farm voter %+v: want flagged as targeted", v)
	}
	stored, err := s.TargetingFlags(ctx, 10)
	if err != nil || len(stored) != len(rep.Flags) || stored[0].Model != "m0" {
		t.Errorf("stored evidence %+v, %v", stored, err)
	}
	rep2, err := s.CheckIntegrity(ctx, nil)
	if err != nil || rep2.Targeted != 0 {
		t.Errorf("second pass undid %d more votes (%v)", rep2.Targeted, err)
	}

	// Position bias: flag one honest voter by hand as the trigger would;
	// the pass invalidates their earlier votes.
	s.db.w.Exec(`UPDATE voters SET flagged = ?, flag_reason = ? WHERE id = ?`, true, ReasonPositionBias, honest[0])
	rep3, err := s.CheckIntegrity(ctx, nil)
	if err != nil || rep3.PositionBias == 0 {
		t.Fatalf("position bias pass: %+v %v", rep3, err)
	}
	var left int64
	s.db.r.Raw(`SELECT COUNT(*) FROM matchups WHERE voter_id = ? AND choice IS NOT NULL AND valid`, honest[0]).Scan(&left)
	if left != 0 {
		t.Errorf("%d earlier votes of a position-bias voter still valid", left)
	}
}

// addPrompts adds n more prompts, each with a clip from every model, so
// voters keep meeting new pairs.
func addPrompts(t *testing.T, s *Store, n int) {
	t.Helper()
	ctx := context.Background()
	ms, err := s.ListModels(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		p := Prompt{Text: fmt.Sprintf("prompt %d", i), Modality: ModalityT2V}
		if err := s.CreatePrompt(ctx, &p); err != nil {
			t.Fatal(err)
		}
		for j, m := range ms {
			sum := fmt.Sprintf("%032d%032d", i+1, j)
			c := Clip{PromptID: p.ID, ModelID: m.ID, SHA256: sum, BlobKey: sum, MIME: "video/mp4", DurationMS: 4000, Width: 8, Height: 8}
			if err := s.CreateClip(ctx, &c); err != nil {
				t.Fatal(err)
			}
		}
	}
	s.invalidate()
}
