package models

import (
	"context"
	"fmt"
	"testing"
	"time"
)

// The demo's made-up votes must look like votes cast through the arena:
// real clips of the prompt, two different models, valid, in the past, and
// all four choices among them (cmd/arena checks that they rank every
// demo model).
func TestSeedDemoVotes(t *testing.T) {
	// Five models with a clip each for two prompts, one of them with sound:
	// two pools, as the demo has (static.SeedDemo loads the real one).
	s, clock := openClocked(t, Options{}, 4000, 4000, 4000, 4000, 4000)
	ctx := context.Background()
	ms, err := s.ListModels(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p := Prompt{Text: "a dog", Modality: ModalityT2V}
	if err := s.CreatePrompt(ctx, &p); err != nil {
		t.Fatal(err)
	}
	for i, m := range ms {
		c := Clip{PromptID: p.ID, ModelID: m.ID, SHA256: fmt.Sprintf("%063da", i), BlobKey: fmt.Sprintf("%063da", i), MIME: "video/mp4", DurationMS: 4000, Width: 8, Height: 8, HasAudio: true}
		if err := s.CreateClip(ctx, &c); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SeedDemoVotes(ctx, DemoVotes, 1); err != nil {
		t.Fatal(err)
	}
	if n, err := s.CountVotes(ctx); err != nil || n != DemoVotes {
		t.Fatalf("CountVotes = %d, %v; want %d", n, err, DemoVotes)
	}
	if err := s.SeedDemoVotes(ctx, DemoVotes, 1); err == nil {
		t.Fatal("seeding demo votes twice was accepted")
	}

	var votes []Matchup
	if err := s.db.r.Where("voter_id = ?", DemoVoter).Find(&votes).Error; err != nil {
		t.Fatal(err)
	}
	var clips []Clip
	if err := s.db.r.Find(&clips).Error; err != nil {
		t.Fatal(err)
	}
	byID := make(map[uint]Clip)
	for _, c := range clips {
		byID[c.ID] = c
	}
	now := clock.Now()
	choices := make(map[string]int)
	for _, v := range votes {
		a, b := byID[v.ClipAID], byID[v.ClipBID]
		switch {
		case a.ID == 0 || b.ID == 0:
			t.Fatalf("vote %s names clips %d and %d that do not exist", v.ID, v.ClipAID, v.ClipBID)
		case a.PromptID != v.PromptID || b.PromptID != v.PromptID:
			t.Fatalf("vote %s shows clips of another prompt", v.ID)
		case a.ModelID != v.ModelAID || b.ModelID != v.ModelBID || v.ModelAID == v.ModelBID:
			t.Fatalf("vote %s: models %d and %d for clips of %d and %d", v.ID, v.ModelAID, v.ModelBID, a.ModelID, b.ModelID)
		case !v.Valid || v.Choice == nil || v.VotedAt == nil:
			t.Fatalf("vote %s is not a valid cast vote", v.ID)
		case v.VotedAt.After(now) || v.VotedAt.Before(now.Add(-demoSpan-time.Hour)) || !v.IssuedAt.Before(*v.VotedAt):
			t.Fatalf("vote %s issued %v, voted %v", v.ID, v.IssuedAt, *v.VotedAt)
		}
		choices[*v.Choice]++
	}
	for _, c := range []string{ChoiceA, ChoiceB, ChoiceTie, ChoiceBothBad} {
		if choices[c] == 0 {
			t.Errorf("no %s votes among %d", c, len(votes))
		}
	}

}
