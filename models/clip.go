package models

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"github.com/arena-video/arena/models/media"
)

// CreateClip adds a clip whose bytes are already stored under c.BlobKey. The
// public id is made here and the pool follows from the prompt and the audio
// track. The same uploaded bytes twice is ErrConflict.
func (s *Store) CreateClip(ctx context.Context, c *Clip) error {
	var p Prompt
	if err := s.db.r.WithContext(ctx).Where("id = ?", c.PromptID).Take(&p).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return fmt.Errorf("%w: prompt %d", ErrNotFound, c.PromptID)
		}
		return err
	}
	c.PublicID = NewID()
	c.Pool = PoolOf(p.Modality, c.HasAudio)
	c.Active = true
	err := s.db.w.WithContext(ctx).Create(c).Error
	if isUniqueViolation(err) {
		var existing Clip
		s.db.r.WithContext(ctx).Where("sha256 = ?", c.SHA256).Limit(1).Find(&existing)
		return fmt.Errorf("%w: the same file is already clip %s", ErrConflict, existing.PublicID)
	}
	if err != nil {
		return fmt.Errorf("create clip: %w", err)
	}
	s.invalidate()
	return nil
}

// ClipBySHA256 returns the clip made from the given uploaded bytes.
func (s *Store) ClipBySHA256(ctx context.Context, sum string) (Clip, error) {
	var c Clip
	err := s.db.r.WithContext(ctx).Where("sha256 = ?", sum).Take(&c).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Clip{}, ErrNotFound
	}
	return c, err
}

// isUniqueViolation recognises a unique-constraint failure on SQLite and
// PostgreSQL without importing either driver's error type.
func isUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "UNIQUE constraint failed") || strings.Contains(msg, "duplicate key value")
}

// ClipFromStored fills a Clip's file fields from what the media store kept.
func ClipFromStored(st media.Stored) Clip {
	return Clip{
		SHA256:           st.SHA256,
		BlobKey:          st.Key,
		MIME:             st.Info.MIME,
		Size:             st.Size,
		DurationMS:       st.Info.DurationMS,
		Width:            st.Info.Width,
		Height:           st.Info.Height,
		HasAudio:         st.Info.HasAudio,
		MetadataStripped: st.MetadataStripped,
	}
}
