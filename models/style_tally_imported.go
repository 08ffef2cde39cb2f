package models

import (
	"context"
	"fmt"
)

// ImportedStyleTally counts valid imported votes between two models with
// one choice whose two clips had the same features: what the
// style-controlled leaderboard fits for votes that name no clip.
type ImportedStyleTally struct {
	Pool, Category     string
	ModelAID, ModelBID uint
	StyleA, StyleB     ClipStyle
	Choice             string
	N                  int64
}

const importedStyleCols = "pool, category, model_a_id, model_b_id, " +
	"a_duration_s, a_motion, a_brightness, a_saturation, a_has_audio, " +
	"b_duration_s, b_motion, b_brightness, b_saturation, b_has_audio, choice"

// ImportedStyleTallies counts the valid imported votes that carried their
// clips' features, grouped by pool, category, both models, both sides'
// features and choice. Without any such vote it reads no vote at all.
func (s *Store) ImportedStyleTallies(ctx context.Context, f TallyFilter) ([]ImportedStyleTally, error) {
	var probe []string
	if err := s.db.r.WithContext(ctx).Raw("SELECT matchup_id FROM imported_vote_styles LIMIT 1").Scan(&probe).Error; err != nil {
		return nil, fmt.Errorf("count imported votes by style: %w", err)
	}
	if len(probe) == 0 {
		return nil, nil
	}
	where, args := f.where("choice IS NOT NULL AND valid = ?", true)
	rows, err := s.db.r.WithContext(ctx).Raw("SELECT "+importedStyleCols+", count(*) FROM imported_vote_styles JOIN matchups ON id = matchup_id WHERE "+
		where+" GROUP BY "+importedStyleCols+" ORDER BY "+importedStyleCols, args...).Rows()
	if err != nil {
		return nil, fmt.Errorf("count imported votes by style: %w", err)
	}
	defer rows.Close()
	var out []ImportedStyleTally
	var t ImportedStyleTally
	for rows.Next() {
		a, b := &t.StyleA, &t.StyleB
		if err := rows.Scan(&t.Pool, &t.Category, &t.ModelAID, &t.ModelBID,
			&a[0], &a[1], &a[2], &a[3], &a[4], &b[0], &b[1], &b[2], &b[3], &b[4], &t.Choice, &t.N); err != nil {
			return nil, fmt.Errorf("count imported votes by style: %w", err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("count imported votes by style: %w", err)
	}
	return out, nil
}

// importedVoteStyles returns the stored features of those of the given
// imported votes that carried them, by vote id.
func (s *Store) importedVoteStyles(ctx context.Context, ids []string) (map[string]BattleStyle, error) {
	out := make(map[string]BattleStyle)
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := s.db.r.WithContext(ctx).Raw("SELECT matchup_id, a_duration_s, a_motion, a_brightness, a_saturation, a_has_audio, "+
		"b_duration_s, b_motion, b_brightness, b_saturation, b_has_audio FROM imported_vote_styles WHERE matchup_id IN ?", ids).Rows()
	if err != nil {
		return nil, fmt.Errorf("load imported votes' style: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var a, b ClipStyle
		if err := rows.Scan(&id, &a[0], &a[1], &a[2], &a[3], &a[4], &b[0], &b[1], &b[2], &b[3], &b[4]); err != nil {
			return nil, fmt.Errorf("load imported votes' style: %w", err)
		}
		out[id] = BattleStyle{A: styleFeaturesOf(a), B: styleFeaturesOf(b)}
	}
	return out, rows.Err()
}
