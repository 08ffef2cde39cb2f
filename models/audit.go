package models

import (
	"context"
	"fmt"
)

// Audit records one admin action. Detail is cut to fit its column rather
// than failing the action it describes.
func (s *Store) Audit(ctx context.Context, e AuditEntry) error {
	if e.At.IsZero() {
		e.At = s.now().UTC()
	}
	e.Actor = Truncate(e.Actor, 64)
	e.Action = Truncate(e.Action, 64)
	e.Target = Truncate(e.Target, 256)
	e.Detail = Truncate(e.Detail, 2000)
	e.IP = Truncate(e.IP, 64)
	if err := s.db.w.WithContext(ctx).Create(&e).Error; err != nil {
		return fmt.Errorf("write audit entry: %w", err)
	}
	return nil
}

// ListAudit returns audit entries, newest first: at most limit of them
// (every one when limit <= 0), older than beforeID when it is not 0.
func (s *Store) ListAudit(ctx context.Context, limit int, beforeID uint) ([]AuditEntry, error) {
	q := s.db.r.WithContext(ctx).Order("id DESC")
	if beforeID > 0 {
		q = q.Where("id < ?", beforeID)
	}
	if limit > 0 {
		q = q.Limit(limit)
	}
	var out []AuditEntry
	if err := q.Find(&out).Error; err != nil {
		return nil, fmt.Errorf("list audit entries: %w", err)
	}
	return out, nil
}
