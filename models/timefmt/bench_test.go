package timefmt

import (
	"testing"
	"time"
)

// BenchmarkSQLite compares AppendSQLite with time.Format's interpreter on
// the same layout, for a local and a UTC time:
//
//	go test ./models/timefmt/ -run '^$' -bench .
func BenchmarkSQLite(b *testing.B) {
	for _, tc := range []struct {
		name string
		t    time.Time
	}{{"local", time.Now()}, {"utc", time.Now().UTC()}} {
		b.Run("AppendFormat/"+tc.name, func(b *testing.B) {
			var buf [64]byte
			for b.Loop() {
				_ = tc.t.AppendFormat(buf[:0], SQLiteLayout)
			}
		})
		b.Run("AppendSQLite/"+tc.name, func(b *testing.B) {
			var buf [64]byte
			for b.Loop() {
				_, _ = AppendSQLite(buf[:0], tc.t)
			}
		})
	}
}
