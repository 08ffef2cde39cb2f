package models

import (
	"context"
	"crypto/subtle"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// AdminToken is an API token. Only the SHA-256 of the token is stored, so a
// copy of the database does not hand out working tokens.
type AdminToken struct {
	ID        string `gorm:"primaryKey;size:32"`
	AdminID   uint   `gorm:"not null;index"`
	TokenHash string `gorm:"size:64;not null;uniqueIndex"`
	CreatedAt time.Time
	RevokedAt *time.Time
	// ExpiresAt is when the token stops working (see DefaultTokenTTL).
	ExpiresAt *time.Time
}

// tokenPrefix marks Arena tokens so they are easy to spot in a leaked file.
const tokenPrefix = "arena_"

// DefaultTokenTTL is how long an API token works when its maker names no
// other lifetime.
const DefaultTokenTTL = 90 * 24 * time.Hour

// CreateAdminToken makes a new API token for the named admin, valid for
// DefaultTokenTTL, and returns it. The token is shown once: only its hash is
// kept.
func (s *Store) CreateAdminToken(ctx context.Context, by Actor, username string) (string, error) {
	tok, _, err := s.CreateAdminTokenTTL(ctx, by, username, DefaultTokenTTL)
	return tok, err
}

// CreateAdminTokenTTL makes a new API token for the named admin that works
// for ttl, and returns it with its row (id and expiry, never the token).
func (s *Store) CreateAdminTokenTTL(ctx context.Context, by Actor, username string, ttl time.Duration) (string, AdminToken, error) {
	if ttl <= 0 {
		return "", AdminToken{}, fmt.Errorf("%w: a token's lifetime must be positive", ErrInvalidInput)
	}
	a, err := s.adminByName(ctx, username)
	if err != nil {
		return "", AdminToken{}, err
	}
	if a.DisabledAt != nil {
		return "", AdminToken{}, fmt.Errorf("%w: admin %q is disabled", ErrConflict, username)
	}
	now := s.now().UTC()
	exp := now.Add(ttl)
	token := tokenPrefix + NewID() + NewID() // 256 random bits
	row := AdminToken{ID: NewID(), AdminID: a.ID, TokenHash: hashSecret(token), CreatedAt: now, ExpiresAt: &exp}
	err = s.db.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		return s.audit(tx, by, "admin.token.create", "admin:"+username, fmt.Sprintf("token %s: none → live until %s", row.ID, exp.Format(time.RFC3339)))
	})
	if err != nil {
		return "", AdminToken{}, fmt.Errorf("create token: %w", err)
	}
	row.TokenHash = ""
	return token, row, nil
}

// RevokeAdminTokens revokes every live token of the named admin and reports
// how many there were.
func (s *Store) RevokeAdminTokens(ctx context.Context, by Actor, username string) (int64, error) {
	a, err := s.adminByName(ctx, username)
	if err != nil {
		return 0, err
	}
	var n int64
	err = s.db.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&AdminToken{}).
			Where("admin_id = ? AND revoked_at IS NULL", a.ID).Update("revoked_at", s.now().UTC())
		if res.Error != nil {
			return res.Error
		}
		n = res.RowsAffected
		return s.audit(tx, by, "admin.token.revoke", "admin:"+username, fmt.Sprintf("live tokens: %d → 0", n))
	})
	if err != nil {
		return 0, fmt.Errorf("revoke tokens: %w", err)
	}
	return n, nil
}

// AdminByToken returns the admin a live API token belongs to.
func (s *Store) AdminByToken(ctx context.Context, token string) (Admin, error) {
	if !strings.HasPrefix(token, tokenPrefix) || len(token) > 128 {
		return Admin{}, ErrBadCredentials
	}
	var t AdminToken
	err := s.db.r.WithContext(ctx).Where("token_hash = ? AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)",
		hashSecret(token), s.now().UTC()).Limit(1).Find(&t).Error
	if err != nil {
		return Admin{}, fmt.Errorf("load token: %w", err)
	}
	// The lookup is by hash, so its timing reveals nothing about the token;
	// the comparison below only guards against a lookup that matched loosely.
	if t.ID == "" || subtle.ConstantTimeCompare([]byte(t.TokenHash), []byte(hashSecret(token))) != 1 {
		return Admin{}, ErrBadCredentials
	}
	return s.adminByID(ctx, t.AdminID)
}
