package models

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// MatchupFilter narrows the prompts a matchup may come from. Empty fields
// mean any.
type MatchupFilter struct {
	Pool     string
	Category string
}

// IssuedMatchup is what a voter is shown before voting: nothing in it names a
// model.
type IssuedMatchup struct {
	ID        string
	Pool      string
	Prompt    Prompt
	A, B      Clip
	ExpiresAt time.Time
}

// IssueMatchup picks a prompt and two clips of it from different active
// models in one pool, assigns sides at random and records the matchup for
// the voter. Where the voter has already judged some clip pairs, it prefers
// pairs they have not seen.
func (s *Store) IssueMatchup(ctx context.Context, voterID string, f MatchupFilter) (IssuedMatchup, error) {
	cat, err := s.catalog(ctx)
	if err != nil {
		return IssuedMatchup{}, err
	}
	// Pointers into the catalog, which never changes once loaded: copying
	// every prompt and its clips on every request was the largest
	// allocation of a voting cycle.
	var prompts []*catalogPrompt
	for _, pool := range Pools {
		if f.Pool != "" && pool != f.Pool {
			continue
		}
		cps := cat.pools[pool]
		for i := range cps {
			if f.Category == "" || cps[i].prompt.Category == f.Category {
				prompts = append(prompts, &cps[i])
			}
		}
	}
	if len(prompts) == 0 {
		return IssuedMatchup{}, ErrNoMatchup
	}
	vs := s.voters.get(voterID)
	vs.mu.Lock()
	if err := s.judgedPairsLocked(ctx, voterID, vs); err != nil {
		vs.mu.Unlock()
		return IssuedMatchup{}, err
	}
	a, b, p := pickPair(prompts, vs.judged)
	voterStored := vs.stored
	vs.mu.Unlock()
	if rand.IntN(2) == 1 {
		a, b = b, a
	}
	now := s.now().UTC()
	m := Matchup{
		ID:        NewID(),
		VoterID:   voterID,
		PromptID:  p.ID,
		Pool:      a.Pool,
		Category:  p.Category,
		ClipAID:   a.ID,
		ClipBID:   b.ID,
		ModelAID:  a.ModelID,
		ModelBID:  b.ModelID,
		IssuedAt:  now,
		ExpiresAt: now.Add(s.ttl),
	}
	err = s.writeTx(ctx, false, func(tx *gorm.DB) error {
		// The voter's row is written once; the cache remembers it exists.
		if !voterStored {
			v := Voter{ID: voterID, CreatedAt: now}
			if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&v).Error; err != nil {
				return err
			}
		}
		return tx.Create(&m).Error
	})
	if err != nil {
		return IssuedMatchup{}, fmt.Errorf("store matchup: %w", err)
	}
	s.stats.matchups.Add(1)
	if !voterStored {
		vs.mu.Lock()
		vs.stored = true
		vs.mu.Unlock()
	}
	return IssuedMatchup{ID: m.ID, Pool: m.Pool, Prompt: p, A: a, B: b, ExpiresAt: m.ExpiresAt}, nil
}

type clipPair struct{ lo, hi uint }

func pairOf(a, b uint) clipPair {
	if a > b {
		a, b = b, a
	}
	return clipPair{a, b}
}

// pickPair chooses uniformly among the prompts that still have a pair the
// voter has not judged, then uniformly among those pairs; when the voter has
// judged everything it chooses uniformly among all pairs.
func pickPair(prompts []*catalogPrompt, judged map[clipPair]bool) (a, b Clip, p Prompt) {
	order := rand.Perm(len(prompts))
	for _, i := range order {
		cp := prompts[i]
		if n := countPairs(cp.clips, judged); n > 0 {
			a, b := nthPair(cp.clips, judged, rand.IntN(n))
			return a, b, cp.prompt
		}
	}
	cp := prompts[order[0]]
	a, b = nthPair(cp.clips, nil, rand.IntN(countPairs(cp.clips, nil)))
	return a, b, cp.prompt
}

// countPairs counts the clip pairs from different models that the voter has
// not judged. Counting and then walking to the chosen pair (nthPair) costs
// no allocation, unlike listing the pairs.
func countPairs(clips []Clip, judged map[clipPair]bool) int {
	n := 0
	for i := range clips {
		for j := i + 1; j < len(clips); j++ {
			if eligible(clips, i, j, judged) {
				n++
			}
		}
	}
	return n
}

// nthPair returns the k-th pair (from 0) that countPairs counts.
func nthPair(clips []Clip, judged map[clipPair]bool, k int) (Clip, Clip) {
	for i := range clips {
		for j := i + 1; j < len(clips); j++ {
			if eligible(clips, i, j, judged) {
				if k == 0 {
					return clips[i], clips[j]
				}
				k--
			}
		}
	}
	panic("nthPair: k beyond countPairs")
}

func eligible(clips []Clip, i, j int, judged map[clipPair]bool) bool {
	return clips[i].ModelID != clips[j].ModelID && !judged[pairOf(clips[i].ID, clips[j].ID)]
}
