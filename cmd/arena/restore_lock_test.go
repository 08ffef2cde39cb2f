package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/arena-video/arena/models"
)

// TestServe_WaitsForNoRestoreBeforeOpeningTheDatabase: while a restore
// holds the database lock, serve refuses before it opens (and so creates or
// migrates) the database.
func TestServe_WaitsForNoRestoreBeforeOpeningTheDatabase(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "arena.db")
	unlock, err := lockDatabase(db, true)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	code, _, errOut := runArenaIn(t, "", "serve", "--data-dir", dir, "--addr", "127.0.0.1:0")
	if code == 0 || !strings.Contains(errOut, "being restored") {
		t.Fatalf("serve during a restore: exit %d %q", code, errOut)
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("serve opened the database under a restore: %v", err)
	}
}

// TestRestore_TwiceInOneSecondKeepsBothOriginals restores two backups in a
// row, well within one second: each replaced database is kept under its own
// name.
func TestRestore_TwiceInOneSecondKeepsBothOriginals(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "arena.db")
	ctx := t.Context()
	st, err := models.Open(ctx, models.Options{DSN: db})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	backup := filepath.Join(t.TempDir(), "b.db")
	if err := models.BackupSQLite(ctx, db, backup); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	var kept []string
	for range 2 {
		k, err := models.RestoreSQLite(ctx, backup, db)
		if err != nil {
			t.Fatal(err)
		}
		kept = append(kept, k)
	}
	if time.Since(start) > time.Second {
		t.Skip("the two restores took over a second; nothing shared their name")
	}
	if kept[0] == "" || kept[0] == kept[1] {
		t.Fatalf("kept %q: want two distinct names", kept)
	}
	for _, k := range kept {
		if _, err := os.Stat(k); err != nil {
			t.Errorf("kept database %s: %v", k, err)
		}
	}
}
