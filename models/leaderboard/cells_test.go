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

func TestMergeStyle_MergedEqualCounted(t *testing.T) {
	measured := map[uint]models.ClipStyle{}
	for id := uint(1); id <= 40; id++ {
		measured[id] = models.ClipStyle{float64(id%7) + 1, float64(id%5) * 3, 100 + float64(id%3), 50, float64(id % 2)}
	}
	styles := newClipStyles(measured, nil)
	cell := func(category string, a, b uint, choice string, clipA, clipB uint, n int64) models.VoteCell {
		return models.VoteCell{Pool: "t2v", Category: category, ModelAID: a, ModelBID: b, Choice: choice, ClipAID: clipA, ClipBID: clipB, N: n}
	}
	tests := []struct {
		name  string
		cells cellGroups
	}{
		{"one category", cellGroups{
			{cell("animals", 1, 2, "a", 1, 2, 3), cell("animals", 2, 1, "tie", 3, 4, 1)},
		}},
		{"shared pairs and clips, models only in some", cellGroups{
			{cell("animals", 1, 2, "a", 1, 2, 3), cell("animals", 1, 3, "b", 5, 6, 2), cell("animals", 2, 3, "both_bad", 7, 99, 4)},
			{cell("people", 1, 2, "a", 1, 2, 4), cell("people", 4, 2, "b", 8, 9, 1), cell("people", 3, 1, "a", 10, 11, 5)},
			{cell("scenes", 5, 6, "tie", 99, 98, 2)},
			{cell("sports", 6, 5, "a", 12, 13, 7), cell("sports", 1, 2, "a", 2, 1, 1), cell("sports", 2, 2, "a", 14, 15, 1)},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var parts []*styleCells
			for _, cs := range tt.cells {
				sc, err := countStyle(cellGroups{cs}, styles)
				if err != nil {
					t.Fatal(err)
				}
				parts = append(parts, sc)
			}
			got, err := mergeStyle(parts)
			if err != nil {
				t.Fatal(err)
			}
			want, err := countStyle(tt.cells, styles)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("merged style counts\n%+v\ncounted\n%+v", got, want)
			}
		})
	}
}
