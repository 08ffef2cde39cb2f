package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/arena-video/arena/models"
)

// adminCommand parses the flags every admin command shares (the data dir and
// --username) plus those extra registers, and opens the store.
func adminCommand(ctx context.Context, e env, name, summary string, args []string, extra func(*flag.FlagSet)) (*models.Store, string, error) {
	var cfg baseConfig
	fs := flagSet(e, name, summary)
	cfg.register(fs, e)
	username := fs.String("username", "", "the admin's username (required)")
	if extra != nil {
		extra(fs)
	}
	if err := parse(fs, args); err != nil {
		return nil, "", err
	}
	if *username == "" {
		return nil, "", errors.New("--username is required")
	}
	if err := cfg.resolve(); err != nil {
		return nil, "", err
	}
	store, err := openStore(ctx, cfg)
	return store, *username, err
}

// auditCLI records an action taken from the command line in the audit log,
// as the operating-system user who ran it. Detail says what changed, old →
// new. A failure is reported but does not undo the action.
func auditCLI(ctx context.Context, e env, store *models.Store, action, username, detail string) {
	e.audit(ctx, store, action, "admin:"+username, detail)
}

// runAdminToken prints a new API token for an admin, lists the admin's
// tokens with --list, or revokes them all with --revoke.
func runAdminToken(ctx context.Context, e env, args []string) error {
	var (
		revoke, list bool
		ttlText      string
	)
	store, username, err := adminCommand(ctx, e, "admin token",
		"Prints a new API token for an admin; send it as 'Authorization: Bearer <token>' to /api/v1/admin. Only its hash is stored, so it is shown once. It works for --ttl. --list lists the admin's tokens; --revoke revokes every token of the admin.",
		args, func(fs *flag.FlagSet) {
			fs.BoolVar(&revoke, "revoke", false, "revoke every token of the admin instead of making one")
			fs.BoolVar(&list, "list", false, "list the admin's tokens (id, made, expires, revoked) instead of making one")
			fs.StringVar(&ttlText, "ttl", "90d", "how long the new token works, e.g. 90d, 12h")
		})
	if err != nil {
		return err
	}
	defer store.Close()
	switch {
	case list:
		ts, err := store.ListAdminTokens(ctx, username)
		if err != nil {
			return err
		}
		now := store.Now()
		fmt.Fprintf(e.stdout, "%-22s  %-20s  %-20s  %s\n", "id", "created", "expires", "state")
		for _, t := range ts {
			fmt.Fprintf(e.stdout, "%-22s  %-20s  %-20s  %s\n", t.ID, stamp(&t.CreatedAt), stamp(t.ExpiresAt), tokenState(t, now))
		}
		return nil
	case revoke:
		n, err := store.RevokeAdminTokens(ctx, e.actor(), username)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "revoked %d token(s) of %q\n", n, username)
		return nil
	}
	ttl, err := parseTTL(ttlText)
	if err != nil {
		return err
	}
	tok, row, err := store.CreateAdminTokenTTL(ctx, e.actor(), username, ttl)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, tok)
	fmt.Fprintf(e.stderr, "keep this token secret: it is shown only once; it works until %s\n", stamp(row.ExpiresAt))
	return nil
}

// runAdminPasswd replaces an admin's password (read like admin create's)
// and ends their sessions.
func runAdminPasswd(ctx context.Context, e env, args []string) error {
	var fromStdin bool
	store, username, err := adminCommand(ctx, e, "admin passwd",
		"Changes an admin's password and ends all of their sessions. The password is read from the terminal, or from stdin with --password-stdin; it needs at least 12 characters.",
		args, func(fs *flag.FlagSet) {
			fs.BoolVar(&fromStdin, "password-stdin", false, "read the password from the first line of stdin")
		})
	if err != nil {
		return err
	}
	defer store.Close()
	pw, err := readNewPassword(e, fromStdin)
	if err != nil {
		return err
	}
	ended, err := store.SetAdminPassword(ctx, username, pw)
	if err != nil {
		return err
	}
	auditCLI(ctx, e, store, "admin.passwd", username, fmt.Sprintf("password: old hash → new hash; sessions: %d → 0", ended))
	fmt.Fprintf(e.stdout, "changed the password of %q; ended %d session(s)\n", username, ended)
	return nil
}

// runAdminDisable disables an admin (or enables one again).
func runAdminDisable(disable bool) func(context.Context, env, []string) error {
	name, summary := "admin enable", "Lets a disabled admin sign in again. Tokens revoked when they were disabled stay revoked."
	if disable {
		name, summary = "admin disable", "Disables an admin: they can no longer sign in, their sessions end and their tokens are revoked at once."
	}
	return func(ctx context.Context, e env, args []string) error {
		store, username, err := adminCommand(ctx, e, name, summary, args, nil)
		if err != nil {
			return err
		}
		defer store.Close()
		ch, err := store.SetAdminDisabled(ctx, username, disable)
		if err != nil {
			return err
		}
		detail := fmt.Sprintf("disabled: %t → %t", ch.WasDisabled, ch.Disabled)
		if disable {
			detail += fmt.Sprintf("; sessions: %d → 0; live tokens: %d → 0", ch.SessionsEnded, ch.TokensRevoked)
		}
		auditCLI(ctx, e, store, strings.ReplaceAll(name, " ", "."), username, detail)
		fmt.Fprintf(e.stdout, "%s: %s\n", username, detail)
		return nil
	}
}

// runAdminLogout ends every session of an admin.
func runAdminLogout(ctx context.Context, e env, args []string) error {
	store, username, err := adminCommand(ctx, e, "admin logout", "Ends every session of an admin: each browser must sign in again. Tokens are not touched (see admin token --revoke).", args, nil)
	if err != nil {
		return err
	}
	defer store.Close()
	n, err := store.EndAdminSessions(ctx, username)
	if err != nil {
		return err
	}
	auditCLI(ctx, e, store, "admin.logout", username, fmt.Sprintf("sessions: %d → 0", n))
	fmt.Fprintf(e.stdout, "ended %d session(s) of %q\n", n, username)
	return nil
}

// parseTTL reads a lifetime such as 90d, 36h or 30m.
func parseTTL(s string) (time.Duration, error) {
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err == nil && n > 0 && n <= 3650 {
			return time.Duration(n) * 24 * time.Hour, nil
		}
	} else if d, err := time.ParseDuration(s); err == nil && d > 0 {
		return d, nil
	}
	return 0, fmt.Errorf("--ttl %q: give a positive lifetime such as 90d, 36h or 30m", s)
}

func stamp(t *time.Time) string {
	if t == nil {
		return "never"
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

func tokenState(t models.AdminToken, now time.Time) string {
	switch {
	case t.RevokedAt != nil:
		return "revoked " + stamp(t.RevokedAt)
	case t.ExpiresAt != nil && !now.Before(*t.ExpiresAt):
		return "expired"
	}
	return "live"
}
