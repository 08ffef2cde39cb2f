package models

import (
	"context"
	"math"
	"slices"
	"testing"
	"time"
)

func TestComputePromptHealth(t *testing.T) {
	f := func(x float64) *float64 { return &x }
	cell := func(a, b uint, choice string, n int64) PromptVoteCount {
		return PromptVoteCount{PromptID: 1, ModelAID: a, ModelBID: b, Choice: choice, Valid: true, N: n, Recent: n}
	}
	tests := []struct {
		name  string
		rows  []PromptVoteCount
		want  PromptHealth
		flags []string
	}{
		{name: "no votes", want: PromptHealth{}},
		{
			// Model 1 wins 30 of 40 against model 2: win rates 0.75 and
			// 0.25, spread 0.25, far above the noise sqrt(0.1875/40).
			name: "separating prompt",
			rows: []PromptVoteCount{cell(1, 2, ChoiceA, 20), cell(2, 1, ChoiceB, 10), cell(2, 1, ChoiceA, 10)},
			want: PromptHealth{Votes: 40, TieRate: f(0), BothBadRate: f(0), SkipRate: f(0), PositionBias: f(0.75),
				Discrimination: f(0.25), Noise: f(math.Sqrt(0.1875 / 40)), Models: 2},
		},
		{
			// Evenly split: no spread at all, and mostly both bad.
			name: "flat and mostly both bad",
			rows: []PromptVoteCount{cell(1, 2, ChoiceA, 5), cell(1, 2, ChoiceB, 5), cell(1, 2, ChoiceBothBad, 20),
				cell(1, 2, ChoiceTie, 10), {PromptID: 1, ModelAID: 1, ModelBID: 2, N: 40, Recent: 10}},
			want: PromptHealth{Votes: 40, TieRate: f(0.25), BothBadRate: f(0.5), SkipRate: f(0.2), PositionBias: f(0.5),
				Discrimination: f(0), Noise: f(0.5 / math.Sqrt(40)), Models: 2},
			flags: []string{FlagNoSeparation, FlagMostlyBothBad},
		},
		{
			// Too few votes to judge: rates shown, no flags; model 3 has
			// fewer than DiscriminationMinModelVotes and is left out.
			name: "too few votes to flag",
			rows: []PromptVoteCount{cell(1, 2, ChoiceBothBad, 12), cell(1, 3, ChoiceBothBad, 3)},
			want: PromptHealth{Votes: 15, TieRate: f(0), BothBadRate: f(1), SkipRate: f(0), PositionBias: nil,
				Discrimination: f(0), Noise: f(math.Sqrt(0.25 * (1.0/15 + 1.0/12) / 2)), Models: 2},
		},
		{
			// Invalid votes, and counts of other prompts, do not count.
			name: "invalid and foreign votes ignored",
			rows: []PromptVoteCount{{PromptID: 1, ModelAID: 1, ModelBID: 2, Choice: ChoiceA, N: 50, Recent: 50},
				{PromptID: 9, ModelAID: 1, ModelBID: 2, Choice: ChoiceA, Valid: true, N: 50, Recent: 50}},
			want: PromptHealth{SkipRate: f(0), Models: 0},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ComputePromptHealth([]Prompt{{ID: 1}}, tt.rows)
			if len(got) != 1 {
				t.Fatalf("got %d prompts, want 1", len(got))
			}
			g, w := got[0], tt.want
			if g.Votes != w.Votes || g.Models != w.Models || !slices.Equal(g.Flags, tt.flags) {
				t.Errorf("votes %d models %d flags %v, want %d %d %v", g.Votes, g.Models, g.Flags, w.Votes, w.Models, tt.flags)
			}
			for _, c := range []struct {
				name      string
				got, want *float64
			}{{"tie", g.TieRate, w.TieRate}, {"both bad", g.BothBadRate, w.BothBadRate}, {"skip", g.SkipRate, w.SkipRate},
				{"position", g.PositionBias, w.PositionBias}, {"discrimination", g.Discrimination, w.Discrimination},
				{"noise", g.Noise, w.Noise}} {
				if (c.got == nil) != (c.want == nil) || c.got != nil && math.Abs(*c.got-*c.want) > 1e-12 {
					t.Errorf("%s = %v, want %v", c.name, show(c.got), show(c.want))
				}
			}
		})
	}
}

func show(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

// TestPromptHealthCounts runs the aggregation on the suite's database: votes
// count by outcome, an unvoted matchup counts as skipped only once expired.
func TestPromptHealthCounts(t *testing.T) {
	ctx := context.Background()
	s, clock := openClocked(t, Options{}, 1000, 1000)
	voter := NewID()
	var votes int
	for _, choice := range []string{ChoiceA, ChoiceA, ChoiceB, ChoiceTie, ChoiceBothBad} {
		m, err := s.IssueMatchup(ctx, voter, MatchupFilter{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		clock.Advance(time.Minute) // past the minimum watch time
		if _, err := s.RecordVote(ctx, voter, m.ID, choice); err != nil {
			t.Fatal(err)
		}
		votes++
	}
	if _, err := s.IssueMatchup(ctx, voter, MatchupFilter{}, nil); err != nil {
		t.Fatal(err)
	}
	sum := func() (voted, skipped int64) {
		rows, err := s.PromptHealthCounts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if r.Choice == "" {
				skipped += r.Recent
			} else {
				voted += r.N
			}
		}
		return voted, skipped
	}
	if v, sk := sum(); v != int64(votes) || sk != 0 {
		t.Fatalf("voted %d skipped %d, want %d and 0 while the open matchup is live", v, sk, votes)
	}
	health, err := s.LoadPromptHealth(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var total int64
	for _, h := range health {
		total += h.Votes
	}
	if total != int64(votes) {
		t.Fatalf("prompt health counts %d valid votes, want %d", total, votes)
	}
	clock.Advance(s.rules.ttl + time.Second)
	if v, sk := sum(); v != int64(votes) || sk != 1 {
		t.Fatalf("voted %d skipped %d, want %d and 1 once the open matchup expired", v, sk, votes)
	}
	clock.Advance(PruneRetention)
	if v, sk := sum(); v != int64(votes) || sk != 0 {
		t.Fatalf("voted %d skipped %d, want %d and 0 once the skip left the retention window", v, sk, votes)
	}
}

// An explicit skip counts against its prompt at once, as a skip, not only
// once its matchup would have expired.
func TestPromptHealthCounts_ExplicitSkipCountsAtOnce(t *testing.T) {
	ctx := context.Background()
	s, _ := openClocked(t, Options{}, 1000, 1000)
	voter := NewID()
	for _, reason := range []string{SkipCantDecide, SkipInappropriate} {
		m, err := s.IssueMatchup(ctx, voter, MatchupFilter{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.SkipMatchup(ctx, voter, m.ID, reason, ""); err != nil {
			t.Fatal(err)
		}
	}
	health, err := s.LoadPromptHealth(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var skipped float64
	for _, h := range health {
		if h.SkipRate != nil {
			if *h.SkipRate != 1 {
				t.Errorf("prompt %d: skip rate %v, want 1 (its only matchup was skipped)", h.Prompt.ID, *h.SkipRate)
			}
			skipped++
		}
	}
	if skipped == 0 {
		t.Fatal("no prompt has a skip rate after two skips")
	}
	counts, err := s.SkipCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if counts[SkipCantDecide]+counts[SkipInappropriate] != 2 {
		t.Fatalf("skip counts %v", counts)
	}
}
