package models

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

func TestCreateAdmin_HashesWithCost12AndChecksInput(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, Options{DSN: filepath.Join(t.TempDir(), "a.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, tc := range []struct{ user, pw string }{
		{"root", "short"},
		{"root", string(make([]byte, 73))},
		{"../root", "long enough password"},
		{"", "long enough password"},
	} {
		if _, err := s.CreateAdmin(ctx, Actor{Name: "test"}, tc.user, tc.pw); !errors.Is(err, ErrInvalidInput) {
			t.Errorf("CreateAdmin(%q, %d chars) = %v, want ErrInvalidInput", tc.user, len(tc.pw), err)
		}
	}
	a, err := s.CreateAdmin(ctx, Actor{Name: "test"}, "root", "long enough password")
	if err != nil {
		t.Fatal(err)
	}
	if cost, err := bcrypt.Cost([]byte(a.PasswordHash)); err != nil || cost < 12 {
		t.Errorf("bcrypt cost %d (%v), want at least 12", cost, err)
	}
	if _, err := s.CreateAdmin(ctx, Actor{Name: "test"}, "root", "another long password"); !errors.Is(err, ErrConflict) {
		t.Errorf("second root = %v, want ErrConflict", err)
	}
	if _, err := s.Authenticate(ctx, "root", "long enough password"); err != nil {
		t.Errorf("right password refused: %v", err)
	}
	for _, tc := range []struct{ user, pw string }{{"root", "wrong password!"}, {"nobody", "long enough password"}} {
		if _, err := s.Authenticate(ctx, tc.user, tc.pw); !errors.Is(err, ErrBadCredentials) {
			t.Errorf("Authenticate(%q) = %v, want ErrBadCredentials", tc.user, err)
		}
	}
}

func TestAdminTokens_StoredHashedAndRevocable(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, Options{DSN: filepath.Join(t.TempDir(), "a.db"), PasswordCost: bcrypt.MinCost})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.CreateAdmin(ctx, Actor{Name: "test"}, "root", "long enough password"); err != nil {
		t.Fatal(err)
	}
	tok, err := s.CreateAdminToken(ctx, Actor{Name: "test"}, "root")
	if err != nil {
		t.Fatal(err)
	}
	var stored []AdminToken
	s.db.r.Find(&stored)
	if len(stored) != 1 || stored[0].TokenHash == tok || stored[0].TokenHash != hashSecret(tok) {
		t.Fatalf("stored %+v: want only the token's hash", stored)
	}
	if a, err := s.AdminByToken(ctx, tok); err != nil || a.Username != "root" {
		t.Fatalf("AdminByToken = %v %v", a, err)
	}
	if _, err := s.AdminByToken(ctx, tok+"x"); !errors.Is(err, ErrBadCredentials) {
		t.Errorf("altered token = %v", err)
	}
	if n, err := s.RevokeAdminTokens(ctx, Actor{Name: "test"}, "root"); err != nil || n != 1 {
		t.Fatalf("revoke = %d %v", n, err)
	}
	if _, err := s.AdminByToken(ctx, tok); !errors.Is(err, ErrBadCredentials) {
		t.Errorf("revoked token = %v", err)
	}
	if _, err := s.CreateAdminToken(ctx, Actor{Name: "test"}, "nobody"); !errors.Is(err, ErrNotFound) {
		t.Errorf("token for nobody = %v", err)
	}
}
