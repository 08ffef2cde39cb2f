package models

import (
	"context"
	"testing"
)

// Every domain operation that moves the rankings reports it itself, so the
// pages, the API and the command line cannot differ in asking for a
// recompute; operations that move nothing stay quiet.
func TestRankingChanged_NotedByTheOperationsThatMoveRankings(t *testing.T) {
	ctx := context.Background()
	s, _ := openClocked(t, Options{}, 5000, 6000)
	by := Actor{Name: "test", IP: "192.0.2.1"}
	sum, err := s.ImportVotes(ctx, writeLines(t, `{"model_a":"m0","model_b":"m1","winner":"model_a","tstamp":1700000000}`), ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var clips []Clip
	if err := s.db.r.Order("id").Find(&clips).Error; err != nil || len(clips) == 0 {
		t.Fatalf("no clips (%v)", err)
	}
	clip, prompt := clips[0].PublicID, clips[0].PromptID
	yes, no, name := true, false, "Renamed"
	steps := []struct {
		name   string
		op     func() error
		change bool
	}{
		{"renaming a model", func() error {
			_, err := s.UpdateModel(ctx, by, "m0", ModelPatch{Name: &name})
			return err
		}, false},
		{"retiring a model", func() error {
			_, err := s.UpdateModel(ctx, by, "m0", ModelPatch{Active: &no})
			return err
		}, true},
		{"bringing a model back", func() error {
			_, err := s.UpdateModel(ctx, by, "m0", ModelPatch{Active: &yes})
			return err
		}, true},
		{"retiring a prompt", func() error {
			_, err := s.UpdatePrompt(ctx, by, prompt, PromptPatch{Active: &no})
			return err
		}, true},
		{"deactivating a clip", func() error {
			_, err := s.SetClipActive(ctx, by, clip, false)
			return err
		}, true},
		{"restoring a reported clip", func() error {
			_, err := s.RestoreClip(ctx, by, clip)
			return err
		}, true},
		{"invalidating a voter's votes", func() error {
			_, err := s.InvalidateVoterVotes(ctx, by, sum.VoterID, "spam")
			return err
		}, true},
		{"restoring a voter's votes", func() error {
			_, err := s.RestoreVoterVotes(ctx, by, sum.VoterID, "not spam")
			return err
		}, true},
		{"a failed change", func() error {
			_, err := s.UpdateModel(ctx, by, "no-such-model", ModelPatch{Active: &no})
			if err == nil {
				t.Error("retiring an unknown model succeeded")
			}
			return nil
		}, false},
	}
	for _, st := range steps {
		before := s.RankingChanges()
		if err := st.op(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		var woke bool
		select {
		case <-s.RankingChanged():
			woke = true
		default:
		}
		if got := s.RankingChanges() - before; woke != st.change || (got > 0) != st.change {
			t.Errorf("%s: %d changes noted, woke %v; want a change: %v", st.name, got, woke, st.change)
		}
	}
}

// Restoring a clip is an admin change like any other: the Store audits it,
// whoever asked.
func TestRestoreClip_IsAudited(t *testing.T) {
	ctx := context.Background()
	s, _ := openClocked(t, Options{}, 5000, 6000)
	var clips []Clip
	if err := s.db.r.Order("id").Find(&clips).Error; err != nil || len(clips) == 0 {
		t.Fatalf("no clips (%v)", err)
	}
	if _, err := s.RestoreClip(ctx, Actor{Name: "cli", IP: "local"}, clips[0].PublicID); err != nil {
		t.Fatal(err)
	}
	es, err := s.ListAudit(ctx, 10, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(es) == 0 || es[0].Action != "clip.restore" || es[0].Actor != "cli" || es[0].Target != "clip:"+clips[0].PublicID {
		t.Fatalf("audit log %+v, want a clip.restore by cli first", es)
	}
}
