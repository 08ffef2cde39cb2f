package models

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
)

// VoteCell counts valid votes with one choice between two models whose
// clips were the same: what both boards of a leaderboard fit, the raw one
// summing over the clips, the style-controlled one taking the clips'
// features. A live vote names its clips (ClipAID, ClipBID), whose features
// are measured; an imported vote names none (0) but, when it carried them,
// the numbered feature vectors of its clips (StyleAID, StyleBID, 0 when
// it did not; see ImportedClipStyles).
type VoteCell struct {
	Pool, Category     string
	ModelAID, ModelBID uint
	Choice             string
	ClipAID, ClipBID   uint
	StyleAID, StyleBID uint
	N                  int64
}

// VoteCells counts valid votes grouped by pool, category, both models,
// choice, both clips and both imported style vectors, in that order.
func (s *Store) VoteCells(ctx context.Context, f TallyFilter) ([]VoteCell, error) {
	var out []VoteCell
	err := s.EachVoteCells(ctx, f, func(cells []VoteCell) error {
		out = append(out, cells...)
		return nil
	})
	return out, err
}

// EachVoteCells calls fn with the cells of VoteCells, one pool and
// category at a time, in order, as the query yields them: a caller can work
// on one category while the next is counted. Each call gets a slice of its
// own. The query is one pass over the tally index, whose columns these are,
// in this order, with no sort and no table lookup. The rows are scanned by
// hand, and the text columns, which repeat, are kept once each: on a
// million votes the scan costs more than the query.
func (s *Store) EachVoteCells(ctx context.Context, f TallyFilter, fn func([]VoteCell) error) error {
	q, args := voteCellsSQL(f)
	rows, err := s.db.r.WithContext(ctx).Raw(q, args...).Rows()
	if err != nil {
		return fmt.Errorf("count votes by clip: %w", err)
	}
	defer rows.Close()
	var group []VoteCell
	// handOut gives fn the group and starts the next one as large: a
	// pool's categories tend to be alike in size, and growing a group of
	// a million votes' cells by doubling copied it twice over. A group
	// that filled under half its room goes out as a copy, so that a small
	// category does not hold a large array, which the next group reuses.
	handOut := func(last bool) error {
		out := group
		switch {
		case 2*len(group) < cap(group):
			out, group = slices.Clone(group), group[:0]
		case !last:
			group = make([]VoteCell, 0, len(group))
		}
		return fn(out)
	}
	var t VoteCell
	// Into int64 and RawBytes, which database/sql assigns directly; into
	// uint it goes through reflection and text.
	var pool, category, choice sql.RawBytes
	var ma, mb, ca, cb, sa, sb int64
	for rows.Next() {
		if err := rows.Scan(&pool, &category, &ma, &mb, &choice, &ca, &cb, &sa, &sb, &t.N); err != nil {
			return fmt.Errorf("count votes by clip: %w", err)
		}
		t.ModelAID, t.ModelBID, t.ClipAID, t.ClipBID, t.StyleAID, t.StyleBID = uint(ma), uint(mb), uint(ca), uint(cb), uint(sa), uint(sb)
		if string(pool) != t.Pool || string(category) != t.Category {
			if len(group) > 0 {
				if err := handOut(false); err != nil {
					return err
				}
			}
			t.Pool, t.Category = string(pool), string(category)
		}
		if string(choice) != t.Choice {
			t.Choice = string(choice)
		}
		group = append(group, t)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("count votes by clip: %w", err)
	}
	if len(group) > 0 {
		return handOut(true)
	}
	return nil
}

// voteCellsSQL is the query of EachVoteCells.
func voteCellsSQL(f TallyFilter) (string, []any) {
	where, args := f.where("choice IS NOT NULL AND valid = ?", true)
	const cols = "pool, category, model_a_id, model_b_id, choice, clip_a_id, clip_b_id, style_a_id, style_b_id"
	return "SELECT " + cols + ", count(*) FROM matchups WHERE " + where + " GROUP BY " + cols + " ORDER BY " + cols, args
}

// ClipStyle is a measured clip's style features, in the order of
// rating.VideoStyleFeatures: duration in seconds, motion, brightness,
// saturation, and 1 when it has sound.
type ClipStyle [5]float64

// StyleOf returns a clip's style features, or ok false when they have not
// been measured.
func StyleOf(c Clip) (ClipStyle, bool) {
	if !c.FeaturesMeasured {
		return ClipStyle{}, false
	}
	audio := 0.0
	if c.HasAudio {
		audio = 1
	}
	return ClipStyle{float64(c.DurationMS) / 1000, c.Motion, c.Brightness, c.Saturation, audio}, true
}

// MeasuredClipStyles returns the style features of every measured clip by
// id.
func (s *Store) MeasuredClipStyles(ctx context.Context) (map[uint]ClipStyle, error) {
	var clips []Clip
	err := s.db.r.WithContext(ctx).Select("id", "duration_ms", "has_audio", "motion", "brightness", "saturation", "features_measured").
		Where("features_measured = ?", true).Find(&clips).Error
	if err != nil {
		return nil, fmt.Errorf("load clip features: %w", err)
	}
	out := make(map[uint]ClipStyle, len(clips))
	for _, c := range clips {
		out[c.ID], _ = StyleOf(c)
	}
	return out, nil
}

// ImportedClipStyles returns the feature vectors imported votes carried,
// by the number VoteCell.StyleAID and StyleBID give them. A vector never
// changes its number.
func (s *Store) ImportedClipStyles(ctx context.Context) (map[uint]ClipStyle, error) {
	st, err := s.loadImportedClipStyles(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[uint]ClipStyle, len(st.ids))
	for c, id := range st.ids {
		out[uint(id)] = c
	}
	return out, nil
}
