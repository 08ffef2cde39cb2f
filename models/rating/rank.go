package rating

// assignRanks ranks the ranked models by their intervals, not their point
// scores (see RankIntervals). Unranked models keep rank 0.
func assignRanks(ms []ModelResult) {
	idx := make([]int, 0, len(ms))
	lower := make([]float64, 0, len(ms))
	upper := make([]float64, 0, len(ms))
	for i := range ms {
		if ms[i].Ranked {
			idx = append(idx, i)
			lower, upper = append(lower, ms[i].Lower), append(upper, ms[i].Upper)
		}
	}
	best, worst := RankIntervals(lower, upper)
	for r, i := range idx {
		ms[i].Rank, ms[i].RankBest, ms[i].RankWorst = best[r], best[r], worst[r]
	}
}

// RankIntervals ranks models by their intervals [lower[i], upper[i]]:
//
//	best[i]  = 1 + #{k : lower[k] > upper[i]}
//	worst[i] =     #{k : upper[k] >= lower[i]}   (i itself included)
//
// best counts the models that are surely better, so it is the rank shown;
// worst counts every model that might be at least as good, the lowest
// position the intervals allow. The rule is not "models whose intervals
// overlap share a rank": with A=[10,20], B=[15,25] and C=[21,30], B overlaps
// both, yet A is ranked 2 (C is surely better) and B and C 1. Callers that
// hide some models (retired ones) rank the rows they show, so that the
// hidden ones neither count above a model nor leave a gap at the top.
func RankIntervals(lower, upper []float64) (best, worst []int) {
	best, worst = make([]int, len(lower)), make([]int, len(lower))
	for i := range lower {
		b, w := 1, 0
		for k := range lower {
			if lower[k] > upper[i] {
				b++
			}
			if upper[k] >= lower[i] {
				w++
			}
		}
		best[i], worst[i] = b, w
	}
	return best, worst
}
