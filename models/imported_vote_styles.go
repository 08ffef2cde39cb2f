package models

import (
	"context"
	"fmt"
)

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
