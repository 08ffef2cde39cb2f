package models

import (
	"context"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"gorm.io/gorm"
)

// TestWritePool_TransactionsAndAPlainWriteNeverWaitOnEachOther fills every
// connection of the write pool with a transaction, sends a plain write that
// has to wait for a connection, then lets the transactions write the same
// statement: they commit, and the plain write gets a connection after them.
// With GORM's statement cache (PrepareStmt) on the pool, the plain write,
// first to need its SQL, prepared it for the cache while waiting for a
// connection, and the transactions waited for that preparation: nothing
// moved until the plain write's context gave up. A flood of failed
// sign-ins met this when its first audit entries overlapped the
// transcoder's first poll, and the sign-ins hung.
func TestWritePool_TransactionsAndAPlainWriteNeverWaitOnEachOther(t *testing.T) {
	s, err := Open(context.Background(), Options{DSN: testDSN(t, filepath.Join(t.TempDir(), "a.db")), MaxConns: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	pool, err := s.db.w.DB()
	if err != nil {
		t.Fatal(err)
	}
	n := pool.Stats().MaxOpenConnections // 1 on SQLite, 2 here on PostgreSQL

	inTx := make(chan struct{})
	proceed := make(chan struct{})
	txErrs := make(chan error, n)
	for i := range n {
		go func() {
			txErrs <- s.db.w.Transaction(func(tx *gorm.DB) error {
				inTx <- struct{}{}
				<-proceed
				return s.audit(tx, Actor{Name: "test"}, "in transaction", strconv.Itoa(i), "")
			})
		}()
	}
	for range n {
		<-inTx
	}

	// The deadline only ends a deadlock; without one the plain write
	// commits as soon as a transaction has.
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	waits := pool.Stats().WaitCount
	plain := make(chan error, 1)
	go func() { plain <- s.Audit(ctx, AuditEntry{Actor: "test", Action: "plain"}) }()
	for pool.Stats().WaitCount == waits {
		select {
		case err := <-plain:
			t.Fatalf("the plain write finished (%v) while every connection was in a transaction", err)
		case <-time.After(time.Millisecond):
		}
	}
	close(proceed)

	for range n {
		if err := <-txErrs; err != nil {
			t.Errorf("transaction: %v", err)
		}
	}
	if err := <-plain; err != nil {
		t.Errorf("plain write behind %d transactions: %v", n, err)
	}
	entries, err := s.ListAudit(context.Background(), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != n+1 {
		t.Fatalf("%d audit entries, want %d", len(entries), n+1)
	}
}
