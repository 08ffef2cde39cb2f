package main

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/arena-video/arena/models"
)

// TestAdminAccess_CommandsChangeAccessAndAreAudited walks through passwd,
// logout, disable, enable and token --ttl/--list, and checks each left an
// audit entry saying what changed.
func TestAdminAccess_CommandsChangeAccessAndAreAudited(t *testing.T) {
	dir := t.TempDir()
	arena := func(stdin string, args ...string) string {
		t.Helper()
		code, out, errOut := runArenaIn(t, stdin, append(args[:2:2], append([]string{"--data-dir", dir, "--username", "root"}, args[2:]...)...)...)
		if code != 0 {
			t.Fatalf("arena %s: exit %d: %s", strings.Join(args, " "), code, errOut)
		}
		return out
	}
	arena("long enough password\n", "admin", "create", "--password-stdin")
	st := openTestStore(t, dir)
	ctx := context.Background()
	a, err := st.Authenticate(ctx, "root", "long enough password")
	if err != nil {
		t.Fatal(err)
	}
	sid, _ := st.StartAdminSession(ctx, a.ID, time.Hour)

	if out := arena("a brand new password\n", "admin", "passwd", "--password-stdin"); !strings.Contains(out, "ended 1 session") {
		t.Errorf("passwd: %q", out)
	}
	if _, err := st.AdminBySession(ctx, sid, time.Hour); !errors.Is(err, models.ErrBadCredentials) {
		t.Errorf("session survived passwd: %v", err)
	}
	if _, err := st.Authenticate(ctx, "root", "a brand new password"); err != nil {
		t.Fatalf("new password: %v", err)
	}
	sid, _ = st.StartAdminSession(ctx, a.ID, time.Hour)
	if out := arena("", "admin", "logout"); !strings.Contains(out, "ended 1 session") {
		t.Errorf("logout: %q", out)
	}
	tok := strings.TrimSpace(arena("", "admin", "token", "--ttl", "2d"))
	got, err := st.AdminByToken(ctx, tok)
	if err != nil || got.Username != "root" {
		t.Fatalf("token: %v", err)
	}
	if out := arena("", "admin", "token", "--list"); strings.Count(out, "live") != 1 {
		t.Errorf("token --list: %q", out)
	}
	if out := arena("", "admin", "disable"); !strings.Contains(out, "disabled: false → true") {
		t.Errorf("disable: %q", out)
	}
	if _, err := st.AdminByToken(ctx, tok); !errors.Is(err, models.ErrBadCredentials) {
		t.Errorf("token works after disable: %v", err)
	}
	if out := arena("", "admin", "token", "--list"); !strings.Contains(out, "revoked") {
		t.Errorf("token --list after disable: %q", out)
	}
	arena("", "admin", "enable")
	if code, _, errOut := runArenaIn(t, "", "admin", "token", "--data-dir", dir, "--username", "root", "--ttl", "soon"); code == 0 || !strings.Contains(errOut, "--ttl") {
		t.Errorf("bad --ttl: exit %d %q", code, errOut)
	}

	es, err := st.ListAudit(ctx, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for i := len(es) - 1; i >= 0; i-- {
		actions = append(actions, es[i].Action+" "+es[i].Detail)
		if es[i].Target != "admin:root" || !strings.HasPrefix(es[i].Actor, "cli") {
			t.Errorf("audit entry %+v: want actor cli, target admin:root", es[i])
		}
	}
	want := []string{"admin.create", "admin.passwd", "admin.logout", "admin.token.create", "admin.disable", "admin.enable"}
	if len(actions) != len(want) {
		t.Fatalf("audit = %q, want %q", actions, want)
	}
	for i, w := range want {
		if !strings.HasPrefix(actions[i], w+" ") || !strings.Contains(actions[i], "→") {
			t.Errorf("audit %d = %q, want %s with old → new", i, actions[i], w)
		}
	}
}

func TestParseTTL(t *testing.T) {
	for in, want := range map[string]time.Duration{"90d": 90 * 24 * time.Hour, "36h": 36 * time.Hour, "30m": 30 * time.Minute} {
		if got, err := parseTTL(in); err != nil || got != want {
			t.Errorf("parseTTL(%q) = %v, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "0d", "-1h", "d", "9999d", "soon"} {
		if _, err := parseTTL(in); err == nil {
			t.Errorf("parseTTL(%q) accepted", in)
		}
	}
}
