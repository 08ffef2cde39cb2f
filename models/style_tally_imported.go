package models

import (
	"cmp"
	"context"
	"fmt"
	"slices"
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
// features and choice, in that order. Without any such vote it reads no
// vote at all. The rows are counted here rather than by GROUP BY: sorting
// a million joined rows on fifteen columns took the database several times
// longer than reading them.
func (s *Store) ImportedStyleTallies(ctx context.Context, f TallyFilter) ([]ImportedStyleTally, error) {
	var probe []string
	if err := s.db.r.WithContext(ctx).Raw("SELECT matchup_id FROM imported_vote_styles LIMIT 1").Scan(&probe).Error; err != nil {
		return nil, fmt.Errorf("count imported votes by style: %w", err)
	}
	if len(probe) == 0 {
		return nil, nil
	}
	where, args := f.where("choice IS NOT NULL AND valid = ?", true)
	rows, err := s.db.r.WithContext(ctx).Raw("SELECT "+importedStyleCols+" FROM imported_vote_styles JOIN matchups ON id = matchup_id WHERE "+
		where, args...).Rows()
	if err != nil {
		return nil, fmt.Errorf("count imported votes by style: %w", err)
	}
	defer rows.Close()
	index := make(map[ImportedStyleTally]int)
	var out []ImportedStyleTally
	var t ImportedStyleTally
	for rows.Next() {
		a, b := &t.StyleA, &t.StyleB
		if err := rows.Scan(&t.Pool, &t.Category, &t.ModelAID, &t.ModelBID,
			&a[0], &a[1], &a[2], &a[3], &a[4], &b[0], &b[1], &b[2], &b[3], &b[4], &t.Choice); err != nil {
			return nil, fmt.Errorf("count imported votes by style: %w", err)
		}
		if k, ok := index[t]; ok {
			out[k].N++
			continue
		}
		index[t] = len(out)
		t.N = 1
		out = append(out, t)
		t.N = 0
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("count imported votes by style: %w", err)
	}
	slices.SortFunc(out, compareImportedStyleTallies)
	return out, nil
}

// compareImportedStyleTallies orders tallies as ImportedStyleTallies
// returns them, so the boards' fingerprints do not depend on row order.
func compareImportedStyleTallies(x, y ImportedStyleTally) int {
	if c := cmp.Or(cmp.Compare(x.Pool, y.Pool), cmp.Compare(x.Category, y.Category),
		cmp.Compare(x.ModelAID, y.ModelAID), cmp.Compare(x.ModelBID, y.ModelBID)); c != 0 {
		return c
	}
	for f := range x.StyleA {
		if c := cmp.Compare(x.StyleA[f], y.StyleA[f]); c != 0 {
			return c
		}
	}
	for f := range x.StyleB {
		if c := cmp.Compare(x.StyleB[f], y.StyleB[f]); c != 0 {
			return c
		}
	}
	return cmp.Compare(x.Choice, y.Choice)
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
