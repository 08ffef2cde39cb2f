package main

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// TestBackup_LiveCopyRestoresTheSameVotes backs up a database while voters
// keep voting, restores it into another data dir and checks the restored
// database holds exactly the backed-up votes and serves them.
func TestBackup_LiveCopyRestoresTheSameVotes(t *testing.T) {
	dir := t.TempDir()
	base := startInProcess(t, dir, fastEnv)
	for i := range 20 {
		if _, _, err := newHTTPVoter(base).cycle(choices[i%4]); err != nil {
			t.Fatal(err)
		}
	}
	// Keep voting while the backup runs.
	var stop atomic.Bool
	var wg sync.WaitGroup
	for w := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v := newHTTPVoter(base)
			for i := 0; !stop.Load(); i++ {
				if _, _, err := v.cycle(choices[(i+w)%4]); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	backup := filepath.Join(t.TempDir(), "arena-backup.db")
	code, out, stderr := runArena(t, context.Background(), nil, "backup", backup, "--data-dir", dir)
	stop.Store(true)
	wg.Wait()
	if code != 0 || !strings.Contains(out, "matchups") {
		t.Fatalf("backup exit %d: %s %s", code, out, stderr)
	}
	backedUp := readVotes(t, backup)
	if len(backedUp) < 20 {
		t.Fatalf("backup holds %d votes, want at least the 20 cast before it", len(backedUp))
	}

	t.Run("refuses to overwrite", func(t *testing.T) {
		before, _ := os.ReadFile(backup)
		code, _, stderr := runArena(t, context.Background(), nil, "backup", backup, "--data-dir", dir)
		after, _ := os.ReadFile(backup)
		if code == 0 || !strings.Contains(stderr, "already exists") || string(before) != string(after) {
			t.Fatalf("backup over an existing file: exit %d %q", code, stderr)
		}
	})
	t.Run("restore refuses while a server runs", func(t *testing.T) {
		code, _, stderr := runArena(t, context.Background(), nil, "restore", backup, "--data-dir", dir)
		if code == 0 || !strings.Contains(stderr, "stop it") {
			t.Fatalf("restore under a running server: exit %d %q", code, stderr)
		}
	})
	t.Run("restore refuses junk", func(t *testing.T) {
		junk := filepath.Join(t.TempDir(), "junk.db")
		os.WriteFile(junk, []byte("not a database at all, just text"), 0o600)
		other := t.TempDir()
		if code, _, stderr := runArena(t, context.Background(), nil, "restore", junk, "--data-dir", other); code == 0 {
			t.Fatalf("restored junk: %s", stderr)
		}
		if _, err := os.Stat(filepath.Join(other, "arena.db")); err == nil {
			t.Fatal("a refused restore left a database behind")
		}
	})

	// Restore into a data dir that already has a database: it is kept.
	restored := t.TempDir()
	startInProcessOnce(t, restored)
	code, out, stderr = runArena(t, context.Background(), nil, "restore", backup, "--data-dir", restored)
	if code != 0 || !strings.Contains(out, "kept the replaced database") {
		t.Fatalf("restore exit %d: %s %s", code, out, stderr)
	}
	kept, _ := filepath.Glob(filepath.Join(restored, "arena.db.before-restore-*"))
	if len(kept) == 0 {
		t.Fatal("the replaced database was not kept")
	}
	if got := readVotes(t, filepath.Join(restored, "arena.db")); !reflect.DeepEqual(got, backedUp) {
		t.Fatalf("restored database has %d votes, the backup %d", len(got), len(backedUp))
	}
	// A server on the restored database refuses every backed-up vote as
	// already cast: it has the same votes.
	rbase := startInProcess(t, restored, fastEnv)
	if _, acked, _ := newHTTPVoter(rbase).cycle("a"); !acked {
		t.Fatal("the restored server does not take votes")
	}
	if got := readVotes(t, filepath.Join(restored, "arena.db")); len(got) != len(backedUp)+1 {
		t.Fatalf("restored server holds %d votes, want %d", len(got), len(backedUp)+1)
	}
}

// startInProcessOnce starts and stops a server on dir, leaving a database.
func startInProcessOnce(t *testing.T, dir string) {
	t.Helper()
	t.Run("start a server once", func(t *testing.T) { startInProcess(t, dir, nil) })
}
