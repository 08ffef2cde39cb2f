package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// ClipFilter picks the clips an admin list shows; zero fields match every
// clip.
type ClipFilter struct {
	ModelID  uint
	PromptID uint
	Pool     string
	Status   string
	Active   *bool
}

// ClipPage is one page of an admin clip list and the number of clips that
// match the filter on every page.
type ClipPage struct {
	Clips []Clip
	Total int64
}

// ValidClipStatus reports whether s names a clip status.
func ValidClipStatus(s string) bool {
	return s == ClipProcessing || s == ClipReady || s == ClipFailed
}

// notReady is the condition of the partial index idx_clips_status, word for
// word: SQLite uses a partial index only for a query that repeats it.
const notReady = "status <> 'ready'"

// MaxClipPageSize bounds one page of a clip list: a page is rendered whole.
const MaxClipPageSize = 500

// ListClipsPage returns the clips matching f, newest first, skipping offset
// and returning at most limit, with the total that match. Each filter has an
// index led by its column with the id after it (see migrateCatalogIndexes),
// so a page costs a short index walk and the count one index scan even at
// 50,000 clips.
func (s *Store) ListClipsPage(ctx context.Context, f ClipFilter, offset, limit int) (ClipPage, error) {
	if limit <= 0 || limit > MaxClipPageSize || offset < 0 {
		return ClipPage{}, fmt.Errorf("%w: a page holds 1 to %d clips from offset 0 on", ErrInvalidInput, MaxClipPageSize)
	}
	where := func(q *gorm.DB) *gorm.DB {
		if f.ModelID != 0 {
			q = q.Where("model_id = ?", f.ModelID)
		}
		if f.PromptID != 0 {
			q = q.Where("prompt_id = ?", f.PromptID)
		}
		if f.Pool != "" {
			q = q.Where("pool = ?", f.Pool)
		}
		if f.Status != "" && f.Status != ClipReady {
			q = q.Where(notReady+" AND status = ?", f.Status)
		} else if f.Status != "" {
			q = q.Where("status = ?", f.Status)
		}
		if f.Active != nil {
			q = q.Where("active = ?", *f.Active)
		}
		return q
	}
	db := s.db.r.WithContext(ctx)
	var p ClipPage
	if err := where(db.Model(&Clip{})).Count(&p.Total).Error; err != nil {
		return ClipPage{}, fmt.Errorf("count clips: %w", err)
	}
	if int64(offset) >= p.Total {
		return p, nil
	}
	if err := where(db).Order("id DESC").Offset(offset).Limit(limit).Find(&p.Clips).Error; err != nil {
		return ClipPage{}, fmt.Errorf("list clips: %w", err)
	}
	return p, nil
}
