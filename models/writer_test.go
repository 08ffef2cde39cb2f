package models

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"

	"gorm.io/gorm"
)

// TestWriter_OneFailingWriteSparesItsGroup sends many writes at once, one of
// which fails: every other write must still commit, and the failing one must
// report its own error.
func TestWriter_OneFailingWriteSparesItsGroup(t *testing.T) {
	s := openTestStore(t, filepath.Join(t.TempDir(), "a.db"))
	ctx := context.Background()
	boom := errors.New("boom")
	const n = 50
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.writeTx(ctx, i%2 == 0, func(tx *gorm.DB) error {
				if err := tx.Create(&Voter{ID: NewID()}).Error; err != nil {
					return err
				}
				if i == 7 {
					return boom
				}
				return nil
			})
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if i == 7 && !errors.Is(err, boom) {
			t.Errorf("write 7 = %v, want its own error", err)
		}
		if i != 7 && err != nil {
			t.Errorf("write %d = %v, want nil", i, err)
		}
	}
	var stored int64
	s.db.r.Model(&Voter{}).Count(&stored)
	if stored != n-1 {
		t.Fatalf("%d voters stored, want %d: the failing write's group was lost or it was kept", stored, n-1)
	}
}

func TestWriter_RefusesWritesAfterClose(t *testing.T) {
	s := openTestStore(t, filepath.Join(t.TempDir(), "a.db"))
	if s.db.writer == nil {
		t.Skip("PostgreSQL writes without the grouping writer")
	}
	s.db.writer.close()
	err := s.writeTx(context.Background(), true, func(tx *gorm.DB) error { return nil })
	if !errors.Is(err, ErrClosed) {
		t.Fatalf("write after close = %v, want ErrClosed", err)
	}
}

// TestLeaderLock_OneHolderAtATime holds the leader lock in one Store and
// checks that another Store on the same database cannot take it until it is
// released. On SQLite there is one process, so the work always runs.
func TestLeaderLock_OneHolderAtATime(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.db")
	a := openTestStore(t, path)
	b := openTestStore(t, path)
	ctx := context.Background()
	var innerRan bool
	ran, err := a.WithLeaderLock(ctx, "recompute", func() error {
		var err error
		innerRan, err = b.WithLeaderLock(ctx, "recompute", func() error { return nil })
		return err
	})
	if err != nil || !ran {
		t.Fatalf("first holder: ran %v, err %v", ran, err)
	}
	wantInner := a.Dialect() == DialectSQLite
	if innerRan != wantInner {
		t.Fatalf("second holder ran = %v while the lock was held, want %v", innerRan, wantInner)
	}
	ran, err = b.WithLeaderLock(ctx, "recompute", func() error { return nil })
	if err != nil || !ran {
		t.Fatalf("after release: ran %v, err %v", ran, err)
	}
	ran, err = b.WithLeaderLock(ctx, "other", func() error { return errors.New("work failed") })
	if !ran || err == nil {
		t.Fatalf("a failing job: ran %v, err %v; want true and its error", ran, err)
	}
}
