package leaderboard

import (
	"context"

	"github.com/arena-video/arena/models"
)

// Voter fits a leaderboard per pool from one voter's own valid votes: a
// handful of votes, so it is computed on the fly. votes is their number of
// valid votes over every pool.
func (b *Boards) Voter(ctx context.Context, voterID string) (votes int64, boards []*Leaderboard, err error) {
	if voterID == "" {
		return 0, nil, nil
	}
	ts, err := b.src.VoteTallies(ctx, models.TallyFilter{VoterID: voterID})
	if err != nil {
		return 0, nil, err
	}
	byPool := make(map[string][]models.Tally)
	for _, t := range ts {
		byPool[t.Pool] = append(byPool[t.Pool], t)
		votes += t.N
	}
	var anchor uint
	if len(byPool) > 0 {
		if anchor, err = b.anchorID(ctx); err != nil {
			return 0, nil, err
		}
	}
	for _, p := range models.Pools {
		if len(byPool[p]) == 0 {
			continue
		}
		lb, err := fit(b.opts, p, "", mergeCategories(byPool[p]), anchor, b.src.Now(), false)
		if err != nil {
			return 0, nil, err
		}
		boards = append(boards, lb)
	}
	return votes, boards, nil
}
