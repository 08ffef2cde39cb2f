package leaderboard

import (
	"sort"
	"time"

	"github.com/arena-video/arena/models"
	"github.com/arena-video/arena/models/rating"
)

// RankAmong returns the standings with their ranks recomputed against the
// models counted (those for which counted is true), in rank then score
// order. A row that is not counted (a retired model shown on request) is
// ranked against the counted models and itself, so that showing it never
// moves a counted row. Hidden models must not count: a retired model above
// everyone would otherwise make the visible table start at rank 2.
func RankAmong(sts []Standing, counted func(modelID uint) bool) []Standing {
	out := append([]Standing(nil), sts...)
	var at []int
	var lower, upper []float64
	for i, st := range out {
		if counted(st.ModelID) {
			at = append(at, i)
			lower, upper = append(lower, st.CILower), append(upper, st.CIUpper)
		}
	}
	best, worst := rating.RankIntervals(lower, upper)
	for r, i := range at {
		out[i].Rank, out[i].RankBest, out[i].RankWorst = best[r], best[r], worst[r]
	}
	for i := range out {
		if counted(out[i].ModelID) {
			continue
		}
		lo := append(lower[:len(lower):len(lower)], out[i].CILower)
		hi := append(upper[:len(upper):len(upper)], out[i].CIUpper)
		b, w := rating.RankIntervals(lo, hi)
		out[i].Rank, out[i].RankBest, out[i].RankWorst = b[len(b)-1], b[len(b)-1], w[len(w)-1]
	}
	sort.SliceStable(out, func(a, b int) bool {
		if out[a].Rank != out[b].Rank {
			return out[a].Rank < out[b].Rank
		}
		return out[a].Score > out[b].Score
	})
	return out
}

// ListedAt reports whether a model was listed (not retired) at time t.
// Models retired before retirement times were kept count as retired always.
func ListedAt(m models.Model, t time.Time) bool {
	if m.RetiredAt != nil {
		return m.RetiredAt.After(t)
	}
	return m.Active
}
