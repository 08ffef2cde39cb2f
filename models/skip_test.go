package models

import (
	"context"
	"errors"
	"testing"
)

func TestSkipMatchup(t *testing.T) {
	ctx := context.Background()
	issue := func(t *testing.T, s *Store, voter string) IssuedMatchup {
		t.Helper()
		m, err := s.IssueMatchup(ctx, voter, MatchupFilter{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	t.Run("closes the matchup without a vote", func(t *testing.T) {
		s, _ := openClocked(t, Options{}, 5000, 5000)
		voter := NewID()
		m := issue(t, s, voter)
		if _, err := s.SkipMatchup(ctx, voter, m.ID, SkipCantDecide, ""); err != nil {
			t.Fatal(err)
		}
		var stored Matchup
		s.db.r.Where("id = ?", m.ID).Take(&stored)
		if stored.Choice != nil || stored.Valid || stored.SkipReason != SkipCantDecide || stored.SkippedAt == nil {
			t.Errorf("stored = %+v", stored)
		}
		if _, err := s.RecordVote(ctx, voter, m.ID, ChoiceA); !errors.Is(err, ErrSkipped) {
			t.Errorf("vote after skip = %v, want ErrSkipped", err)
		}
		if _, err := s.SkipMatchup(ctx, voter, m.ID, SkipCantDecide, ""); !errors.Is(err, ErrSkipped) {
			t.Errorf("second skip = %v, want ErrSkipped", err)
		}
		var reports int64
		s.db.r.Model(&ClipReport{}).Count(&reports)
		if reports != 0 {
			t.Errorf("can't decide made %d reports", reports)
		}
		n, _ := s.SkipCounts(ctx)
		if n[SkipCantDecide] != 1 {
			t.Errorf("skip counts = %v", n)
		}
	})
	t.Run("refuses what is not the voter's or not pending", func(t *testing.T) {
		s, _ := openClocked(t, Options{}, 5000, 5000)
		voter := NewID()
		m := issue(t, s, voter)
		if _, err := s.SkipMatchup(ctx, NewID(), m.ID, SkipBroken, ""); !errors.Is(err, ErrNotFound) {
			t.Errorf("another voter = %v, want ErrNotFound", err)
		}
		if _, err := s.SkipMatchup(ctx, voter, m.ID, "bored", ""); !errors.Is(err, ErrInvalidInput) {
			t.Errorf("bad reason = %v", err)
		}
		if _, err := s.SkipMatchup(ctx, voter, m.ID, SkipBroken, "c"); !errors.Is(err, ErrInvalidInput) {
			t.Errorf("bad side = %v", err)
		}
		if _, err := s.RecordVote(ctx, voter, m.ID, ChoiceA); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SkipMatchup(ctx, voter, m.ID, SkipBroken, ""); !errors.Is(err, ErrAlreadyVoted) {
			t.Errorf("skip after vote = %v, want ErrAlreadyVoted", err)
		}
	})
	t.Run("three distinct voters reporting a clip broken withdraw it", func(t *testing.T) {
		s, _ := openClocked(t, Options{}, 5000, 5000)
		var target uint
		report := func(voter string) SkipResult {
			t.Helper()
			m := issue(t, s, voter)
			side := ChoiceA
			if target == 0 {
				target = m.A.ID
			} else if m.B.ID == target {
				side = ChoiceB
			}
			res, err := s.SkipMatchup(ctx, voter, m.ID, SkipBroken, side)
			if err != nil {
				t.Fatal(err)
			}
			return res
		}
		first := NewID()
		report(first)
		report(first) // the same voter again counts once
		if res := report(NewID()); len(res.Withdrawn) != 0 {
			t.Fatalf("withdrawn after two voters: %v", res.Withdrawn)
		}
		res := report(NewID())
		if len(res.Withdrawn) != 1 {
			t.Fatalf("withdrawn after three voters = %v, want the clip", res.Withdrawn)
		}
		if _, err := s.IssueMatchup(ctx, NewID(), MatchupFilter{}, nil); !errors.Is(err, ErrNoMatchup) {
			t.Errorf("a matchup was issued with the withdrawn clip: %v", err)
		}
		reported, err := s.ReportedClips(ctx, 10)
		if err != nil || len(reported) != 1 || !reported[0].Withdrawn || reported[0].Broken != 3 {
			t.Fatalf("reported = %+v %v", reported, err)
		}
		if _, err := s.RestoreClip(ctx, Actor{Name: "test"}, reported[0].PublicID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.IssueMatchup(ctx, NewID(), MatchupFilter{}, nil); err != nil {
			t.Errorf("after restoring, matchup = %v", err)
		}
	})
	t.Run("broken without a side reports both clips", func(t *testing.T) {
		s, _ := openClocked(t, Options{}, 5000, 5000)
		voter := NewID()
		m := issue(t, s, voter)
		if _, err := s.SkipMatchup(ctx, voter, m.ID, SkipBroken, ""); err != nil {
			t.Fatal(err)
		}
		reported, _ := s.ReportedClips(ctx, 10)
		if len(reported) != 2 || reported[0].Broken != 1 || reported[1].Broken != 1 {
			t.Errorf("reported = %+v, want both clips once", reported)
		}
	})
}
