package leaderboard

import (
	"reflect"
	"testing"

	"github.com/arena-video/arena/models"
)

func TestPoolTallies_MergedEqualCounted(t *testing.T) {
	cell := func(category string, a, b uint, choice string, clipA uint, n int64) models.VoteCell {
		return models.VoteCell{Pool: "t2v", Category: category, ModelAID: a, ModelBID: b, Choice: choice, ClipAID: clipA, ClipBID: clipA + 1, N: n}
	}
	tests := []struct {
		name  string
		cells cellGroups
	}{
		{"no cells", nil},
		{"one category", cellGroups{
			{cell("animals", 1, 2, "a", 10, 3), cell("animals", 1, 2, "a", 12, 2), cell("animals", 2, 1, "tie", 14, 1)},
		}},
		{"categories sharing pairs", cellGroups{
			{cell("animals", 1, 2, "a", 10, 3), cell("animals", 1, 3, "b", 12, 2)},
			{cell("people", 1, 2, "a", 20, 4), cell("people", 1, 2, "both_bad", 22, 1), cell("people", 3, 1, "a", 24, 5)},
			{cell("scenes", 1, 3, "b", 30, 7), cell("scenes", 2, 3, "tie", 32, 1)},
		}},
		{"cells without a category", cellGroups{
			{cell("", 1, 2, "a", 40, 2), cell("", 2, 3, "b", 42, 6)},
			{cell("animals", 1, 2, "a", 10, 3), cell("animals", 2, 3, "b", 12, 1)},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var parts []*boardFit
			for _, cs := range tt.cells {
				if cs[0].Category != "" {
					parts = append(parts, &boardFit{tallies: cellTallies(cellGroups{cs})})
				}
			}
			got, want := poolTallies(parts, tt.cells), cellTallies(tt.cells)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("merged tallies\n%v\ncounted\n%v", got, want)
			}
		})
	}
}
