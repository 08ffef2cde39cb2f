package models

import (
	"context"
	"fmt"
	"sync"

	"github.com/arena-video/arena/models/gencache"
)

// voterCacheSize bounds how many voters the cache keeps per generation; at
// most twice as many are held. A forgotten voter costs one query when they
// come back.
const voterCacheSize = 50_000

// newVoterCache remembers, per recent voter, the clip pairs they have judged
// and whether their row is stored, so issuing a matchup reads no voter
// history from the database and writes no voter row after the first time.
//
// With several instances a voter's votes through another instance are
// missing here until this instance forgets them; that only weakens the
// preference for unjudged pairs, never a vote.
func newVoterCache(limit int) *gencache.Cache[string, *voterState] {
	return gencache.New[string, *voterState](limit)
}

// voterState is one voter's cached history.
type voterState struct {
	mu     sync.Mutex
	loaded bool // judged holds every pair the voter judged
	stored bool // the voters row exists
	judged map[clipPair]bool
	issued int // matchups issued here, to pace the pending bound
	// judgedAll, when set, is the catalog version and filter under which
	// the voter had judged every pair pickPair could offer. Judged pairs
	// are only ever added and a catalog version never changes, so until
	// the catalog or the filter does, the next matchups come from all
	// pairs without first weighing every pair of every prompt to find
	// none left (a voter of arenaload judges every pair of the demo's
	// catalog within a few seconds).
	judgedAll judgedAllKey
}

// judgedAllKey names a catalog version and a filter; the zero key names
// none (catalog versions start at 1).
type judgedAllKey struct {
	version uint64
	filter  MatchupFilter
}

// judgedPairsLocked makes sure v.judged is loaded; v.mu must be held.
func (s *Store) judgedPairsLocked(ctx context.Context, voterID string, v *voterState) error {
	if v.loaded {
		return nil
	}
	var rows []struct{ ClipAID, ClipBID uint }
	err := s.db.r.WithContext(ctx).Model(&Matchup{}).Select("clip_a_id, clip_b_id").
		Where("voter_id = ? AND choice IS NOT NULL", voterID).Find(&rows).Error
	if err != nil {
		return fmt.Errorf("load judged pairs: %w", err)
	}
	v.judged = make(map[clipPair]bool, len(rows))
	for _, r := range rows {
		v.judged[pairOf(r.ClipAID, r.ClipBID)] = true
	}
	v.loaded = true
	return nil
}

// noteJudged records a vote in the voter's cached history, if cached.
func (s *Store) noteJudged(voterID string, a, b uint) {
	v, ok := s.voters.Peek(voterID)
	if !ok {
		return
	}
	v.mu.Lock()
	if v.loaded {
		v.judged[pairOf(a, b)] = true
	}
	v.mu.Unlock()
}
