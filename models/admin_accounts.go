package models

import (
	"context"
	"fmt"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"
)

// SetAdminPassword replaces the named admin's password and ends all of their
// sessions, so a browser signed in with the old password is signed out. It
// reports how many sessions ended.
func (s *Store) SetAdminPassword(ctx context.Context, username, password string) (int64, error) {
	if err := CheckPassword(password); err != nil {
		return 0, err
	}
	a, err := s.adminByName(ctx, username)
	if err != nil {
		return 0, err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), s.pw.cost)
	if err != nil {
		return 0, fmt.Errorf("hash password: %w", err)
	}
	var ended int64
	err = s.db.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Model(&Admin{}).Where("id = ?", a.ID).Update("password_hash", string(hash)).Error; err != nil {
			return err
		}
		res := tx.Where("admin_id = ?", a.ID).Delete(&AdminSession{})
		ended = res.RowsAffected
		return res.Error
	})
	if err != nil {
		return 0, fmt.Errorf("set password: %w", err)
	}
	return ended, nil
}

// AdminAccessChange says what disabling or enabling an admin changed.
type AdminAccessChange struct {
	WasDisabled, Disabled bool
	SessionsEnded         int64
	TokensRevoked         int64
}

// SetAdminDisabled disables or enables the named admin. Disabling ends
// every session and revokes every live token at once; enabling lets the
// admin sign in again (with new tokens).
func (s *Store) SetAdminDisabled(ctx context.Context, username string, disabled bool) (AdminAccessChange, error) {
	a, err := s.adminByName(ctx, username)
	if err != nil {
		return AdminAccessChange{}, err
	}
	ch := AdminAccessChange{WasDisabled: a.DisabledAt != nil, Disabled: disabled}
	now := s.now().UTC()
	err = s.db.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var at any // NULL enables
		if disabled {
			if a.DisabledAt != nil {
				at = *a.DisabledAt
			} else {
				at = now
			}
		}
		if err := tx.Model(&Admin{}).Where("id = ?", a.ID).Update("disabled_at", at).Error; err != nil {
			return err
		}
		if !disabled {
			return nil
		}
		res := tx.Where("admin_id = ?", a.ID).Delete(&AdminSession{})
		if res.Error != nil {
			return res.Error
		}
		ch.SessionsEnded = res.RowsAffected
		res = tx.Model(&AdminToken{}).Where("admin_id = ? AND revoked_at IS NULL", a.ID).Update("revoked_at", now)
		ch.TokensRevoked = res.RowsAffected
		return res.Error
	})
	if err != nil {
		return AdminAccessChange{}, fmt.Errorf("set admin access: %w", err)
	}
	return ch, nil
}

// EndAdminSessions signs the named admin out everywhere and reports how
// many sessions ended.
func (s *Store) EndAdminSessions(ctx context.Context, username string) (int64, error) {
	a, err := s.adminByName(ctx, username)
	if err != nil {
		return 0, err
	}
	res := s.db.w.WithContext(ctx).Where("admin_id = ?", a.ID).Delete(&AdminSession{})
	if res.Error != nil {
		return 0, fmt.Errorf("end sessions: %w", res.Error)
	}
	return res.RowsAffected, nil
}

// ListAdminTokens returns the named admin's tokens, newest first, revoked
// and expired ones included, without their hashes.
func (s *Store) ListAdminTokens(ctx context.Context, username string) ([]AdminToken, error) {
	a, err := s.adminByName(ctx, username)
	if err != nil {
		return nil, err
	}
	var ts []AdminToken
	err = s.db.r.WithContext(ctx).Select("id, admin_id, created_at, revoked_at, expires_at").
		Where("admin_id = ?", a.ID).Order("created_at DESC, id").Find(&ts).Error
	if err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	return ts, nil
}
