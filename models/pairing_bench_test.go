package models

import "testing"

// BenchmarkPickPair100Models draws a pair from prompts with one clip from
// each of 100 models (4,950 pairs a prompt), as each matchup of a catalog
// of 100 models × 500 prompts does, with a weigher that looks its pool up
// as the leaderboard's does.
func BenchmarkPickPair100Models(b *testing.B) {
	const models, prompts = 100, 500
	cps := make([]*catalogPrompt, prompts)
	for p := range cps {
		clips := make([]Clip, models)
		for m := range clips {
			clips[m] = Clip{ID: uint(p*models + m + 1), ModelID: uint(m + 1), PromptID: uint(p + 1), Pool: PoolT2V, BlobKey: "k", MIME: "video/mp4"}
		}
		cps[p] = &catalogPrompt{prompt: Prompt{ID: uint(p + 1)}, clips: clips}
	}
	pools := map[string]float64{PoolT2V: 1}
	weigh := PairWeigher(func(pool string, a, b uint) float64 { return pools[pool] + float64((a*b)%7) })
	judged := map[clipPair]bool{pairOf(1, 2): true}
	var scratch []float64
	for b.Loop() {
		pickPair(cps, judged, weigh.clipWeight, &scratch)
	}
}
