package models

import "sync/atomic"

// rankingChanges counts the changes that move the rankings without a vote:
// a model, prompt or clip retired or brought back, a clip withdrawn or
// restored, a voter's votes invalidated or restored, votes imported or
// undone by the integrity check. The domain operation that makes such a
// change notes it here, after its transaction commits, so the pages and
// the API ask for a recompute in one way, and no caller has to remember to.
// A change made by another process (the command line, another instance)
// reaches a server's rankings at its Recomputer's next safety recompute.
type rankingChanges struct {
	n    atomic.Uint64
	wake chan struct{} // holds at most one pending wake-up; more merge into it
}

func newRankingChanges() rankingChanges {
	return rankingChanges{wake: make(chan struct{}, 1)}
}

// noteRankingChange counts a change and wakes the background recompute,
// without waiting for it.
func (s *Store) noteRankingChange() {
	s.stats.changes.n.Add(1)
	select {
	case s.stats.changes.wake <- struct{}{}:
	default:
	}
}

// RankingChanges counts the changes (other than votes) that moved the
// rankings since the Store opened.
func (s *Store) RankingChanges() uint64 { return s.stats.changes.n.Load() }

// RankingChanged receives after one or more such changes. The background
// recompute waits on it; changes made while nothing waits merge into one
// wake-up.
func (s *Store) RankingChanged() <-chan struct{} { return s.stats.changes.wake }
