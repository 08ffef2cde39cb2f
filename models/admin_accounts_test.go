package models

import (
	"context"
	"errors"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"
)

// TestAdminAccess_PasswdDisableSessionsAndTokenExpiry runs on both
// databases: a new password ends sessions; disabling refuses sign-in,
// sessions and tokens; tokens stop at their expiry.
func TestAdminAccess_PasswdDisableSessionsAndTokenExpiry(t *testing.T) {
	ctx := context.Background()
	s, clock := openClocked(t, Options{PasswordCost: bcrypt.MinCost})
	const pw, pw2 = "long enough password", "another long password"
	a, err := s.CreateAdmin(ctx, Actor{Name: "test"}, "root", pw)
	if err != nil {
		t.Fatal(err)
	}
	sid, err := s.StartAdminSession(ctx, a.ID, 12*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	ended, err := s.SetAdminPassword(ctx, "root", pw2)
	if err != nil || ended != 1 {
		t.Fatalf("SetAdminPassword = %d, %v; want 1 session ended", ended, err)
	}
	if _, err := s.AdminBySession(ctx, sid, time.Hour); !errors.Is(err, ErrBadCredentials) {
		t.Errorf("session after a password change: %v", err)
	}
	if _, err := s.Authenticate(ctx, "root", pw); !errors.Is(err, ErrBadCredentials) {
		t.Errorf("old password still works: %v", err)
	}
	if _, err := s.Authenticate(ctx, "root", pw2); err != nil {
		t.Fatalf("new password refused: %v", err)
	}

	tok, row, err := s.CreateAdminTokenTTL(ctx, Actor{Name: "test"}, "root", 48*time.Hour)
	if err != nil || row.ExpiresAt == nil || !row.ExpiresAt.Equal(clock.Now().UTC().Add(48*time.Hour)) {
		t.Fatalf("CreateAdminTokenTTL = %+v, %v", row, err)
	}
	if _, err := s.AdminByToken(ctx, tok); err != nil {
		t.Fatalf("fresh token refused: %v", err)
	}
	clock.Advance(48 * time.Hour)
	if _, err := s.AdminByToken(ctx, tok); !errors.Is(err, ErrBadCredentials) {
		t.Errorf("token past its expiry: %v", err)
	}
	def, err := s.CreateAdminToken(ctx, Actor{Name: "test"}, "root")
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(DefaultTokenTTL - time.Minute)
	if _, err := s.AdminByToken(ctx, def); err != nil {
		t.Errorf("default token refused before %v: %v", DefaultTokenTTL, err)
	}
	live, _, _ := s.CreateAdminTokenTTL(ctx, Actor{Name: "test"}, "root", time.Hour)
	list, err := s.ListAdminTokens(ctx, "root")
	if err != nil || len(list) != 3 || list[0].TokenHash != "" {
		t.Fatalf("ListAdminTokens = %+v, %v; want 3 without hashes", list, err)
	}

	sid, _ = s.StartAdminSession(ctx, a.ID, 12*time.Hour)
	ch, err := s.SetAdminDisabled(ctx, "root", true)
	if err != nil || ch.WasDisabled || !ch.Disabled || ch.SessionsEnded != 1 || ch.TokensRevoked != 3 {
		t.Fatalf("disable = %+v, %v", ch, err)
	}
	if _, err := s.Authenticate(ctx, "root", pw2); !errors.Is(err, ErrBadCredentials) {
		t.Errorf("a disabled admin signs in: %v", err)
	}
	if _, err := s.AdminBySession(ctx, sid, time.Hour); !errors.Is(err, ErrBadCredentials) {
		t.Errorf("a disabled admin's session works: %v", err)
	}
	if _, err := s.AdminByToken(ctx, live); !errors.Is(err, ErrBadCredentials) {
		t.Errorf("a disabled admin's token works: %v", err)
	}
	if _, _, err := s.CreateAdminTokenTTL(ctx, Actor{Name: "test"}, "root", time.Hour); !errors.Is(err, ErrConflict) {
		t.Errorf("token for a disabled admin: %v", err)
	}
	if ch, err := s.SetAdminDisabled(ctx, "root", false); err != nil || !ch.WasDisabled || ch.Disabled {
		t.Fatalf("enable = %+v, %v", ch, err)
	}
	if _, err := s.Authenticate(ctx, "root", pw2); err != nil {
		t.Errorf("re-enabled admin refused: %v", err)
	}
	if _, err := s.AdminByToken(ctx, live); !errors.Is(err, ErrBadCredentials) {
		t.Errorf("a token revoked by disabling came back: %v", err)
	}
	if n, err := s.EndAdminSessions(ctx, "nobody"); !errors.Is(err, ErrNotFound) {
		t.Errorf("EndAdminSessions(nobody) = %d, %v", n, err)
	}
}

func TestValidVoterID_AcceptsDemoAndImportVoters(t *testing.T) {
	for id, want := range map[string]bool{
		NewID():                    true,
		DemoVoter:                  true,
		"import:0123456789abcdef":  true,
		"import:0123456789ABCDEF":  false,
		"import:0123456789abcde":   false,
		"import:../../etc/passwd!": false,
		"demo:other":               false,
		"":                         false,
	} {
		if ValidVoterID(id) != want {
			t.Errorf("ValidVoterID(%q) = %v, want %v", id, !want, want)
		}
	}
}
