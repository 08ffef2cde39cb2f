package models

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"gorm.io/gorm"
)

// SQLite has two write paths, and this file holds the hot one. The writes of
// a voting cycle (issuing a matchup, recording a vote) go through writeTx to
// one goroutine that commits them in groups: while one transaction commits,
// the next requests queue up, and the writer runs all of them in the
// following transaction. A commit is then shared by the whole group, and
// so is the fsync that makes it durable, which is what lets one SQLite file
// take thousands of votes a second without giving up durability: a durable
// write is reported done only after the transaction that holds it has
// committed and the WAL holding that commit has reached the disk.
//
// The fsync runs beside the writer, not in it (see syncer): the writer
// commits with synchronous=NORMAL, which writes the WAL without syncing
// it, and hands the group's durable writes to a second goroutine that
// fsyncs the WAL file and only then answers them. While one fsync waits
// for the disk the writer already commits the next group, whose writes the
// following fsync covers, and then gathers the group after it until that
// fsync begins (see gather), so the disk's latency no longer idles the
// writer: with the fsync inside the commit, the writer spent most of each
// group waiting for it.
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
	// sync makes committed writes durable; nil with Options.RelaxedSync,
	// which answers durable writes at commit, without the fsync.
	sync *syncer
	// ckpt copies the WAL into the database file beside the writer (see
	// checkpointer); written counts the writes since it was last woken,
	// to wake it every ckpt.every.
	ckpt    *checkpointer
	written int
}

// newBatchWriter starts the writer on db, the connection of the SQLite
// file at path, with ckptDB, another connection to it, for the
// checkpointer. The writer owns both from then on.
func newBatchWriter(db, ckptDB *gorm.DB, path string, stats *storeStats, relaxed bool, log *slog.Logger) (*batchWriter, error) {
	// The fsync is the syncer's (or, relaxed, nobody's): commits only
	// write the WAL. Nor do commits checkpoint: the checkpointer does.
	// The settings belong to the connection, and the writer's pool holds
	// just one.
	for _, pragma := range []string{"PRAGMA synchronous = NORMAL", "PRAGMA wal_autocheckpoint = 0"} {
		if err := db.Exec(pragma).Error; err != nil {
			return nil, fmt.Errorf("%s: %w", pragma, err)
		}
	}
	w := &batchWriter{db: db, stats: stats, reqs: make(chan writeReq), closing: make(chan struct{}),
		ckpt: newCheckpointer(ckptDB, log)}
	if !relaxed {
		w.sync = newSyncer(path + "-wal")
	}
	w.finished.Add(1)
	go func() {
		defer w.finished.Done()
		w.loop()
		if w.sync != nil {
			w.sync.close() // answers what the last groups left to sync
		}
		w.ckpt.close()
	}()
	return w, nil
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
// (the WAL was fsynced after its commit). Any other write returns at
// commit: it survives a crash of the process but not of the machine.
// SQLite's WAL keeps commits in order, so the next fsync makes every
// earlier commit durable too. Votes are durable; an issued matchup need
// not be, since losing one loses no vote, only the chance to cast it.
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
	batch := make([]writeReq, 0, maxBatch)
	for {
		select {
		case r := <-w.reqs:
			batch = append(batch[:0], r)
		case <-w.closing:
			return
		}
		batch = w.gather(batch)
		w.commit(batch)
		w.checkpoint(len(batch))
		clear(batch) // drop references to finished requests
	}
}

// gather adds to batch the writes that wait, and, while the syncer still
// holds durable writes of an earlier group waiting for their fsync, the
// writes that arrive until that fsync begins. Committing sooner would buy
// those writes nothing (a durable write waits for the next fsync anyway)
// and cost a commit: each commit writes every page its group touched to
// the WAL, and groups that share a commit share the pages they touch.
func (w *batchWriter) gather(batch []writeReq) []writeReq {
	for len(batch) < maxBatch {
		select {
		case r := <-w.reqs:
			batch = append(batch, r)
			continue
		default:
		}
		if w.sync == nil || !w.sync.waiting() {
			return batch
		}
		select {
		case r := <-w.reqs:
			batch = append(batch, r)
		case <-w.sync.began:
		}
	}
	return batch
}

// checkpoint wakes the checkpointer every ckpt.every writes (n more
// were just committed) and, when it asks for it, completes a checkpoint
// here, between two groups, so that the next transaction starts the WAL
// over (see checkpointer). Both checkpoints are PASSIVE: SQLite copies
// what no reader still needs, and what is left waits for the next time.
func (w *batchWriter) checkpoint(n int) {
	if w.ckpt.due.Swap(false) {
		if _, err := walCheckpoint(w.db); err != nil {
			w.ckpt.log.Warn("WAL checkpoint by the writer", "err", err)
		}
	}
	if w.written += n; w.written >= w.ckpt.every {
		w.written = 0
		w.ckpt.wake()
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
			w.observed(len(live))
			w.committed(live)
			return
		}
	}
	for _, r := range live {
		if err := w.inTx(r.fn); err != nil {
			r.done <- err
			continue
		}
		w.observed(1)
		w.committed([]writeReq{r})
	}
}

// committed answers the writes of a committed transaction: the durable ones
// once the syncer has made the commit durable, the others now.
func (w *batchWriter) committed(rs []writeReq) {
	var durable []chan error
	for _, r := range rs {
		if r.durable && w.sync != nil {
			durable = append(durable, r.done)
		} else {
			r.done <- nil
		}
	}
	if len(durable) > 0 {
		w.sync.add(durable)
	}
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
