// Package testdb gives Arena's store and handler tests a fresh database on
// the backend under test. Every test package that calls Main runs its whole
// suite on SQLite, and when ARENA_TEST_POSTGRES_URL is set, runs it a second
// time on PostgreSQL, each test with a database of its own. One suite, two
// databases, no test written twice.
package testdb

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
)

// URLEnv names the environment variable holding a PostgreSQL URL whose user
// may create databases, e.g.
// postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable.
const URLEnv = "ARENA_TEST_POSTGRES_URL"

// backendEnv tells a re-executed test binary which backend it runs on.
const backendEnv = "ARENA_TEST_BACKEND"

// Backend names the database the tests of this process run on: "sqlite" or
// "postgres".
func Backend() string {
	if os.Getenv(backendEnv) == "postgres" {
		return "postgres"
	}
	return "sqlite"
}

// Main runs the package's tests on SQLite and then, when URLEnv is set, runs
// the same test binary again on PostgreSQL. Use it as the body of TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(testdb.Main(m)) }
func Main(m *testing.M) int {
	code := m.Run()
	if os.Getenv(backendEnv) != "" || os.Getenv(URLEnv) == "" {
		return code
	}
	fmt.Println("=== the same tests on PostgreSQL (" + URLEnv + " is set)")
	cmd := exec.Command(os.Args[0], os.Args[1:]...)
	cmd.Env = append(os.Environ(), backendEnv+"=postgres")
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "tests on PostgreSQL:", err)
		if code == 0 {
			code = 1
		}
	}
	return code
}

// dsnFile remembers, inside a test's data dir, which PostgreSQL database
// belongs to it, so that an app restarted on the same dir finds its data.
const dsnFile = "postgres.dsn"

// DSN returns the database for a test whose data lives in dir: a SQLite file
// in dir, or on PostgreSQL a database made for dir and dropped when the test
// ends.
func DSN(t testing.TB, dir string) string {
	t.Helper()
	if Backend() != "postgres" {
		return filepath.Join(dir, "arena.db")
	}
	if b, err := os.ReadFile(filepath.Join(dir, dsnFile)); err == nil {
		return string(b)
	}
	dsn := Postgres(t)
	if err := os.WriteFile(filepath.Join(dir, dsnFile), []byte(dsn), 0o600); err != nil {
		t.Fatal(err)
	}
	return dsn
}

// Postgres creates an empty PostgreSQL database for the test, drops it when
// the test ends and returns its URL. It skips the test when URLEnv is unset.
func Postgres(t testing.TB) string {
	t.Helper()
	base := os.Getenv(URLEnv)
	if base == "" {
		t.Skip(URLEnv + " is not set")
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", URLEnv, err)
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	name := "arena_test_" + hex.EncodeToString(b[:])
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", base)
		if err != nil {
			t.Error(err)
			return
		}
		defer db.Close()
		// FORCE ends connections a test left open (PostgreSQL 13+).
		if _, err := db.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
			t.Errorf("drop test database %s: %v", name, err)
		}
	})
	u.Path = "/" + name
	return u.String()
}

// IsPostgres reports whether dsn is a PostgreSQL URL.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}
