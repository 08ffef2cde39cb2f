package models

import (
	"context"
	"testing"
	"time"
)

// TestIssueMatchup_StoresTheVoterWithTheFirstMatchup checks what rides along
// with the matchup's insert (one statement on PostgreSQL, one transaction
// on SQLite): the voter's row with the first matchup, and the trim of
// pending matchups beyond the bound, which leaves maxPending pending.
func TestIssueMatchup_StoresTheVoterWithTheFirstMatchup(t *testing.T) {
	s, clock := openClocked(t, Options{MaxPending: 4}, 4000, 4000, 4000)
	ctx := context.Background()
	voter := NewID()
	for i := range 9 {
		if _, err := s.IssueMatchup(ctx, voter, MatchupFilter{}, nil); err != nil {
			t.Fatalf("matchup %d: %v", i+1, err)
		}
		clock.Advance(time.Millisecond)
		var voters int64
		s.db.r.Model(&Voter{}).Where("id = ?", voter).Count(&voters)
		if voters != 1 {
			t.Fatalf("after matchup %d: %d rows for the voter, want 1", i+1, voters)
		}
	}
	var pending, stored int64
	s.db.r.Model(&Matchup{}).Where("voter_id = ? AND choice IS NULL AND expires_at > ?", voter, s.now()).Count(&pending)
	s.db.r.Model(&Matchup{}).Where("voter_id = ?", voter).Count(&stored)
	// Trims run every trimEvery(4) = 2 matchups: after the 8th the voter
	// held 4 pending, and the 9th adds one.
	if stored != 9 || pending != 5 {
		t.Errorf("%d stored, %d pending; want 9 stored and 5 pending", stored, pending)
	}
}

// TestIssuePool_CommitsWithoutWaitingForTheDisk checks that on PostgreSQL
// matchups are stored on connections with synchronous_commit off while the
// main pool, which records votes, keeps waiting for the flush.
func TestIssuePool_CommitsWithoutWaitingForTheDisk(t *testing.T) {
	s, _ := openClocked(t, Options{})
	if s.db.issue == nil {
		t.Skip("PostgreSQL only: SQLite stores matchups through its batch writer")
	}
	ctx := context.Background()
	var issue, main string
	if err := s.db.issue.QueryRowContext(ctx, `SHOW synchronous_commit`).Scan(&issue); err != nil {
		t.Fatal(err)
	}
	if err := s.db.w.WithContext(ctx).Raw(`SHOW synchronous_commit`).Scan(&main).Error; err != nil {
		t.Fatal(err)
	}
	if issue != "off" || main != "on" {
		t.Errorf("synchronous_commit: %q for matchups, %q for the rest; want off and on", issue, main)
	}
	if _, ok := s.Pools()["issue"]; !ok {
		t.Error(`Pools() has no "issue" pool for its statistics`)
	}
}
