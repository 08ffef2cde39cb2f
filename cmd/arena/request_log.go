package main

import (
	"io"
	"sync"
	"time"
)

// requestLogFlushEvery is how long a request's log line may wait in memory
// before it is written out.
const requestLogFlushEvery = 200 * time.Millisecond

// requestLogBufferSize is how much of the request log is held before a
// write; 64 KB is a few hundred lines.
const requestLogBufferSize = 64 << 10

// lineBuffer collects the request log's lines and writes them out together:
// writing each line on its own cost a write system call per request, a
// noticeable share of a voting cycle's CPU. Lines are kept whole (slog
// writes a record with one Write), so a line never interleaves with the
// unbuffered log written to the same file. The buffer is written out when
// full, every requestLogFlushEvery, and by Close; a crash loses at most that
// last fraction of a second of request lines, never anything else: errors
// and the server's own messages go through the unbuffered log.
type lineBuffer struct {
	mu     sync.Mutex
	w      io.Writer
	buf    []byte
	closed bool // after Close, lines are written directly

	stop chan struct{}
	done chan struct{}
}

// newLineBuffer starts buffering for w, with a goroutine that writes the
// buffer out every so often until Close.
func newLineBuffer(w io.Writer, every time.Duration, size int) *lineBuffer {
	b := &lineBuffer{w: w, buf: make([]byte, 0, size), stop: make(chan struct{}), done: make(chan struct{})}
	go b.flushEvery(every)
	return b
}

// Write appends one line, writing the buffer out first when the line does
// not fit; a line larger than the whole buffer is written directly.
func (b *lineBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed || len(b.buf)+len(p) > cap(b.buf) {
		if err := b.flushLocked(); err != nil {
			return 0, err
		}
		if b.closed || len(p) > cap(b.buf) {
			return b.w.Write(p)
		}
	}
	b.buf = append(b.buf, p...)
	return len(p), nil
}

// Flush writes out whatever the buffer holds.
func (b *lineBuffer) Flush() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.flushLocked()
}

func (b *lineBuffer) flushLocked() error {
	if len(b.buf) == 0 {
		return nil
	}
	_, err := b.w.Write(b.buf)
	b.buf = b.buf[:0] // a failed write is not retried: the log must not grow without bound
	return err
}

func (b *lineBuffer) flushEvery(every time.Duration) {
	defer close(b.done)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			_ = b.Flush()
		case <-b.stop:
			return
		}
	}
}

// Close stops the periodic writes and writes out the rest; later lines are
// written directly.
func (b *lineBuffer) Close() error {
	close(b.stop)
	<-b.done
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	return b.flushLocked()
}
