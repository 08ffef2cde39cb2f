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
