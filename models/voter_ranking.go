package models

import "context"

// VoterLeaderboards fits a leaderboard per pool from one voter's own valid
// votes: a handful of votes, so it is computed on the fly. votes is their
// number of valid votes over every pool.
func (s *Store) VoterLeaderboards(ctx context.Context, voterID string) (votes int64, boards []*Leaderboard, err error) {
	if voterID == "" {
		return 0, nil, nil
	}
	ts, err := s.VoteTallies(ctx, TallyFilter{VoterID: voterID})
	if err != nil {
		return 0, nil, err
	}
	byPool := make(map[string][]Tally)
	for _, t := range ts {
		byPool[t.Pool] = append(byPool[t.Pool], t)
		votes += t.N
	}
	for _, p := range Pools {
		if len(byPool[p]) == 0 {
			continue
		}
		lb, err := s.fitLeaderboard(ctx, p, "", mergeCategories(byPool[p]), false)
		if err != nil {
			return 0, nil, err
		}
		boards = append(boards, lb)
	}
	return votes, boards, nil
}
