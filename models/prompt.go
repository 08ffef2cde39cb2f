package models

import (
	"context"
	"fmt"
)

// CreatePrompt adds a prompt.
func (s *Store) CreatePrompt(ctx context.Context, p *Prompt) error {
	if p.Modality != ModalityT2V && p.Modality != ModalityI2V {
		return fmt.Errorf("%w: modality must be t2v or i2v", ErrInvalidInput)
	}
	p.Active = true
	if err := s.db.w.WithContext(ctx).Create(p).Error; err != nil {
		return fmt.Errorf("create prompt: %w", err)
	}
	s.invalidate()
	return nil
}
