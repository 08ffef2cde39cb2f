package models

import (
	"os"
	"path/filepath"
	"testing"
)

func TestSyncerAnswersEveryWriteWithItsFsync(t *testing.T) {
	dir := t.TempDir()
	wal := filepath.Join(dir, "arena.db-wal")
	if err := os.WriteFile(wal, []byte("frames"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		path    string
		wantErr bool
	}{
		{"the WAL fsyncs", wal, false},
		{"no WAL to fsync", filepath.Join(dir, "missing-wal"), true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := newSyncer(tc.path)
			var dones []chan error
			for range 3 { // three groups, handed over one after another
				group := []chan error{make(chan error, 1), make(chan error, 1)}
				s.add(group)
				dones = append(dones, group...)
			}
			left := make(chan error, 1)
			s.add([]chan error{left}) // may still be pending when close runs
			s.close()
			for _, d := range append(dones, left) {
				select {
				case err := <-d:
					if (err != nil) != tc.wantErr {
						t.Fatalf("answer %v, want an error: %v", err, tc.wantErr)
					}
				default:
					t.Fatal("a write handed over before close was never answered")
				}
			}
		})
	}
}

// TestWriter_GathersWhileAnFsyncIsAwaited checks that the writer keeps
// adding arriving writes to its group, rather than committing, while
// durable writes of its last commit still wait for their fsync to begin:
// those writes would wait for that fsync anyway, and one commit for all of
// them writes the pages they share once.
func TestWriter_GathersWhileAnFsyncIsAwaited(t *testing.T) {
	cases := []struct {
		name     string
		awaiting bool // a durable write waits for an fsync to begin
		arriving int  // writes that arrive before the fsync begins
		want     int
	}{
		{"nothing awaits an fsync: commit at once", false, 0, 1},
		{"an fsync is awaited: wait for it", true, 3, 4},
		{"an fsync is awaited, nothing arrives", true, 0, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := &syncer{began: make(chan struct{}, 1)}
			if tc.awaiting {
				s.pending = []chan error{make(chan error, 1)}
			}
			w := &batchWriter{reqs: make(chan writeReq), sync: s}
			go func() {
				for range tc.arriving {
					w.reqs <- writeReq{} // taken only by gather
				}
				// The syncer takes what awaits its fsync.
				s.mu.Lock()
				s.pending = nil
				s.mu.Unlock()
				s.began <- struct{}{}
			}()
			got := w.gather([]writeReq{{}})
			if len(got) != tc.want {
				t.Fatalf("group of %d writes, want %d", len(got), tc.want)
			}
		})
	}
}
