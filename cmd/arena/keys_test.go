package main

import (
	"bytes"
	"os"
	"sync"
	"testing"
)

// TestSessionKeys_ConcurrentStartsAgreeAndLeaveNoPartialFile starts many
// "servers" at once on an empty data dir: they must all end up with the
// same complete keys, and no temporary file may remain.
func TestSessionKeys_ConcurrentStartsAgreeAndLeaveNoPartialFile(t *testing.T) {
	dir := t.TempDir()
	e := env{getenv: func(string) string { return "" }}
	const n = 16
	keys := make([][][]byte, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			keys[i], errs[i] = sessionKeys(e, dir)
		}()
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("start %d: %v", i, errs[i])
		}
		if len(keys[i]) != 2 || !bytes.Equal(keys[i][0], keys[0][0]) || !bytes.Equal(keys[i][1], keys[0][1]) {
			t.Fatalf("start %d read other keys than start 0", i)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != sessionKeysFile {
		var names []string
		for _, en := range entries {
			names = append(names, en.Name())
		}
		t.Errorf("data dir holds %q, want only %s", names, sessionKeysFile)
	}
}

// TestWriteNewFile_NeverReplacesAFile: the second writer gets os.ErrExist
// and the first writer's bytes stay.
func TestWriteNewFile_NeverReplacesAFile(t *testing.T) {
	path := t.TempDir() + "/f"
	if err := writeNewFile(path, []byte("first")); err != nil {
		t.Fatal(err)
	}
	if err := writeNewFile(path, []byte("second")); !os.IsExist(err) {
		t.Fatalf("second write: %v, want os.ErrExist", err)
	}
	if b, _ := os.ReadFile(path); string(b) != "first" {
		t.Errorf("file holds %q", b)
	}
}
