package history

import (
	"reflect"
	"testing"
	"time"
)

func TestBoundaries_EndOfEachStepUpToNow(t *testing.T) {
	day := func(d, h int) time.Time { return time.Date(2026, 6, d, h, 0, 0, 0, time.UTC) }
	tests := []struct {
		name             string
		step             Step
		first, last, now time.Time
		want             []time.Time
	}{
		{"three days", Daily, day(1, 5), day(3, 23), day(20, 0), []time.Time{day(2, 0), day(3, 0), day(4, 0)}},
		{"today is not over", Daily, day(1, 5), day(3, 10), day(3, 12), []time.Time{day(2, 0), day(3, 0)}},
		{"one hour", Hourly, day(1, 5), day(1, 5).Add(59 * time.Minute), day(9, 0), []time.Time{day(1, 6)}},
		{"hours", Hourly, day(1, 22), day(2, 0), day(9, 0), []time.Time{day(1, 23), day(2, 0), day(2, 1)}},
		{"no votes", Daily, day(2, 0), day(1, 0), day(9, 0), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.step.Boundaries(tt.first, tt.last, tt.now); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
	if i := Daily.Index(day(1, 5), day(3, 23)); i != 2 {
		t.Errorf("a vote on day 3 closes with boundary %d, want 2", i)
	}
}

func TestParseStep_RefusesOthers(t *testing.T) {
	for _, s := range []string{"", "weekly", "Daily"} {
		if _, err := ParseStep(s); err == nil {
			t.Errorf("%q accepted", s)
		}
	}
	if s, err := ParseStep("hourly"); err != nil || s.Duration() != time.Hour {
		t.Errorf("hourly: %v %v", s, err)
	}
}

func TestChanges_EntriesAndMoves(t *testing.T) {
	prev := []Row{{1, 1, true}, {2, 2, true}, {3, 2, true}, {4, 3, false}, {5, 4, true}}
	cur := []Row{{2, 1, true}, {1, 2, true}, {3, 2, true}, {4, 3, true}, {6, 5, true}, {7, 6, false}}
	want := []Change{
		{ModelID: 1, Kind: Down, Rank: 2, PrevRank: 1},
		{ModelID: 2, Kind: Up, Rank: 1, PrevRank: 2},
		{ModelID: 4, Kind: Entered, Rank: 3},
		{ModelID: 6, Kind: Entered, Rank: 5},
	}
	if got := Changes(prev, cur); !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	if got := Changes(nil, []Row{{9, 1, true}}); len(got) != 1 || got[0].Kind != Entered {
		t.Errorf("first board: %+v", got)
	}
}

func TestKey_StableAndDistinct(t *testing.T) {
	at := time.Date(2026, 6, 1, 0, 0, 0, 0, time.FixedZone("x", 3600))
	c := Change{ModelID: 3, Kind: Up, Rank: 2, PrevRank: 4}
	if Key("t2v", c, at) != Key("t2v", c, at.UTC()) {
		t.Error("the same instant in another zone gave another key")
	}
	if Key("t2v", c, at) == Key("i2v", c, at) || Key("t2v", c, at) == Key("t2v", Change{ModelID: 3, Kind: Up, Rank: 1, PrevRank: 4}, at) {
		t.Error("different changes share a key")
	}
}
