package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// Actor is who makes an admin change, as the audit log names them: a
// signed-in admin and the address they came from, or the command line
// (CLIActor).
type Actor struct {
	Name string
	IP   string
}

// CLIActor is the actor of changes made with the arena command: "cli", or
// "cli:<user>" when the operating-system user is known.
func CLIActor(osUser string) Actor {
	if osUser == "" {
		return Actor{Name: "cli", IP: "local"}
	}
	return Actor{Name: "cli:" + osUser, IP: "local"}
}

// Audit records one admin action that is not itself a change made through
// the Store (a sign-in, a requested recompute). Changes the Store makes on
// an actor's behalf write their own entry.
func (s *Store) Audit(ctx context.Context, e AuditEntry) error {
	return s.writeAudit(s.db.w.WithContext(ctx), e)
}

// audit records a change by actor through db, which may be the change's
// own transaction, so the change and its entry commit together.
func (s *Store) audit(db *gorm.DB, a Actor, action, target, detail string) error {
	return s.writeAudit(db, AuditEntry{Actor: a.Name, IP: a.IP, Action: action, Target: target, Detail: detail})
}

// writeAudit stores an entry, its text cut to fit the columns rather than
// failing the action it describes.
func (s *Store) writeAudit(db *gorm.DB, e AuditEntry) error {
	if e.At.IsZero() {
		e.At = s.now().UTC()
	}
	e.Actor = Truncate(e.Actor, 64)
	e.Action = Truncate(e.Action, 64)
	e.Target = Truncate(e.Target, 256)
	e.Detail = Truncate(e.Detail, 2000)
	e.IP = Truncate(e.IP, 64)
	if err := db.Create(&e).Error; err != nil {
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
