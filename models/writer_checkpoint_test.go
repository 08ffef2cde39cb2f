package models

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"gorm.io/gorm"
)

// TestCheckpointer_WALStartsOver writes far more WAL frames than the
// checkpointer lets the WAL hold: the writer never checkpoints at commit,
// so only the checkpointer and the writer's completion between groups keep
// the WAL from growing with every write, and every write must still be in
// the database.
func TestCheckpointer_WALStartsOver(t *testing.T) {
	cases := []struct {
		name    string
		writers int
	}{
		{"one writer at a time", 1},
		{"64 writers at once", 64},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "a.db")
			s := openTestStore(t, path)
			if s.db.writer == nil {
				t.Skip("PostgreSQL writes without the grouping writer")
			}
			// Small enough that the writes below fill the WAL many times.
			s.db.writer.ckpt.every, s.db.writer.ckpt.restartFrames = 4, 64
			const writes = 1536 // 2 frames or more each
			ctx := context.Background()
			var wg sync.WaitGroup
			errs := make(chan error, tc.writers)
			for w := range tc.writers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := range writes / tc.writers {
						// Like a voting cycle: the matchup answered at
						// commit, the vote after the fsync.
						err := s.writeTx(ctx, (w+i)%2 == 0, func(tx *gorm.DB) error {
							return execDirect(tx, s.rules.sql.insertVoter, NewID(), s.now())
						})
						if err != nil {
							errs <- err
							return
						}
					}
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Fatal(err)
			}
			fi, err := os.Stat(path + "-wal")
			if err != nil {
				t.Fatal(err)
			}
			// Never started over, the WAL would hold at least one frame
			// of 4 KB per write (6 MB); starting over about every 64
			// frames (and some more written while a checkpoint runs), it
			// stays below half that.
			if fi.Size() > 3<<20 {
				t.Errorf("WAL is %d bytes after %d writes: it does not start over", fi.Size(), writes)
			}
			var stored int64
			if err := s.db.r.Model(&Voter{}).Count(&stored).Error; err != nil {
				t.Fatal(err)
			}
			if stored != writes {
				t.Fatalf("%d voters stored, want %d", stored, writes)
			}
		})
	}
}
