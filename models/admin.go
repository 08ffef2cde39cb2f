package models

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"

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

func hashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
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
