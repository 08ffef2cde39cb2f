package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// migrateRankingIndexes adds the indexes the leaderboard reads through. The
// tally index holds every column the counting query touches, in its GROUP BY
// order, so counting a million votes is one pass over the index with no sort
// and no table lookups. The export index walks valid votes in time order for
// keyset pagination; the snapshot index finds a key's newest snapshot.
func migrateRankingIndexes(tx *gorm.DB) error {
	for _, q := range []string{
		`CREATE INDEX IF NOT EXISTS idx_matchups_tally ON matchups (pool, category, model_a_id, model_b_id, choice, valid) WHERE choice IS NOT NULL`,
		`CREATE INDEX IF NOT EXISTS idx_matchups_export ON matchups (voted_at, id) WHERE choice IS NOT NULL`,
		`CREATE INDEX IF NOT EXISTS idx_snapshots_key_time ON snapshots (key, computed_at)`,
	} {
		if err := tx.Exec(q).Error; err != nil {
			return err
		}
	}
	return nil
}

// Tally is the number of valid votes with one choice between two models, as
// they were shown (model A on the left), in one pool and category.
type Tally struct {
	Pool     string
	Category string
	ModelAID uint
	ModelBID uint
	Choice   string
	N        int64
}

// TallyFilter narrows VoteTallies. Empty fields mean any.
type TallyFilter struct {
	Pool     string
	Category string
	VoterID  string
	// Until, when set, counts only votes cast at or before it.
	Until time.Time
}

// VoteTallies counts valid votes grouped by pool, category, both models and
// choice: one GROUP BY over the tally index, whatever the number of votes.
// The rows are scanned by hand: GORM's reflection cost more than the query
// on a million votes.
func (s *Store) VoteTallies(ctx context.Context, f TallyFilter) ([]Tally, error) {
	where, args := "choice IS NOT NULL AND valid = ?", []any{true}
	if f.Pool != "" {
		where, args = where+" AND pool = ?", append(args, f.Pool)
	}
	if f.Category != "" {
		where, args = where+" AND category = ?", append(args, f.Category)
	}
	if f.VoterID != "" {
		where, args = where+" AND voter_id = ?", append(args, f.VoterID)
	}
	if !f.Until.IsZero() {
		where, args = where+" AND voted_at <= ?", append(args, f.Until.UTC())
	}
	const cols = "pool, category, model_a_id, model_b_id, choice"
	rows, err := s.r.WithContext(ctx).Raw("SELECT "+cols+", count(*) FROM matchups WHERE "+where+
		" GROUP BY "+cols+" ORDER BY "+cols, args...).Rows()
	if err != nil {
		return nil, fmt.Errorf("count votes: %w", err)
	}
	defer rows.Close()
	var out []Tally
	var t Tally
	for rows.Next() {
		if err := rows.Scan(&t.Pool, &t.Category, &t.ModelAID, &t.ModelBID, &t.Choice, &t.N); err != nil {
			return nil, fmt.Errorf("count votes: %w", err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("count votes: %w", err)
	}
	return out, nil
}
