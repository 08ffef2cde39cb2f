package leaderboard

import (
	"context"

	"github.com/arena-video/arena/models"
)

// Scores returns every pool's current scores by model id, for the
// targeted-voting test (models.Store.CheckIntegrity).
func (b *Boards) Scores(ctx context.Context) models.BoardScores {
	out := models.BoardScores{}
	for _, pool := range models.Pools {
		lb, ok, err := b.Get(ctx, pool, "")
		if err != nil || !ok {
			continue
		}
		out[pool] = make(map[uint]float64, len(lb.Standings))
		for _, st := range lb.Standings {
			out[pool][st.ModelID] = st.Score
		}
	}
	return out
}
