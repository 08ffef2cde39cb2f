package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"gorm.io/gorm"
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
// pairs they have not seen; among the rest it draws in proportion to weigh.
func (s *Store) IssueMatchup(ctx context.Context, voterID string, f MatchupFilter, weigh PairWeigher) (IssuedMatchup, error) {
	return s.IssueMatchupTo(ctx, voterID, "", f, weigh)
}

// IssueMatchupTo is IssueMatchup for a client on network clientNet (an
// IPv4 address or IPv6 /64), which the matchup records for the
// targeted-voting checks.
func (s *Store) IssueMatchupTo(ctx context.Context, voterID, clientNet string, f MatchupFilter, weigh PairWeigher) (IssuedMatchup, error) {
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
		if f.Category != "" && !cat.hasCategory(f.Category) {
			return IssuedMatchup{}, fmt.Errorf("%w: unknown category; leave it out or use one the prompts have", ErrInvalidInput)
		}
		return IssuedMatchup{}, ErrNoMatchup
	}
	now := s.now().UTC()
	vs := s.voters.GetOrAdd(voterID, func() *voterState { return &voterState{} })
	vs.mu.Lock()
	if err := s.judgedPairsLocked(ctx, voterID, vs); err != nil {
		vs.mu.Unlock()
		return IssuedMatchup{}, err
	}
	scratch, ok := s.pairScratch.Get().(*[]float64)
	if !ok {
		scratch = new([]float64)
	}
	judged, all := vs.judged, judgedAllKey{cat.version, f}
	if vs.judgedAll == all {
		judged = nil
	}
	a, b, p, fresh := pickPair(prompts, judged, weigh.clipWeight, scratch)
	s.pairScratch.Put(scratch)
	if !fresh && judged != nil {
		vs.judgedAll = all
	}
	voterStored := vs.stored
	// Every trimEvery matchups issued here, the voter's oldest pending
	// ones beyond the bound expire: a count per issue would cost a query.
	vs.issued++
	trim := vs.issued%trimEvery(s.rules.maxPending) == 0
	vs.mu.Unlock()
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
		ExpiresAt:  now.Add(s.rules.ttl),
		WatchUntil: now.Add(s.watchTime(a, b)),
		ClientNet:  Truncate(clientNet, 64),
	}
	if s.db.issue != nil {
		err = s.storeMatchupPG(ctx, &m, !voterStored, trim)
	} else {
		err = s.storeMatchup(ctx, &m, !voterStored, trim)
	}
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

// storeMatchup stores m in a transaction of the batch writer; newVoter adds
// the voter's row and trim expires the voter's oldest pending matchups.
func (s *Store) storeMatchup(ctx context.Context, m *Matchup, newVoter, trim bool) error {
	now := m.IssuedAt
	voterID := m.VoterID
	return s.writeTx(ctx, false, func(tx *gorm.DB) error {
		// The voter's row is written once; the cache remembers it exists.
		if newVoter {
			if err := execDirect(tx, s.rules.sql.insertVoter, voterID, now); err != nil {
				return err
			}
		}
		if trim {
			if err := s.expireOldestPending(tx, voterID, now); err != nil {
				return err
			}
		}
		return execDirect(tx, s.rules.sql.insertMatchup, m.ID, m.VoterID, m.PromptID, m.Pool, m.Category, m.ClipAID, m.ClipBID,
			m.ModelAID, m.ModelBID, m.IssuedAt, m.ExpiresAt, m.WatchUntil, m.ClientNet)
	})
}

// The two inserts of a voting cycle are written out rather than built by
// gorm's Create, whose reflection over the struct was the largest cost of
// issuing a matchup after SQLite itself; see cycleSQL for how they run.
const (
	insertVoterSQL   = `INSERT INTO voters (id, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING`
	insertMatchupSQL = `INSERT INTO matchups (id, voter_id, prompt_id, pool, category, clip_a_id, clip_b_id,
		model_a_id, model_b_id, issued_at, expires_at, watch_until, client_net) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
)

// watchTime is how long a voter must have had the matchup before the vote
// counts: the configured minimum, but never longer than the shorter clip, so
// a voter who watched both clips through can always vote validly.
func (s *Store) watchTime(a, b Clip) time.Duration {
	d := s.rules.minWatch
	shorter := time.Duration(min(a.DurationMS, b.DurationMS)) * time.Millisecond
	if shorter > 0 && shorter < d {
		d = shorter
	}
	return d
}

// trimEvery is how often (in matchups issued to one voter) the pending
// bound is enforced; between two trims a voter holds at most
// maxPending + trimEvery - 1 pending matchups.
func trimEvery(maxPending int) int { return max(1, maxPending/2) }

// expireOldestPending makes room for one more pending matchup: of the
// voter's unvoted, unexpired matchups all but the newest maxPending-1
// expire now. Two matchups issued to one voter at the same instant may
// overshoot the bound by one; the next issue trims it again. Expired matchups stay stored; a vote on one answers 410.
func (s *Store) expireOldestPending(tx *gorm.DB, voterID string, now time.Time) error {
	// Most voters vote on what they are shown and hold one pending matchup
	// or none: a look at the pending index settles that, where the UPDATE,
	// which sorts the voter's pending matchups in a temporary table, cost
	// as much as a whole voting cycle.
	var one int
	err := queryRowDirect(tx, s.rules.sql.overPending, voterID, now, s.rules.maxPending-1).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // fewer than maxPending pending: nothing to expire
	}
	if err != nil {
		return err
	}
	return execDirect(tx, s.rules.sql.expirePending, now, voterID, now, s.rules.maxPending-1)
}

// overPendingQuery finds a row when the voter holds more pending matchups
// than its last parameter, the number expireOldestPending keeps.
const overPendingQuery = `SELECT 1 FROM matchups WHERE voter_id = ? AND choice IS NULL AND expires_at > ? LIMIT 1 OFFSET ?`

// expirePendingQuery is expireOldestPending's statement; its parameters are
// the time now, the voter, the time now again and how many pending
// matchups stay.
func expirePendingQuery(d dialect) string {
	return trimPendingSQL(d, "?", "?", "?")
}

// trimPendingSQL expires the voter's pending matchups beyond the newest
// keep, written with the given placeholders for the time now, the voter
// and keep: expireOldestPending runs it alone, and on PostgreSQL it rides
// along with the insert of a matchup (newIssueSQL).
func trimPendingSQL(d dialect, now, voter, keep string) string {
	return `UPDATE matchups SET expires_at = ` + now + ` WHERE id IN (
		SELECT id FROM matchups WHERE voter_id = ` + voter + ` AND choice IS NULL AND expires_at > ` + now + `
		ORDER BY expires_at DESC, id ` + d.noLimit() + ` OFFSET ` + keep + `)`
}

type clipPair struct{ lo, hi uint }

func pairOf(a, b uint) clipPair {
	if a > b {
		a, b = b, a
	}
	return clipPair{a, b}
}
