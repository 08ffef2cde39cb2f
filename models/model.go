package models

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"
)

// CreateModel adds a video-generation model. A taken slug is ErrConflict.
func (s *Store) CreateModel(ctx context.Context, m *Model) error {
	m.Active = true
	err := s.db.w.WithContext(ctx).Create(m).Error
	if isUniqueViolation(err) {
		return fmt.Errorf("%w: a model with slug %q", ErrConflict, m.Slug)
	}
	if err != nil {
		return fmt.Errorf("create model %q: %w", m.Slug, err)
	}
	s.invalidate()
	return nil
}

// ModelBySlug returns the model with the given slug.
func (s *Store) ModelBySlug(ctx context.Context, slug string) (Model, error) {
	var m Model
	err := s.db.r.WithContext(ctx).Where("slug = ?", slug).Take(&m).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Model{}, ErrNotFound
	}
	return m, err
}

// ListModels returns every model, active or not, by name.
func (s *Store) ListModels(ctx context.Context) ([]Model, error) {
	var ms []Model
	err := s.db.r.WithContext(ctx).Order("name, id").Find(&ms).Error
	return ms, err
}

// CountModels returns how many models exist.
func (s *Store) CountModels(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.r.WithContext(ctx).Model(&Model{}).Count(&n).Error
	return n, err
}
