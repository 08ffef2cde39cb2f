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
		if f.Category != "" && !cat.hasCategory(f.Category) {
			return IssuedMatchup{}, fmt.Errorf("%w: unknown category; leave it out or use one the prompts have", ErrInvalidInput)
		}
		return IssuedMatchup{}, ErrNoMatchup
	}
	now := s.now().UTC()
	judged, pending, err := s.judgedPairs(ctx, voterID, now)
	if err != nil {
		return IssuedMatchup{}, err
	}
	a, b, p := pickPair(prompts, judged)
	if rand.IntN(2) == 1 {
		a, b = b, a
	}
	m := Matchup{
		ID:         NewID(),
		VoterID:    voterID,
		PromptID:   p.ID,
		Pool:       a.Pool,
		Category:   p.Category,
		ClipAID:    a.ID,
		ClipBID:    b.ID,
		ModelAID:   a.ModelID,
		ModelBID:   b.ModelID,
		IssuedAt:   now,
		ExpiresAt:  now.Add(s.ttl),
		WatchUntil: now.Add(s.watchTime(a, b)),
	}
	err = s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		v := Voter{ID: voterID, CreatedAt: now}
		if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&v).Error; err != nil {
			return err
		}
		// The count was read just before; only the rare voter at the
		// bound pays for the extra statement.
		if pending >= s.maxPending {
			if err := s.expireOldestPending(tx, voterID, now); err != nil {
				return err
			}
		}
		return tx.Create(&m).Error
	})
	if err != nil {
		return IssuedMatchup{}, fmt.Errorf("store matchup: %w", err)
	}
	return IssuedMatchup{ID: m.ID, Pool: m.Pool, Prompt: p, A: a, B: b, ExpiresAt: m.ExpiresAt}, nil
}

// watchTime is how long a voter must have had the matchup before the vote
// counts: the configured minimum, but never longer than the shorter clip, so
// a voter who watched both clips through can always vote validly.
func (s *Store) watchTime(a, b Clip) time.Duration {
	d := s.minWatch
	shorter := time.Duration(min(a.DurationMS, b.DurationMS)) * time.Millisecond
	if shorter > 0 && shorter < d {
		d = shorter
	}
	return d
}

// expireOldestPending makes room for one more pending matchup: of the
// voter's unvoted, unexpired matchups all but the newest maxPending-1
// expire now. Two matchups issued to one voter at the same instant may
// overshoot the bound by one; the next issue trims it again. Expired matchups stay stored; a vote on one answers 410.
func (s *Store) expireOldestPending(tx *gorm.DB, voterID string, now time.Time) error {
	// "LIMIT -1" is SQLite's "no limit", which OFFSET needs there;
	// PostgreSQL spells it "LIMIT ALL".
	noLimit := "LIMIT -1"
	if s.dialect == "postgres" {
		noLimit = "LIMIT ALL"
	}
	return tx.Exec(`UPDATE matchups SET expires_at = ? WHERE id IN (
		SELECT id FROM matchups WHERE voter_id = ? AND choice IS NULL AND expires_at > ?
		ORDER BY expires_at DESC, id `+noLimit+` OFFSET ?)`,
		now, voterID, now, s.maxPending-1).Error
}

type clipPair struct{ lo, hi uint }

func pairOf(a, b uint) clipPair {
	if a > b {
		a, b = b, a
	}
	return clipPair{a, b}
}

// judgedPairs returns the clip pairs the voter has already voted on, and
// in the same read how many matchups they hold pending (unvoted, unexpired).
func (s *Store) judgedPairs(ctx context.Context, voterID string, now time.Time) (map[clipPair]bool, int, error) {
	var rows []struct {
		ClipAID, ClipBID uint
		Pending          bool
	}
	err := s.r.WithContext(ctx).Model(&Matchup{}).Select("clip_a_id, clip_b_id, choice IS NULL AS pending").
		Where("voter_id = ? AND (choice IS NOT NULL OR expires_at > ?)", voterID, now).Find(&rows).Error
	if err != nil {
		return nil, 0, fmt.Errorf("load judged pairs: %w", err)
	}
	out := make(map[clipPair]bool, len(rows))
	pending := 0
	for _, r := range rows {
		if r.Pending {
			pending++
			continue
		}
		out[pairOf(r.ClipAID, r.ClipBID)] = true
	}
	return out, pending, nil
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
