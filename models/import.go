package models

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// EnsureModel returns the model with the given slug, creating it with name
// when it does not exist yet. It reports whether it created one.
func (s *Store) EnsureModel(ctx context.Context, slug, name string) (Model, bool, error) {
	m, err := s.ModelBySlug(ctx, slug)
	if err == nil {
		return m, false, nil
	}
	if !errors.Is(err, ErrNotFound) {
		return Model{}, false, err
	}
	m = Model{Slug: slug, Name: name}
	if err := ValidateModel(m); err != nil {
		return Model{}, false, err
	}
	if err := s.CreateModel(ctx, &m); err != nil {
		return Model{}, false, err
	}
	return m, true, nil
}

// FindPrompt returns the prompt with exactly this text and modality, the
// oldest when there are several.
func (s *Store) FindPrompt(ctx context.Context, text, modality string) (Prompt, error) {
	var p Prompt
	err := s.db.r.WithContext(ctx).Where("text = ? AND modality = ?", strings.TrimSpace(text), modality).Order("id").Take(&p).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Prompt{}, fmt.Errorf("%w: no %s prompt with this text", ErrNotFound, modality)
	}
	return p, err
}
