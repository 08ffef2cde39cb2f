package models

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
)

// Each category's cells are handed out as a slice of their own, and the
// counting reuses or sizes its arrays from one category to the next: a
// slice already handed out must never change, whatever the sizes of the
// categories after it.
func TestEachVoteCells_GroupsStayIntact(t *testing.T) {
	s := openTestStore(t, filepath.Join(t.TempDir(), "a.db"))
	ctx := context.Background()
	var in []string
	// Cells a category: a large one, two small ones (under half its
	// size), then large again.
	for c, cells := range map[string]int{"action": 9, "nature": 1, "people": 2, "sci-fi": 8} {
		for k := range cells {
			in = append(in, fmt.Sprintf(`{"model_a":"m%d","model_b":"n%d","winner":"model_a","category":%q,"tstamp":%d}`, k, k, c, 1700000000+k))
		}
	}
	if _, err := s.ImportVotes(ctx, writeLines(t, in...), ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	var groups [][]VoteCell
	var copies [][]VoteCell
	err := s.EachVoteCells(ctx, TallyFilter{}, func(cs []VoteCell) error {
		groups, copies = append(groups, cs), append(copies, slices.Clone(cs))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var sizes []int
	for g, cs := range groups {
		sizes = append(sizes, len(cs))
		if !slices.Equal(cs, copies[g]) {
			t.Errorf("group %d changed after it was handed out: %+v, was %+v", g, cs, copies[g])
		}
		for _, c := range cs {
			if c.Category != cs[0].Category {
				t.Errorf("group %d mixes categories %q and %q", g, cs[0].Category, c.Category)
			}
		}
	}
	if want := []int{9, 1, 2, 8}; !slices.Equal(sizes, want) {
		t.Fatalf("groups of %v cells, want %v", sizes, want)
	}
}
