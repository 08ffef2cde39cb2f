package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/arena-video/arena/models"
)

// openStore opens the database a CLI command works on.
func openStore(ctx context.Context, cfg baseConfig) (*models.Store, error) {
	return models.Open(ctx, models.Options{DSN: cfg.DB})
}

// runAdminCreate adds an admin. The password comes from the terminal without
// echo, or from the first line of stdin with --password-stdin; it never
// appears in a flag, where other users could read it from the process list.
func runAdminCreate(ctx context.Context, e env, args []string) error {
	var cfg baseConfig
	fs := flagSet(e, "admin create", "Creates an admin who can sign in at /admin/login. The password is read from the terminal, or from stdin with --password-stdin; it needs at least 12 characters.")
	cfg.register(fs, e)
	username := fs.String("username", "", "the admin's username (required)")
	fromStdin := fs.Bool("password-stdin", false, "read the password from the first line of stdin")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *username == "" {
		return errors.New("--username is required")
	}
	if err := cfg.resolve(); err != nil {
		return err
	}
	pw, err := readNewPassword(e, *fromStdin)
	if err != nil {
		return err
	}
	store, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	if _, err := store.CreateAdmin(ctx, e.actor(), *username, pw); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "created admin %q; sign in at /admin/login\n", *username)
	return nil
}

// readNewPassword reads a new admin password from stdin's first line or,
// asking twice, from the terminal, and checks it is strong enough.
func readNewPassword(e env, fromStdin bool) (string, error) {
	var (
		pw  string
		err error
	)
	if fromStdin {
		pw, err = readPasswordLine(e.stdin)
	} else {
		pw, err = readPasswordTerminal(e)
	}
	if err != nil {
		return "", err
	}
	if err := models.CheckPassword(pw); err != nil {
		return "", errors.New(strings.TrimPrefix(err.Error(), models.ErrInvalidInput.Error()+": "))
	}
	return pw, nil
}

// readPasswordLine reads one line, without its line ending.
func readPasswordLine(r io.Reader) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// readPasswordTerminal asks twice on the terminal, without echo.
func readPasswordTerminal(e env) (string, error) {
	f, ok := e.stdin.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return "", errors.New("stdin is not a terminal: pipe the password in with --password-stdin")
	}
	ask := func(prompt string) (string, error) {
		fmt.Fprint(e.stderr, prompt)
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(e.stderr)
		return string(b), err
	}
	pw, err := ask("Password: ")
	if err != nil {
		return "", fmt.Errorf("read password: %w", err)
	}
	again, err := ask("Repeat the password: ")
	if err != nil {
		return "", fmt.Errorf("read password: %w", err)
	}
	if pw != again {
		return "", errors.New("the passwords differ")
	}
	return pw, nil
}

// demoAdmin is the username --demo creates.
const demoAdmin = "admin"

// ensureDemoAdmin creates the demo admin with a random password when the
// database has no admin yet, and returns the password ("" when it made
// none).
func ensureDemoAdmin(ctx context.Context, by models.Actor, store *models.Store) (string, error) {
	n, err := store.CountAdmins(ctx)
	if err != nil || n > 0 {
		return "", err
	}
	var b [18]byte
	_, _ = rand.Read(b[:])
	pw := base64.RawURLEncoding.EncodeToString(b[:])
	if _, err := store.CreateAdmin(ctx, by, demoAdmin, pw); err != nil {
		return "", err
	}
	return pw, nil
}
