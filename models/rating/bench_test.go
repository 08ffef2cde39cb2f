package rating

import "testing"

// BenchmarkFitBootstrap100Models1MVotes is the ranking math's target: 100
// models, a million votes, 1000 bootstrap rounds, under a second.
func BenchmarkFitBootstrap100Models1MVotes(b *testing.B) {
	c, _ := synthetic(100, 1_000_000, 0.15, 1)
	opts := DefaultOptions()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Compute(c, opts); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFit100Models1MVotes times the fit alone, from a cold start.
func BenchmarkFit100Models1MVotes(b *testing.B) {
	c, _ := synthetic(100, 1_000_000, 0.15, 1)
	opts := DefaultOptions()
	opts.Rounds = 0
	b.ResetTimer()
	for b.Loop() {
		if _, err := Compute(c, opts); err != nil {
			b.Fatal(err)
		}
	}
}
