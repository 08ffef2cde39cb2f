package models

import (
	"sync"
	"sync/atomic"
	"time"
)

// RecomputeBuckets are the upper bounds, in seconds, of the recompute
// duration histogram in Stats.
var RecomputeBuckets = []float64{0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30}

// storeStats counts what this process did, for /metrics. Counters only go
// up and start at zero with the process, as Prometheus expects.
type storeStats struct {
	// recorded counts the votes recorded, valid or not, so the background
	// recompute knows when one is due.
	recorded    atomic.Uint64
	matchups    atomic.Uint64
	writeGroups atomic.Uint64
	writes      atomic.Uint64

	mu             sync.Mutex
	votes          map[string]uint64 // by invalid reason; "" means valid
	recomputes     []uint64          // per RecomputeBuckets bound, cumulative at read time
	recomputeCount uint64
	recomputeSum   float64

	changes rankingChanges // see ranking_change.go
}

// Stats is a snapshot of the Store's counters since the process started.
type Stats struct {
	MatchupsIssued uint64
	// Votes counts recorded votes by the reason they are invalid; the empty
	// reason counts valid votes.
	Votes map[string]uint64
	// WriteGroups and Writes count committed SQLite transactions and the
	// writes they held; Writes/WriteGroups is the average group size.
	WriteGroups, Writes uint64
	// RecomputeBuckets holds cumulative counts per RecomputeBuckets bound.
	RecomputeBuckets []uint64
	RecomputeCount   uint64
	RecomputeSum     float64 // seconds
}

func (st *storeStats) countVote(reason string) {
	st.mu.Lock()
	if st.votes == nil {
		st.votes = make(map[string]uint64)
	}
	st.votes[reason]++
	st.mu.Unlock()
}

// Stats returns the Store's counters.
func (s *Store) Stats() Stats {
	st := &s.stats
	out := Stats{
		MatchupsIssued: st.matchups.Load(),
		WriteGroups:    st.writeGroups.Load(),
		Writes:         st.writes.Load(),
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	out.Votes = make(map[string]uint64, len(st.votes))
	for k, v := range st.votes {
		out.Votes[k] = v
	}
	out.RecomputeBuckets = make([]uint64, len(RecomputeBuckets))
	var cum uint64
	for i := range RecomputeBuckets {
		if i < len(st.recomputes) {
			cum += st.recomputes[i]
		}
		out.RecomputeBuckets[i] = cum
	}
	out.RecomputeCount, out.RecomputeSum = st.recomputeCount, st.recomputeSum
	return out
}

// NoteRecompute records how long one leaderboard recompute took, for the
// recompute duration histogram in /metrics.
func (s *Store) NoteRecompute(d time.Duration) {
	st := &s.stats
	sec := d.Seconds()
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.recomputes == nil {
		st.recomputes = make([]uint64, len(RecomputeBuckets))
	}
	for i, b := range RecomputeBuckets {
		if sec <= b {
			st.recomputes[i]++
			break
		}
	}
	st.recomputeCount++
	st.recomputeSum += sec
}
