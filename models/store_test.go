package models

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/arena-video/arena/models/testdb"
)

func TestMain(m *testing.M) { os.Exit(testdb.Main(m)) }

// testDSN maps a test's SQLite path to the database under test.
func testDSN(t *testing.T, path string) string {
	if testdb.Backend() == "sqlite" {
		return path
	}
	return testdb.DSN(t, filepath.Dir(path))
}

// openTestStore opens the store at path, a SQLite file, or on PostgreSQL
// the database that testdb made for the file's directory.
func openTestStore(t *testing.T, path string) *Store {
	t.Helper()
	s, err := Open(context.Background(), Options{DSN: testDSN(t, path)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestMigrate_FromEmptyDatabase(t *testing.T) {
	s := openTestStore(t, filepath.Join(t.TempDir(), "a.db"))
	for _, table := range []string{"models", "prompts", "clips", "voters", "matchups", "snapshots", "admins", "audit_entries", migrationTable} {
		if !s.db.w.Migrator().HasTable(table) {
			t.Errorf("table %s missing after migration", table)
		}
	}
	if s.Dialect() != DialectSQLite {
		return
	}
	var mode string
	s.db.w.Raw("PRAGMA journal_mode").Scan(&mode)
	if mode != "wal" {
		t.Errorf("journal_mode = %q, want wal", mode)
	}
	var fk int
	s.db.w.Raw("PRAGMA foreign_keys").Scan(&fk)
	if fk != 1 {
		t.Errorf("foreign_keys = %d, want 1", fk)
	}
}

func TestMigrate_ReopeningAppliesNothingTwice(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.db")
	s := openTestStore(t, path)
	var before int64
	s.db.w.Table(migrationTable).Count(&before)
	s.Close()
	s = openTestStore(t, path)
	var after int64
	s.db.w.Table(migrationTable).Count(&after)
	if before != int64(len(migrations())) || after != before {
		t.Fatalf("applied %d then %d migrations, want %d both times", before, after, len(migrations()))
	}
}

func TestMigrate_RefusesANewerDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.db")
	s := openTestStore(t, path)
	if err := s.db.w.Exec("INSERT INTO " + migrationTable + " (id) VALUES ('9999_from_the_future')").Error; err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err := Open(context.Background(), Options{DSN: testDSN(t, path)})
	if !errors.Is(err, ErrSchemaTooNew) {
		t.Fatalf("Open = %v, want ErrSchemaTooNew", err)
	}
}

func TestIDs_ShapeAndUniqueness(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		id := NewID()
		if !ValidID(id) || seen[id] {
			t.Fatalf("bad or repeated id %q", id)
		}
		seen[id] = true
	}
	for _, bad := range []string{"", "short", "../../../../etc/passwd1", "AAAAAAAAAAAAAAAAAAAAA\x00", "AAAAAAAAAAAAAAAAAAAAAAA"} {
		if ValidID(bad) {
			t.Errorf("ValidID(%q) = true", bad)
		}
	}
}

// TestMigrate_InstancesStartingTogether opens several Stores on one empty
// database at once, as instances starting together do: the migration lock
// lets one migrate and the others find the work done.
func TestMigrate_InstancesStartingTogether(t *testing.T) {
	dsn := testDSN(t, filepath.Join(t.TempDir(), "a.db"))
	const n = 3
	errs := make(chan error, n)
	for range n {
		go func() {
			s, err := Open(context.Background(), Options{DSN: dsn})
			if err == nil {
				s.Close()
			}
			errs <- err
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Fatalf("concurrent Open: %v", err)
		}
	}
}
