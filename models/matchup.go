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
	var prompts []catalogPrompt
	for _, pool := range Pools {
		if f.Pool != "" && pool != f.Pool {
			continue
		}
		for _, p := range cat.pools[pool] {
			if f.Category == "" || p.prompt.Category == f.Category {
				prompts = append(prompts, p)
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
func pickPair(prompts []catalogPrompt, judged map[clipPair]bool) (a, b Clip, p Prompt) {
	order := rand.Perm(len(prompts))
	for _, i := range order {
		pairs := pairsOf(prompts[i].clips, judged)
		if len(pairs) > 0 {
			pr := pairs[rand.IntN(len(pairs))]
			return pr[0], pr[1], prompts[i].prompt
		}
	}
	cp := prompts[order[0]]
	pairs := pairsOf(cp.clips, nil)
	pr := pairs[rand.IntN(len(pairs))]
	return pr[0], pr[1], cp.prompt
}

// pairsOf lists the clip pairs from different models, skipping judged ones.
func pairsOf(clips []Clip, judged map[clipPair]bool) [][2]Clip {
	var out [][2]Clip
	for i := range clips {
		for j := i + 1; j < len(clips); j++ {
			if clips[i].ModelID == clips[j].ModelID || judged[pairOf(clips[i].ID, clips[j].ID)] {
				continue
			}
			out = append(out, [2]Clip{clips[i], clips[j]})
		}
	}
	return out
}
