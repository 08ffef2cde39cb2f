package models

import (
	"context"
	"fmt"
)

// StyleTally counts valid votes between two particular clips with one
// choice: what the style-controlled leaderboard fits, since it needs the
// features of the clips each vote compared.
type StyleTally struct {
	Pool, Category     string
	ModelAID, ModelBID uint
	ClipAID, ClipBID   uint
	Choice             string
	N                  int64
}

// StyleTallies counts valid votes grouped by pool, category, both models,
// both clips and choice. Imported votes, which name no clip, are left out.
func (s *Store) StyleTallies(ctx context.Context, f TallyFilter) ([]StyleTally, error) {
	where, args := f.where("choice IS NOT NULL AND valid = ? AND clip_a_id <> 0 AND clip_b_id <> 0", true)
	const cols = "pool, category, model_a_id, model_b_id, clip_a_id, clip_b_id, choice"
	rows, err := s.db.r.WithContext(ctx).Raw("SELECT "+cols+", count(*) FROM matchups WHERE "+where+
		" GROUP BY "+cols+" ORDER BY "+cols, args...).Rows()
	if err != nil {
		return nil, fmt.Errorf("count votes by clip: %w", err)
	}
	defer rows.Close()
	var out []StyleTally
	var t StyleTally
	for rows.Next() {
		if err := rows.Scan(&t.Pool, &t.Category, &t.ModelAID, &t.ModelBID, &t.ClipAID, &t.ClipBID, &t.Choice, &t.N); err != nil {
			return nil, fmt.Errorf("count votes by clip: %w", err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("count votes by clip: %w", err)
	}
	return out, nil
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
