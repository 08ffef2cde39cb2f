package timefmt

import (
	"testing"
	"time"
)

// TestAppend_AsTimeFormat: both layouts come out as time.Format writes
// them, over zones, fractions and the edges of the years they can carry.
func TestAppend_AsTimeFormat(t *testing.T) {
	at := time.Date(2026, 11, 30, 16, 5, 9, 123456789, time.UTC)
	var times []time.Time
	for _, loc := range []*time.Location{
		time.UTC, time.Local,
		time.FixedZone("east", 5*3600+30*60), time.FixedZone("west", -(3*3600 + 15*60)),
		time.FixedZone("seconds", 3600+30), time.FixedZone("under a minute west", -30),
		time.FixedZone("under a minute east", 59), time.FixedZone("far", -14*3600),
	} {
		for _, t0 := range []time.Time{
			at, at.Truncate(time.Second), at.Truncate(time.Millisecond), at.Truncate(10 * time.Millisecond),
			time.Date(2026, 1, 2, 3, 4, 5, 1, time.UTC), time.Date(2026, 1, 2, 3, 4, 5, 100000000, time.UTC),
			time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC),
			time.Now(),
		} {
			times = append(times, t0.In(loc))
		}
	}
	for _, tm := range times {
		if year := tm.Year(); year < 0 || year > 9999 {
			continue // the zone moved it past an edge
		}
		for _, tc := range []struct {
			layout string
			append func([]byte, time.Time) ([]byte, bool)
		}{
			{time.RFC3339Nano, AppendRFC3339Nano},
			{SQLiteLayout, AppendSQLite},
		} {
			got, ok := tc.append([]byte("x"), tm)
			if want := "x" + tm.Format(tc.layout); !ok || string(got) != want {
				t.Errorf("%v in %q: got %q (ok %v), want %q", tm, tc.layout, got, ok, want)
			}
		}
	}
	for _, year := range []int{-1, 10000} {
		tm := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
		if got, ok := AppendSQLite([]byte("x"), tm); ok || string(got) != "x" {
			t.Errorf("year %d: got %q, ok %v; want nothing appended and false", year, got, ok)
		}
		if got, ok := AppendRFC3339Nano([]byte("x"), tm); ok || string(got) != "x" {
			t.Errorf("year %d: got %q, ok %v; want nothing appended and false", year, got, ok)
		}
	}
}
