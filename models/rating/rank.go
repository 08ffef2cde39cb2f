package rating

// assignRanks ranks the ranked models by their intervals, not their point
// scores, so that two models whose intervals overlap share a rank rather
// than being ordered by noise:
//
//	Rank = RankBest = 1 + #{k : Lower_k > Upper_i}
//	RankWorst       =     #{k : Upper_k >= Lower_i}   (i itself included)
//
// RankBest counts the models that are surely better; RankWorst counts every
// model that might be at least as good, so it is the lowest position the
// intervals allow. Unranked models keep rank 0.
func assignRanks(ms []ModelResult) {
	for i := range ms {
		if !ms[i].Ranked {
			continue
		}
		best, worst := 1, 0
		for k := range ms {
			if !ms[k].Ranked {
				continue
			}
			if ms[k].Lower > ms[i].Upper {
				best++
			}
			if ms[k].Upper >= ms[i].Lower {
				worst++
			}
		}
		ms[i].Rank, ms[i].RankBest, ms[i].RankWorst = best, best, worst
	}
}
