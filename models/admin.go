package models

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"
)

// Password rules. bcrypt reads at most 72 bytes, so a longer password would
// silently lose its tail; it is refused instead.
const (
	MinPasswordLen = 12
	maxPasswordLen = 72
	// BcryptCost is the work factor for admin passwords (see
	// Options.PasswordCost).
	BcryptCost = 12
)

// ErrBadCredentials means a username and password, a token or a session do
// not identify an admin. It never says which part was wrong.
var ErrBadCredentials = errors.New("wrong username or password")

// dummyHash12 is compared against when a username does not exist, so a login
// for an unknown name costs the same bcrypt time as one for a real name and
// timing does not reveal which names exist. Its password is never used.
const dummyHash12 = "$2a$12$z4CycwmSlmDFi.Tqb3sDOuvY.wMu5d9bwy9OeabSkgrFsST/vrSPq"

// setPasswordCost sets the bcrypt cost of new passwords and the matching
// dummy hash.
func (s *Store) setPasswordCost(cost int) error {
	if cost == 0 {
		cost = BcryptCost
	}
	if cost < bcrypt.MinCost || cost > bcrypt.MaxCost {
		return fmt.Errorf("password cost %d is outside bcrypt's %d..%d", cost, bcrypt.MinCost, bcrypt.MaxCost)
	}
	s.pw.cost, s.pw.dummyHash = cost, dummyHash12
	if cost != BcryptCost {
		h, err := bcrypt.GenerateFromPassword([]byte("arena-dummy-password-never-used"), cost)
		if err != nil {
			return err
		}
		s.pw.dummyHash = string(h)
	}
	return nil
}

var usernamePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

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

// CheckPassword refuses passwords too short to resist guessing or too long
// for bcrypt.
func CheckPassword(pw string) error {
	if len([]rune(pw)) < MinPasswordLen {
		return fmt.Errorf("%w: the password must have at least %d characters", ErrInvalidInput, MinPasswordLen)
	}
	if len(pw) > maxPasswordLen {
		return fmt.Errorf("%w: the password must be at most %d bytes", ErrInvalidInput, maxPasswordLen)
	}
	return nil
}

// CreateAdmin adds an admin with a bcrypt hash of password. A taken username
// is ErrConflict.
func (s *Store) CreateAdmin(ctx context.Context, by Actor, username, password string) (Admin, error) {
	if !usernamePattern.MatchString(username) {
		return Admin{}, fmt.Errorf("%w: a username has 1 to 64 letters, digits, dots, dashes or underscores", ErrInvalidInput)
	}
	if err := CheckPassword(password); err != nil {
		return Admin{}, err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), s.pw.cost)
	if err != nil {
		return Admin{}, fmt.Errorf("hash password: %w", err)
	}
	a := Admin{Username: username, PasswordHash: string(hash)}
	err = s.db.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&a).Error; err != nil {
			return err
		}
		return s.audit(tx, by, "admin.create", "admin:"+username, "admin: none → created")
	})
	if isUniqueViolation(err) {
		return Admin{}, fmt.Errorf("%w: an admin named %q", ErrConflict, username)
	}
	if err != nil {
		return Admin{}, fmt.Errorf("create admin: %w", err)
	}
	return a, nil
}

// CountAdmins returns how many admins exist.
func (s *Store) CountAdmins(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.r.WithContext(ctx).Model(&Admin{}).Count(&n).Error
	return n, err
}

// Authenticate checks a username and password. Unknown names and wrong
// passwords both get ErrBadCredentials after the same amount of work.
func (s *Store) Authenticate(ctx context.Context, username, password string) (Admin, error) {
	var a Admin
	err := s.db.r.WithContext(ctx).Where("username = ?", username).Limit(1).Find(&a).Error
	if err != nil {
		return Admin{}, fmt.Errorf("load admin: %w", err)
	}
	hash := a.PasswordHash
	if a.ID == 0 {
		hash = s.pw.dummyHash
	}
	if bcrypt.CompareHashAndPassword([]byte(hash), []byte(password)) != nil || a.ID == 0 || a.DisabledAt != nil {
		return Admin{}, ErrBadCredentials
	}
	return a, nil
}

// tokenPrefix marks Arena tokens so they are easy to spot in a leaked file.
const tokenPrefix = "arena_"

func hashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

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

func (s *Store) adminByName(ctx context.Context, username string) (Admin, error) {
	var a Admin
	err := s.db.r.WithContext(ctx).Where("username = ?", username).Take(&a).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Admin{}, fmt.Errorf("%w: no admin named %q", ErrNotFound, username)
	}
	return a, err
}

// adminByID returns an admin who may act: a disabled admin's sessions and
// tokens stop working at once.
func (s *Store) adminByID(ctx context.Context, id uint) (Admin, error) {
	var a Admin
	err := s.db.r.WithContext(ctx).Where("id = ? AND disabled_at IS NULL", id).Take(&a).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Admin{}, ErrBadCredentials
	}
	return a, err
}
