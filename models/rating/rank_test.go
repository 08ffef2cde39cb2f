package rating

import "testing"

func TestAssignRanks_CountsModelsSurelyAbove(t *testing.T) {
	type iv struct{ lo, hi float64 }
	tests := []struct {
		name        string
		ivs         []iv
		rank, worst []int
	}{
		{"separate intervals", []iv{{10, 20}, {30, 40}, {50, 60}}, []int{3, 2, 1}, []int{3, 2, 1}},
		{"all overlapping", []iv{{10, 40}, {20, 50}, {30, 60}}, []int{1, 1, 1}, []int{3, 3, 3}},
		{"chain", []iv{{0, 15}, {10, 25}, {20, 35}}, []int{2, 1, 1}, []int{3, 3, 2}},
		{"touching bounds overlap", []iv{{0, 10}, {10, 20}}, []int{1, 1}, []int{2, 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms := make([]ModelResult, len(tt.ivs)+1) // the last one is unranked
			for i, v := range tt.ivs {
				ms[i] = ModelResult{Ranked: true, Lower: v.lo, Upper: v.hi, Score: (v.lo + v.hi) / 2}
			}
			ms[len(tt.ivs)] = ModelResult{Lower: 1e9, Upper: 1e9}
			assignRanks(ms)
			for i := range tt.ivs {
				m := ms[i]
				if m.Rank != tt.rank[i] || m.RankBest != tt.rank[i] || m.RankWorst != tt.worst[i] {
					t.Errorf("model %d: rank %d spread [%d, %d], want %d [%d, %d]",
						i, m.Rank, m.RankBest, m.RankWorst, tt.rank[i], tt.rank[i], tt.worst[i])
				}
			}
			if u := ms[len(tt.ivs)]; u.Rank != 0 || u.RankWorst != 0 {
				t.Errorf("unranked model got rank %d..%d", u.Rank, u.RankWorst)
			}
		})
	}
}

func TestRankIntervals_OverlapIsNotASharedRank(t *testing.T) {
	// A overlaps B and B overlaps C, but C lies wholly above A: A is ranked
	// below C while B, which overlaps both, shares rank 1 with C.
	best, worst := RankIntervals([]float64{10, 15, 21}, []float64{20, 25, 30})
	if want := []int{2, 1, 1}; !equalInts(best, want) {
		t.Errorf("ranks %v, want %v", best, want)
	}
	if want := []int{3, 3, 2}; !equalInts(worst, want) {
		t.Errorf("worst ranks %v, want %v", worst, want)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
