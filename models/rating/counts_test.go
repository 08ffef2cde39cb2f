package rating

import "testing"

func TestCounts_AddOrientsPairs(t *testing.T) {
	tests := []struct {
		name string
		i, j int
		o    Outcome
		want PairCounts // seen from model 0 against model 1
	}{
		{"A wins as lower index", 0, 1, OutcomeA, PairCounts{Wins: 3}},
		{"B wins as lower index", 0, 1, OutcomeB, PairCounts{Losses: 3}},
		{"A wins as higher index", 1, 0, OutcomeA, PairCounts{Losses: 3}},
		{"B wins as higher index", 1, 0, OutcomeB, PairCounts{Wins: 3}},
		{"tie either way", 1, 0, OutcomeTie, PairCounts{Ties: 3}},
		{"both bad either way", 1, 0, OutcomeBothBad, PairCounts{BothBad: 3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := NewCounts(3)
			if err := c.Add(tt.i, tt.j, tt.o, 3); err != nil {
				t.Fatal(err)
			}
			if got := c.Pair(0, 1); got != tt.want {
				t.Errorf("Pair(0, 1) = %+v, want %+v", got, tt.want)
			}
			if got, want := c.Pair(1, 0), tt.want.flip(); got != want {
				t.Errorf("Pair(1, 0) = %+v, want %+v", got, want)
			}
			if c.Total() != 3 {
				t.Errorf("Total = %d, want 3", c.Total())
			}
		})
	}
}

func TestCounts_AddRefusesBadInput(t *testing.T) {
	tests := []struct {
		name string
		i, j int
		o    Outcome
		n    int64
	}{
		{"self", 1, 1, OutcomeA, 1},
		{"negative index", -1, 1, OutcomeA, 1},
		{"index past end", 0, 3, OutcomeA, 1},
		{"negative count", 0, 1, OutcomeA, -1},
		{"unknown outcome", 0, 1, Outcome(9), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := NewCounts(3)
			if err := c.Add(tt.i, tt.j, tt.o, tt.n); err == nil {
				t.Error("Add accepted it")
			}
			if c.Total() != 0 {
				t.Error("Add recorded votes")
			}
		})
	}
}
