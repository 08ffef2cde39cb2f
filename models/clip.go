package models

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"

	"github.com/arena-video/arena/models/media"
)

// CreateClip adds a clip. A clip with Status ClipProcessing gets a queued
// render job in the same transaction; any other is ready, with its bytes
// already stored under c.BlobKey (the demo clips ship canonical). The public
// id is made here and the pool follows from the prompt and the audio track.
// The same uploaded bytes twice is ErrConflict.
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
	if c.Status == "" {
		c.Status, c.Progress = ClipReady, 100
	}
	if c.OriginalKey == "" {
		c.OriginalKey, c.OriginalMIME, c.OriginalSize = c.BlobKey, c.MIME, c.Size
	}
	err := s.db.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(c).Error; err != nil {
			return err
		}
		if c.Status != ClipProcessing {
			return nil
		}
		return tx.Create(&ClipJob{ClipID: c.ID, State: JobQueued}).Error
	})
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
