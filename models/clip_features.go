package models

import (
	"context"
	"fmt"

	"github.com/arena-video/arena/models/media"
)

// FeatureMeasurer measures the style features of a stored clip;
// *media.Store is one.
type FeatureMeasurer interface {
	MeasureFeatures(ctx context.Context, key, mime string) (media.Features, error)
}

// SetClipFeatures stores the measured style features of a clip and marks
// it measured, so its votes count on the style-controlled board from the
// next recompute.
func (s *Store) SetClipFeatures(ctx context.Context, clipID uint, f media.Features) error {
	res := s.db.w.WithContext(ctx).Model(&Clip{}).Where("id = ?", clipID).Updates(map[string]any{
		"motion": f.Motion, "brightness": f.Brightness, "saturation": f.Saturation, "features_measured": true,
	})
	if res.Error != nil {
		return fmt.Errorf("store features of clip %d: %w", clipID, res.Error)
	}
	if res.RowsAffected == 0 {
		return fmt.Errorf("%w: clip %d", ErrNotFound, clipID)
	}
	s.invalidate()
	return nil
}

// ClipsToMeasure returns the ready clips whose features have not been
// measured, or every ready clip when all is set, in id order. Features are
// measured on the rendition, what voters see; a clip still processing is
// measured when its rendition is stored.
func (s *Store) ClipsToMeasure(ctx context.Context, all bool) ([]Clip, error) {
	q := s.db.r.WithContext(ctx).Where("status = ?", ClipReady).Order("id")
	if !all {
		q = q.Where("features_measured = ?", false)
	}
	var clips []Clip
	if err := q.Find(&clips).Error; err != nil {
		return nil, fmt.Errorf("list clips to measure: %w", err)
	}
	return clips, nil
}

// MeasureClipFeatures measures clip c with m and stores the result.
func (s *Store) MeasureClipFeatures(ctx context.Context, m FeatureMeasurer, c Clip) (media.Features, error) {
	f, err := m.MeasureFeatures(ctx, c.BlobKey, c.MIME)
	if err != nil {
		return media.Features{}, fmt.Errorf("measure clip %s: %w", c.PublicID, err)
	}
	return f, s.SetClipFeatures(ctx, c.ID, f)
}
