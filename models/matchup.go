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
	judged, err := s.judgedPairs(ctx, voterID)
	if err != nil {
		return IssuedMatchup{}, err
	}
	a, b, p := pickPair(prompts, judged, s.pairWeigher(ctx, f.Pool))
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
	err = s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		v := Voter{ID: voterID, CreatedAt: now}
		if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&v).Error; err != nil {
			return err
		}
		return tx.Create(&m).Error
	})
	if err != nil {
		return IssuedMatchup{}, fmt.Errorf("store matchup: %w", err)
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

// judgedPairs returns the clip pairs the voter has already voted on.
func (s *Store) judgedPairs(ctx context.Context, voterID string) (map[clipPair]bool, error) {
	var rows []struct{ ClipAID, ClipBID uint }
	err := s.r.WithContext(ctx).Model(&Matchup{}).Select("clip_a_id, clip_b_id").
		Where("voter_id = ? AND choice IS NOT NULL", voterID).Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("load judged pairs: %w", err)
	}
	out := make(map[clipPair]bool, len(rows))
	for _, r := range rows {
		out[pairOf(r.ClipAID, r.ClipBID)] = true
	}
	return out, nil
}
