package models

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"gorm.io/gorm"
)

// SQLite has two write paths, and this file holds the hot one. The writes of
// a voting cycle (issuing a matchup, recording a vote) go through writeTx to
// one goroutine that commits them in groups: while one transaction commits,
// the next requests queue up, and the writer runs all of them in the
// following transaction. A commit (and its fsync, with synchronous=FULL) is
// then shared by the whole group, which is what lets one SQLite file take
// thousands of votes a second without giving up durability: a write is
// reported done only after the transaction that holds it has committed.
//
// Every other write (admin changes, audit entries, imports, snapshots,
// moderation) uses the Store's second write connection, Store.w, one
// statement or one short transaction at a time; the two connections take
// turns through SQLite's write lock and busy timeout. Those writes are rare,
// and grouping them would buy nothing.
//
// PostgreSQL commits concurrently on its own, so there writeTx runs each
// write as its own transaction on the one pool.

// maxBatch bounds how many writes share one transaction, so that one commit
// never keeps the first writer of a group waiting for long.
const maxBatch = 256

// ErrClosed reports a write attempted after the Store was closed.
var ErrClosed = errors.New("the store is closed")

type writeReq struct {
	ctx     context.Context
	fn      func(tx *gorm.DB) error
	durable bool
	done    chan error
}

// batchWriter owns a SQLite connection of its own (one connection in its
// pool), on which it opens and commits transactions with plain BEGIN and
// COMMIT statements. gorm's Transaction would go through database/sql's
// Tx, which prepares every statement afresh on each transaction; on a
// connection of its own the prepared statements stay cached. Other writes
// (admin changes) use the Store's other write connection and take turns
// with this one through SQLite's lock and busy timeout.
type batchWriter struct {
	db       *gorm.DB
	reqs     chan writeReq // unbuffered: a request is either taken or refused
	closing  chan struct{}
	finished sync.WaitGroup
	once     sync.Once
	stats    *storeStats
	// synced and modeSet track the connection's synchronous mode; only the
	// writer goroutine touches them.
	synced, modeSet bool
	// relaxed makes every group commit with synchronous=NORMAL
	// (Options.RelaxedSync).
	relaxed bool
}

func newBatchWriter(db *gorm.DB, stats *storeStats, relaxed bool) *batchWriter {
	w := &batchWriter{db: db, stats: stats, relaxed: relaxed, reqs: make(chan writeReq), closing: make(chan struct{})}
	w.finished.Add(1)
	go w.loop()
	return w
}

// close stops the writer after the group in progress and waits for it.
func (w *batchWriter) close() {
	w.once.Do(func() { close(w.closing) })
	w.finished.Wait()
}

// write runs fn inside a transaction shared with other writes and returns
// once that transaction has committed (nil) or fn's own error. fn may run
// twice: when another write of its group fails, the group is rolled back
// and each write runs again alone. fn must therefore only write through tx,
// set its results afresh each time it runs, and never open a transaction
// of its own (tx is already inside one).
//
// A durable write returns only after its transaction reached the disk
// (synchronous=FULL). A group without one commits with synchronous=NORMAL:
// it survives a crash of the process but not of the machine. SQLite's WAL
// keeps commits in order, so the next durable commit makes every earlier
// one durable too. Votes are durable; an issued matchup need not be, since
// losing one loses no vote, only the chance to cast it.
func (w *batchWriter) write(ctx context.Context, durable bool, fn func(tx *gorm.DB) error) error {
	r := writeReq{ctx: ctx, fn: fn, durable: durable, done: make(chan error, 1)}
	select {
	case w.reqs <- r:
	case <-w.closing:
		return ErrClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	// Once taken, wait for the outcome even if ctx ends: the write may
	// commit, and the caller must not report failure for a stored write.
	return <-r.done
}

func (w *batchWriter) loop() {
	defer w.finished.Done()
	batch := make([]writeReq, 0, maxBatch)
	for {
		select {
		case r := <-w.reqs:
			batch = append(batch[:0], r)
		case <-w.closing:
			return
		}
	gather:
		for len(batch) < maxBatch {
			select {
			case r := <-w.reqs:
				batch = append(batch, r)
			default:
				break gather
			}
		}
		w.commit(batch)
		clear(batch) // drop references to finished requests
	}
}

// commit runs a group in one transaction. When any write fails, the group
// is rolled back and every write runs again in a transaction of its own, so
// one bad write never takes the others down with it.
func (w *batchWriter) commit(batch []writeReq) {
	live := batch[:0:0]
	for _, r := range batch {
		if err := r.ctx.Err(); err != nil {
			r.done <- err // the client left before its write began
			continue
		}
		live = append(live, r)
	}
	if len(live) == 0 {
		return
	}
	durable := false
	for _, r := range live {
		durable = durable || r.durable
	}
	durable = durable && !w.relaxed
	if err := w.setDurable(durable); err != nil {
		for _, r := range live {
			r.done <- err
		}
		return
	}
	if len(live) > 1 {
		err := w.inTx(func(tx *gorm.DB) error {
			for _, r := range live {
				if err := r.fn(tx); err != nil {
					return err
				}
			}
			return nil
		})
		if err == nil {
			for _, r := range live {
				r.done <- nil
			}
			w.observed(len(live))
			return
		}
	}
	for _, r := range live {
		err := w.inTx(r.fn)
		if err == nil {
			w.observed(1)
		}
		r.done <- err
	}
}

// setDurable switches the connection between synchronous=FULL and NORMAL,
// only when the mode changes.
func (w *batchWriter) setDurable(durable bool) error {
	if w.synced == durable && w.modeSet {
		return nil
	}
	mode := "NORMAL"
	if durable {
		mode = "FULL"
	}
	if err := w.db.Exec("PRAGMA synchronous = " + mode).Error; err != nil {
		return fmt.Errorf("set synchronous=%s: %w", mode, err)
	}
	w.synced, w.modeSet = durable, true
	return nil
}

// inTx runs fn between BEGIN IMMEDIATE and COMMIT, rolling back when fn or
// the commit fails.
func (w *batchWriter) inTx(fn func(tx *gorm.DB) error) error {
	if err := execDirect(w.db, "BEGIN IMMEDIATE"); err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	err := fn(w.db)
	if err == nil {
		if err = execDirect(w.db, "COMMIT"); err == nil {
			return nil
		}
		err = fmt.Errorf("commit: %w", err)
	}
	// SQLite may already have rolled back (a full disk, say); then ROLLBACK
	// fails harmlessly.
	_ = execDirect(w.db, "ROLLBACK")
	return err
}

func (w *batchWriter) observed(n int) {
	w.stats.writeGroups.Add(1)
	w.stats.writes.Add(uint64(n))
}

// writeTx runs fn in a write transaction: grouped with other writes on
// SQLite, alone on PostgreSQL. See batchWriter.write for what fn may do and
// what durable means.
func (s *Store) writeTx(ctx context.Context, durable bool, fn func(tx *gorm.DB) error) error {
	if s.db.writer == nil {
		return s.db.w.WithContext(ctx).Transaction(fn)
	}
	return s.db.writer.write(ctx, durable, fn)
}
