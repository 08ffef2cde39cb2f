package models

import (
	"context"
	"fmt"
	"time"
)

// AdminSession is a signed-in browser. The cookie carries a random session
// id; the row holds its SHA-256, so logging out or expiring really ends the
// session even though the cookie itself could be replayed.
type AdminSession struct {
	ID         string `gorm:"primaryKey;size:64"` // sha256 of the session id
	AdminID    uint   `gorm:"not null;index"`
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time // absolute end, however active the session is
}

// StartAdminSession records a new session for the admin and returns its
// random id, for the cookie. It also clears sessions that have ended.
func (s *Store) StartAdminSession(ctx context.Context, adminID uint, maxAge time.Duration) (string, error) {
	now := s.now().UTC()
	sid := NewID() + NewID()
	row := AdminSession{ID: hashSecret(sid), AdminID: adminID, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(maxAge)}
	db := s.db.w.WithContext(ctx)
	if err := db.Create(&row).Error; err != nil {
		return "", fmt.Errorf("start session: %w", err)
	}
	db.Where("expires_at < ?", now).Delete(&AdminSession{}) // housekeeping; failure is harmless
	return sid, nil
}

// sessionTouchEvery bounds how often a busy session's last-seen time is
// written: idle expiry does not need second precision.
const sessionTouchEvery = time.Minute

// AdminBySession returns the admin behind a session id, provided the session
// has not passed its absolute end and was used within idle. Using it slides
// the idle window.
func (s *Store) AdminBySession(ctx context.Context, sid string, idle time.Duration) (Admin, error) {
	if len(sid) != 44 {
		return Admin{}, ErrBadCredentials
	}
	var row AdminSession
	if err := s.db.r.WithContext(ctx).Where("id = ?", hashSecret(sid)).Limit(1).Find(&row).Error; err != nil {
		return Admin{}, fmt.Errorf("load session: %w", err)
	}
	now := s.now().UTC()
	if row.ID == "" || !now.Before(row.ExpiresAt) || now.Sub(row.LastSeenAt) >= idle {
		return Admin{}, ErrBadCredentials
	}
	if now.Sub(row.LastSeenAt) >= sessionTouchEvery {
		if err := s.db.w.WithContext(ctx).Model(&AdminSession{}).Where("id = ?", row.ID).Update("last_seen_at", now).Error; err != nil {
			return Admin{}, fmt.Errorf("touch session: %w", err)
		}
	}
	return s.adminByID(ctx, row.AdminID)
}

// EndAdminSession deletes a session, so its cookie no longer works.
func (s *Store) EndAdminSession(ctx context.Context, sid string) error {
	return s.db.w.WithContext(ctx).Where("id = ?", hashSecret(sid)).Delete(&AdminSession{}).Error
}
