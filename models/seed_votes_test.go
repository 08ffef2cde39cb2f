package models

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/arena-video/arena/models/media"
)

// The demo's made-up votes must look like votes cast through the arena:
// real clips of the prompt, two different models, valid, in the past, and
// all four choices among them (cmd/arena checks that they rank every
// demo model).
func TestSeedDemoVotes(t *testing.T) {
	dir := t.TempDir()
	s := openTestStore(t, filepath.Join(dir, "a.db"))
	ctx := context.Background()
	blobs, err := media.NewStore(dir, media.StoreOptions{DisableFFmpeg: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SeedDemo(ctx, blobs); err != nil {
		t.Fatal(err)
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
	if err := s.r.Where("voter_id = ?", DemoVoter).Find(&votes).Error; err != nil {
		t.Fatal(err)
	}
	var clips []Clip
	if err := s.r.Find(&clips).Error; err != nil {
		t.Fatal(err)
	}
	byID := make(map[uint]Clip)
	for _, c := range clips {
		byID[c.ID] = c
	}
	now := time.Now()
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
