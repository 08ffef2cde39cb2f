package models

import (
	"context"
	"testing"
	"time"
)

func TestMostActiveVoters(t *testing.T) {
	s, clock := openClocked(t, Options{}, 4000, 4000, 4000)
	ctx := context.Background()
	cast := func(voter string, issue, vote int, pick func(m IssuedMatchup) string) map[uint]int64 {
		t.Helper()
		wins := make(map[uint]int64)
		for i := range issue {
			m, err := s.IssueMatchup(ctx, voter, MatchupFilter{}, nil)
			if err != nil {
				t.Fatal(err)
			}
			if i >= vote {
				continue // skipped
			}
			clock.Advance(5 * time.Second)
			choice := pick(m)
			if _, err := s.RecordVote(ctx, voter, m.ID, choice); err != nil {
				t.Fatal(err)
			}
			switch choice {
			case ChoiceA:
				wins[m.A.ModelID]++
			case ChoiceB:
				wins[m.B.ModelID]++
			}
		}
		return wins
	}
	lowerModel := func(m IssuedMatchup) string {
		if m.A.ModelID < m.B.ModelID {
			return ChoiceA
		}
		return ChoiceB
	}
	tie := func(IssuedMatchup) string { return ChoiceTie }

	old := NewID()
	cast(old, 5, 5, tie)
	clock.Advance(48 * time.Hour) // the old voter's votes leave the window
	selective, steady := NewID(), NewID()
	wins := cast(selective, 12, 4, lowerModel)
	cast(steady, 3, 3, tie)

	got, err := s.MostActiveVoters(ctx, 24*time.Hour, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].VoterID != selective || got[1].VoterID != steady {
		t.Fatalf("MostActiveVoters = %+v, want the selective voter then the steady one, not the old one", got)
	}
	var fav uint
	for id, n := range wins {
		if n > wins[fav] || (n == wins[fav] && id < fav) {
			fav = id
		}
	}
	m, err := s.catalog(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name     string
		got      VoterActivity
		want     VoterActivity
		decisive int64
		skipped  float64
		favShare float64
	}{
		{"selective", got[0], VoterActivity{VoterID: selective, Issued: 12, Votes: 4, Valid: 4, Favourite: m.models[fav].Slug, FavouriteWins: wins[fav]},
			4, 8.0 / 12, float64(wins[fav]) / 4},
		{"steady", got[1], VoterActivity{VoterID: steady, Issued: 3, Votes: 3, Valid: 3}, 0, 0, 0},
	}
	for _, tc := range cases {
		g := tc.got
		g.AVotes, g.BVotes = 0, 0 // the sides were random
		if g != tc.want {
			t.Errorf("%s: got %+v, want %+v", tc.name, g, tc.want)
		}
		if tc.got.AVotes+tc.got.BVotes != tc.decisive {
			t.Errorf("%s: %d A and %d B votes, want %d in all", tc.name, tc.got.AVotes, tc.got.BVotes, tc.decisive)
		}
		if d := tc.got.Skipped() - tc.skipped; d > 1e-9 || d < -1e-9 {
			t.Errorf("%s: skipped %v, want %v", tc.name, tc.got.Skipped(), tc.skipped)
		}
		if d := tc.got.FavouriteShare() - tc.favShare; d > 1e-9 || d < -1e-9 {
			t.Errorf("%s: favourite share %v, want %v", tc.name, tc.got.FavouriteShare(), tc.favShare)
		}
	}
}
