package models

import (
	"context"
	"fmt"
	"sync"
)

// voterCacheSize bounds how many voters the cache keeps per generation; at
// most twice as many are held. A forgotten voter costs one query when they
// come back.
const voterCacheSize = 50_000

// voterCache remembers, per recent voter, the clip pairs they have judged
// and whether their row is stored, so issuing a matchup reads no voter
// history from the database and writes no voter row after the first time.
// Two generations bound its size: when the current one fills up it becomes
// the old one, and voters found only in the old one move back.
//
// With several instances a voter's votes through another instance are
// missing here until this instance forgets them; that only weakens the
// preference for unjudged pairs, never a vote.
type voterCache struct {
	mu       sync.Mutex
	limit    int
	cur, old map[string]*voterState
}

// voterState is one voter's cached history.
type voterState struct {
	mu     sync.Mutex
	loaded bool // judged holds every pair the voter judged
	stored bool // the voters row exists
	judged map[clipPair]bool
	issued int // matchups issued here, to pace the pending bound
}

func newVoterCache(limit int) *voterCache {
	return &voterCache{limit: limit, cur: make(map[string]*voterState)}
}

// get returns the voter's state, creating an empty one.
func (c *voterCache) get(id string) *voterState {
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.cur[id]; ok {
		return v
	}
	v, ok := c.old[id]
	if !ok {
		v = &voterState{}
	}
	if len(c.cur) >= c.limit {
		c.old, c.cur = c.cur, make(map[string]*voterState, c.limit)
	}
	c.cur[id] = v
	return v
}

// peek returns the voter's state if it is cached.
func (c *voterCache) peek(id string) *voterState {
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.cur[id]; ok {
		return v
	}
	return c.old[id]
}

// judgedPairsLocked makes sure v.judged is loaded; v.mu must be held.
func (s *Store) judgedPairsLocked(ctx context.Context, voterID string, v *voterState) error {
	if v.loaded {
		return nil
	}
	var rows []struct{ ClipAID, ClipBID uint }
	err := s.r.WithContext(ctx).Model(&Matchup{}).Select("clip_a_id, clip_b_id").
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
	v := s.voters.peek(voterID)
	if v == nil {
		return
	}
	v.mu.Lock()
	if v.loaded {
		v.judged[pairOf(a, b)] = true
	}
	v.mu.Unlock()
}

// forget drops voters from the cache, after their rows were pruned: a
// voter who comes back then gets their row written again.
func (c *voterCache) forget(ids []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, id := range ids {
		delete(c.cur, id)
		delete(c.old, id)
	}
}
