package models

import (
	"context"
	"fmt"
	"time"
)

// PruneRetention is how long an unvoted matchup is kept after it expired,
// and a voter with no matchups left after they were created. Every browser
// without a cookie that opens the arena makes a voter and a matchup; most
// never vote. A week keeps the skips of recent voters for the integrity
// checks (a skip is evidence) and the dashboard's 24-hour view.
const PruneRetention = 7 * 24 * time.Hour

// pruneBatch bounds one delete statement, so pruning a large backlog never
// holds the write lock for long.
const pruneBatch = 5000

// PruneResult counts what one Prune deleted.
type PruneResult struct {
	Matchups, Voters int64
}

// Prune deletes unvoted matchups that expired more than retention ago, then
// voters created more than retention ago who have no matchup left. Votes
// are never deleted, valid or not, and neither is a voter who has one.
func (s *Store) Prune(ctx context.Context, retention time.Duration) (PruneResult, error) {
	var res PruneResult
	cutoff := s.now().UTC().Add(-retention)
	for {
		r := s.db.w.WithContext(ctx).Exec(`DELETE FROM matchups WHERE id IN (
			SELECT id FROM matchups WHERE choice IS NULL AND expires_at < ? LIMIT ?)`, cutoff, pruneBatch)
		if r.Error != nil {
			return res, fmt.Errorf("prune matchups: %w", r.Error)
		}
		res.Matchups += r.RowsAffected
		if r.RowsAffected < pruneBatch {
			break
		}
	}
	for {
		var ids []string
		err := s.db.r.WithContext(ctx).Raw(`SELECT id FROM voters v WHERE created_at < ?
			AND NOT EXISTS (SELECT 1 FROM matchups m WHERE m.voter_id = v.id) LIMIT ?`, cutoff, pruneBatch).Scan(&ids).Error
		if err != nil {
			return res, fmt.Errorf("find voters to prune: %w", err)
		}
		if len(ids) == 0 {
			break
		}
		// The NOT EXISTS is checked again in the delete: a voter who got a
		// matchup meanwhile stays.
		r := s.db.w.WithContext(ctx).Exec(`DELETE FROM voters WHERE id IN ? AND created_at < ?
			AND NOT EXISTS (SELECT 1 FROM matchups m WHERE m.voter_id = voters.id)`, ids, cutoff)
		if r.Error != nil {
			return res, fmt.Errorf("prune voters: %w", r.Error)
		}
		res.Voters += r.RowsAffected
		s.voters.Delete(ids...)
		if len(ids) < pruneBatch {
			break
		}
	}
	return res, nil
}
