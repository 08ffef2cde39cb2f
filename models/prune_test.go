package models

import (
	"context"
	"errors"
	"testing"
	"time"
)

// TestPrune_DropsOldUnvotedMatchupsAndEmptyVotersOnly runs on both
// databases: matchups left unvoted past the retention and voters left with
// nothing go; votes (valid or not), their voters and recent skips stay.
func TestPrune_DropsOldUnvotedMatchupsAndEmptyVotersOnly(t *testing.T) {
	ctx := context.Background()
	s, clock := openClocked(t, Options{MatchupTTL: time.Hour}, 5000, 5000)
	idle, voted, late := NewID(), NewID(), NewID()
	for range 3 {
		if _, err := s.IssueMatchup(ctx, idle, MatchupFilter{}, nil); err != nil {
			t.Fatal(err)
		}
	}
	m, _ := s.IssueMatchup(ctx, voted, MatchupFilter{}, nil)
	s.IssueMatchup(ctx, voted, MatchupFilter{}, nil)                   // a skip by a voter who votes
	if _, err := s.RecordVote(ctx, voted, m.ID, ChoiceA); err != nil { // too fast: invalid, and kept
		t.Fatal(err)
	}
	clock.Advance(time.Hour + PruneRetention + time.Minute)
	s.IssueMatchup(ctx, late, MatchupFilter{}, nil) // recent: stays

	res, err := s.Prune(ctx, PruneRetention)
	if err != nil {
		t.Fatal(err)
	}
	if res.Matchups != 4 || res.Voters != 1 {
		t.Fatalf("pruned %+v, want 4 matchups (3 idle, 1 skip) and 1 voter", res)
	}
	if _, err := s.VoterByID(ctx, idle); !errors.Is(err, ErrNotFound) {
		t.Errorf("idle voter: %v, want pruned", err)
	}
	for _, id := range []string{voted, late} {
		if _, err := s.VoterByID(ctx, id); err != nil {
			t.Errorf("voter %s: %v, want kept", id, err)
		}
	}
	counts, _ := s.RowCounts(ctx)
	if counts["matchups"] != 2 {
		t.Errorf("%d matchups left, want the vote and the recent one", counts["matchups"])
	}
	// A pruned voter who comes back is stored again.
	if _, err := s.IssueMatchup(ctx, idle, MatchupFilter{}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.VoterByID(ctx, idle); err != nil {
		t.Errorf("returning voter not stored again: %v", err)
	}
	if res, _ := s.Prune(ctx, PruneRetention); res != (PruneResult{}) {
		t.Errorf("second prune removed %+v", res)
	}
}
