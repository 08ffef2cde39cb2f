package models

import (
	"database/sql"
	"fmt"
	"log/slog"
	"sync/atomic"

	"gorm.io/gorm"
)

// checkpointer copies the batch writer's commits from the WAL into the
// database file beside the writer, not in it. SQLite's own checkpoint runs
// inside a COMMIT once the WAL has grown by wal_autocheckpoint pages: the
// writer then copied every page the last thousand frames touched and
// fsynced the WAL and the database file while every vote waited, which
// took about a seventh of its time under load. Here the writer's
// connection never checkpoints (wal_autocheckpoint=0): every
// checkpointEvery writes it wakes the checkpointer, which runs a PASSIVE
// checkpoint on a connection of its own while the writer goes on
// committing.
//
// A checkpoint running beside the writer never catches up with it, and the
// WAL only starts over from its beginning when a write transaction begins
// with every frame already copied. So once the WAL holds walRestartFrames
// frames, the checkpointer asks the writer to finish the job between two
// groups (batchWriter.checkpoint): what is left is only what was committed since
// the last checkpoint began, and the writer's next transaction then
// rewrites the WAL from its start, which bounds its size.
type checkpointer struct {
	db  *gorm.DB // a connection of its own
	log *slog.Logger
	// every and restartFrames are checkpointEvery and walRestartFrames;
	// tests make them small.
	every, restartFrames int

	kick chan struct{}
	stop chan struct{}
	done chan struct{}
	// due asks the writer to complete a checkpoint before its next group.
	due atomic.Bool
}

const (
	// checkpointEvery is how many writes the writer commits between two
	// checkpoints: about three thousand WAL frames at the 1.4 frames a
	// write of a voting cycle takes in the groups of a busy server. A
	// checkpoint copies each page once however many frames hold it, and
	// the pages a cycle writes (index leaves at the B-trees' edges, the
	// voter's row, counters) recur from group to group: at 512 writes the
	// same pages were copied four times as often, for 5-10% of the
	// server's CPU a cycle under 64 voters.
	checkpointEvery = 2048
	// walRestartFrames is the WAL length, in frames of one page, past which
	// the writer completes a checkpoint so that the WAL starts over: 64 MB
	// of 4 KB pages, about eight of checkpointEvery's intervals, so that
	// the writer's own checkpoint stays rare.
	walRestartFrames = 16384
)

func newCheckpointer(db *gorm.DB, log *slog.Logger) *checkpointer {
	c := &checkpointer{db: db, log: log, every: checkpointEvery, restartFrames: walRestartFrames, kick: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	go c.loop()
	return c
}

// wake asks for a checkpoint; it never blocks the writer.
func (c *checkpointer) wake() {
	select {
	case c.kick <- struct{}{}:
	default: // one is already asked for, or running
	}
}

// close stops the checkpointer after the checkpoint in progress.
func (c *checkpointer) close() {
	close(c.stop)
	<-c.done
}

func (c *checkpointer) loop() {
	defer close(c.done)
	for {
		select {
		case <-c.kick:
		case <-c.stop:
			return
		}
		if c.due.Load() {
			// The writer's checkpoint is next: one running here would
			// hold SQLite's checkpoint lock and make it a no-op.
			continue
		}
		frames, err := walCheckpoint(c.db)
		if err != nil {
			c.log.Warn("WAL checkpoint", "err", err)
			continue
		}
		if frames >= c.restartFrames {
			c.due.Store(true)
		}
	}
}

// walCheckpoint runs a PASSIVE checkpoint on db, which copies what it can
// without waiting for readers or writers, and returns how many frames the
// WAL holds.
func walCheckpoint(db *gorm.DB) (frames int, err error) {
	var busy, log, copied sql.NullInt64 // NULL when the database is not in WAL mode
	if err := queryRowDirect(db, "PRAGMA wal_checkpoint(PASSIVE)").Scan(&busy, &log, &copied); err != nil {
		return 0, fmt.Errorf("wal_checkpoint: %w", err)
	}
	return int(log.Int64), nil
}
