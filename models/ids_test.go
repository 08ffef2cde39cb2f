package models

import (
	"testing"
	"time"
)

func TestNewMatchupIDSortsByTimeAndKeepsTheIDShape(t *testing.T) {
	times := []time.Time{
		time.Unix(0, 0),
		time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		time.Date(2026, 1, 2, 3, 4, 5, int(time.Millisecond), time.UTC),
		time.Date(2026, 1, 2, 3, 5, 0, 0, time.UTC),
		time.Date(2099, 12, 31, 23, 59, 59, 0, time.UTC),
	}
	prev := ""
	seen := map[string]bool{}
	for _, tm := range times {
		for range 50 {
			id := NewMatchupID(tm)
			if !ValidID(id) {
				t.Fatalf("NewMatchupID(%v) = %q: not an id ValidID accepts", tm, id)
			}
			if seen[id] {
				t.Fatalf("NewMatchupID(%v) repeated %q", tm, id)
			}
			seen[id] = true
			if prev != "" && prev[:7] > id[:7] {
				t.Fatalf("ids out of time order: %q before %q", prev, id)
			}
			prev = id
		}
	}
	// Before 1970 (a test clock, say) still gives a valid id.
	if id := NewMatchupID(time.Unix(-5, 0)); !ValidID(id) {
		t.Fatalf("NewMatchupID before 1970 = %q", id)
	}
}
