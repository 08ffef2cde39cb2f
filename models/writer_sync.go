package models

import (
	"os"
	"sync"
)

// syncer makes the batch writer's commits durable: it fsyncs the WAL file
// and then answers the durable writes committed before that fsync began.
// Writes handed over while an fsync runs wait for the next one, which then
// covers all of them at once.
//
// The fsync goes through a descriptor of its own on the WAL file: fsync
// flushes a file's written data whichever descriptor names it, and the
// WAL stays the same file while the Store's connections hold it open
// (SQLite deletes it only when the last one closes, after the writer has
// stopped). Should an fsync fail, the writes it covered get the error,
// though their transactions committed: like a COMMIT whose own fsync
// failed, the client learns the vote may not survive a crash, and may
// find it stored.
type syncer struct {
	path string

	mu      sync.Mutex
	pending []chan error // answered by the next fsync
	kick    chan struct{}
	// began tells the writer that an fsync took the pending writes (see
	// batchWriter.gather).
	began chan struct{}
	stop  chan struct{}
	done  chan struct{}

	f *os.File // opened at the first fsync; only the syncer's goroutine uses it
}

func newSyncer(walPath string) *syncer {
	s := &syncer{path: walPath, kick: make(chan struct{}, 1), began: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	go s.loop()
	return s
}

// add hands over the answers of durable writes whose transaction has
// committed.
func (s *syncer) add(dones []chan error) {
	s.mu.Lock()
	s.pending = append(s.pending, dones...)
	s.mu.Unlock()
	select {
	case s.kick <- struct{}{}:
	default: // a kick is already waiting
	}
}

// waiting reports whether durable writes wait for an fsync that has not
// begun.
func (s *syncer) waiting() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.pending) > 0
}

// close syncs and answers what is pending, then stops the syncer. The
// writer calls it after its last commit.
func (s *syncer) close() {
	close(s.stop)
	<-s.done
}

func (s *syncer) loop() {
	defer close(s.done)
	defer func() {
		if s.f != nil {
			s.f.Close()
		}
	}()
	for {
		select {
		case <-s.kick:
			s.flush()
		case <-s.stop:
			s.flush()
			return
		}
	}
}

// flush fsyncs the WAL and answers every write handed over before it.
func (s *syncer) flush() {
	s.mu.Lock()
	dones := s.pending
	s.pending = nil
	s.mu.Unlock()
	select {
	case s.began <- struct{}{}:
	default: // the writer has not taken the last one yet
	}
	if len(dones) == 0 {
		return
	}
	err := s.fsync()
	for _, d := range dones {
		d <- err
	}
}

func (s *syncer) fsync() error {
	if s.f == nil {
		f, err := os.OpenFile(s.path, os.O_RDWR, 0)
		if err != nil {
			return err
		}
		s.f = f
	}
	return s.f.Sync()
}
