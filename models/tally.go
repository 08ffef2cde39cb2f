package models

import (
	"context"
	"fmt"
	"time"
)

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
	where, args := f.where("choice IS NOT NULL AND valid = ?", true)
	const cols = "pool, category, model_a_id, model_b_id, choice"
	rows, err := s.db.r.WithContext(ctx).Raw("SELECT "+cols+", count(*) FROM matchups WHERE "+where+
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

// where narrows a query over matchups by the filter: base and its
// arguments, then one condition a set field.
func (f TallyFilter) where(base string, args ...any) (string, []any) {
	where := base
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
	return where, args
}
