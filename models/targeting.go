package models

import (
	"context"
	"fmt"
	"net/netip"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"
)

// ReasonTargeted marks votes undone because their voter, or their network,
// voted for one model far beyond what the board predicts (see
// targeting_test_stat.go).
const ReasonTargeted = "targeted"

// TargetingReport says what one CheckIntegrity pass did.
type TargetingReport struct {
	Flags        []TargetingFlag
	Targeted     int64 // votes invalidated as targeted
	PositionBias int64 // earlier votes of position-bias voters invalidated
}

// targetVote is one vote as the test reads it.
type targetVote struct {
	VoterID, ClientNet, Pool string
	ModelAID, ModelBID       uint
	Choice                   string
}

// groupTest is the running test of one group in one pool.
type groupTest struct {
	group, pool string
	nets        map[string]bool // the client networks of a net48 group
	votes       int64
	llr         map[uint]float64
	modelVotes  map[uint]int64
	expected    map[uint]float64
	decisive    map[uint]int64
	wins        map[uint]int64
	expWins     map[uint]float64
}

// CheckIntegrity runs the targeted-voting test over the votes of the last
// PruneRetention, invalidates (as targeted) the votes of every group found,
// records the evidence, and makes position-bias flags retroactive: every
// earlier valid vote of a voter flagged for position bias becomes invalid
// too. It is meant to run every few minutes; a pass reads the window's
// matchups once.
func (s *Store) CheckIntegrity(ctx context.Context, scores BoardScores) (TargetingReport, error) {
	var rep TargetingReport
	defer func() {
		// Votes undone before a later step failed stay undone: note them too.
		if rep.Targeted > 0 || rep.PositionBias > 0 {
			s.noteRankingChange()
		}
	}()
	now := s.now().UTC()
	since := now.Add(-PruneRetention)
	shares, tests, err := s.issuedShares(ctx, since)
	if err != nil {
		return rep, err
	}
	var votes []targetVote
	err = s.db.r.WithContext(ctx).Raw(`SELECT voter_id, client_net, pool, model_a_id, model_b_id, choice FROM matchups
		WHERE choice IS NOT NULL AND voted_at > ? AND client_net <> '' ORDER BY voted_at, id`, since).Scan(&votes).Error
	if err != nil {
		return rep, fmt.Errorf("load votes for the integrity check: %w", err)
	}
	groups := map[string]*groupTest{}
	for _, v := range votes {
		for _, g := range voteGroups(v) {
			key := g + "\x00" + v.Pool
			gt := groups[key]
			if gt == nil {
				gt = newGroupTest(g, v.Pool)
				groups[key] = gt
			}
			gt.nets[v.ClientNet] = true
			gt.observe(v, shares[v.Pool], scores[v.Pool])
		}
	}
	keys := make([]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		gt := groups[k]
		threshold := targetThreshold(tests[gt.pool])
		for m, llr := range gt.llr {
			if llr < threshold {
				continue
			}
			f, err := s.undoTargeted(ctx, gt, m, llr, threshold, since, now)
			if err != nil {
				return rep, err
			}
			f.Threshold = threshold
			rep.Flags = append(rep.Flags, f)
			rep.Targeted += f.Invalidated
		}
	}
	res := s.db.w.WithContext(ctx).Exec(`UPDATE matchups SET valid = ?, invalid_reason = ?
		WHERE choice IS NOT NULL AND valid AND voter_id IN (SELECT id FROM voters WHERE flagged AND flag_reason = ?)`,
		false, ReasonPositionBias, ReasonPositionBias)
	if res.Error != nil {
		return rep, fmt.Errorf("make position bias retroactive: %w", res.Error)
	}
	rep.PositionBias = res.RowsAffected
	return rep, nil
}

func newGroupTest(group, pool string) *groupTest {
	return &groupTest{group: group, pool: pool, nets: map[string]bool{}, llr: map[uint]float64{},
		modelVotes: map[uint]int64{}, expected: map[uint]float64{}, decisive: map[uint]int64{},
		wins: map[uint]int64{}, expWins: map[uint]float64{}}
}

// observe scores one vote for every model shown in the pool.
func (gt *groupTest) observe(v targetVote, shares map[uint]float64, scores map[uint]float64) {
	gt.votes++
	for m, pi := range shares {
		present := m == v.ModelAID || m == v.ModelBID
		gt.llr[m] += presenceLLR(present, pi)
		gt.expected[m] += pi
		if !present {
			continue
		}
		gt.modelVotes[m]++
		if v.Choice != ChoiceA && v.Choice != ChoiceB {
			continue
		}
		other := v.ModelBID
		if m == v.ModelBID {
			other = v.ModelAID
		}
		p := 0.5
		si, okI := scores[m]
		sj, okJ := scores[other]
		if okI && okJ {
			p = winProbability(si, sj)
		}
		won := (v.Choice == ChoiceA) == (m == v.ModelAID)
		gt.llr[m] += outcomeLLR(won, p)
		gt.decisive[m]++
		gt.expWins[m] += p
		if won {
			gt.wins[m]++
		}
	}
}

// voteGroups names the groups a vote belongs to: its voter, its network,
// and for IPv6 the /48 around the network, since one subscriber often holds
// a whole /48 and can take a new /64 for every cookie.
func voteGroups(v targetVote) []string {
	out := []string{"voter:" + v.VoterID, "net:" + v.ClientNet}
	if p, err := netip.ParsePrefix(v.ClientNet); err == nil && p.Addr().Is6() {
		if p48, err := p.Addr().Prefix(48); err == nil {
			out = append(out, "net48:"+p48.String())
		}
	}
	return out
}

// issuedShares returns, per pool, the share of matchups issued since then
// that showed each model, and how many models were shown.
func (s *Store) issuedShares(ctx context.Context, since time.Time) (map[string]map[uint]float64, map[string]int, error) {
	var rows []struct {
		Pool               string
		ModelAID, ModelBID uint
		N                  int64
	}
	err := s.db.r.WithContext(ctx).Raw(`SELECT pool, model_a_id, model_b_id, COUNT(*) AS n FROM matchups
		WHERE issued_at > ? AND client_net <> '' GROUP BY pool, model_a_id, model_b_id`, since).Scan(&rows).Error
	if err != nil {
		return nil, nil, fmt.Errorf("count issued matchups: %w", err)
	}
	totals := map[string]int64{}
	counts := map[string]map[uint]int64{}
	for _, r := range rows {
		totals[r.Pool] += r.N
		if counts[r.Pool] == nil {
			counts[r.Pool] = map[uint]int64{}
		}
		counts[r.Pool][r.ModelAID] += r.N
		counts[r.Pool][r.ModelBID] += r.N
	}
	shares := map[string]map[uint]float64{}
	tests := map[string]int{}
	for pool, cs := range counts {
		shares[pool] = map[uint]float64{}
		for m, n := range cs {
			shares[pool][m] = float64(n) / float64(totals[pool])
		}
		tests[pool] = len(cs)
	}
	return shares, tests, nil
}

// BoardScores gives each pool's current leaderboard scores by model id:
// what the targeted-voting test compares votes against. A pool without a
// board may be missing; its pairings are then taken as even.
type BoardScores map[string]map[uint]float64

// undoTargeted invalidates what a flagged group did for model m and records
// the evidence. A voter loses every valid vote and is flagged, so later
// votes do not count either; a network loses the votes in the window that
// favoured the model, whoever cast them.
func (s *Store) undoTargeted(ctx context.Context, gt *groupTest, m uint, llr, threshold float64, since, now time.Time) (TargetingFlag, error) {
	f := TargetingFlag{Group: gt.group, Pool: gt.pool, ModelID: m, LLR: llr, Threshold: threshold, Votes: gt.votes,
		ModelVotes: gt.modelVotes[m], ExpectedModelVotes: gt.expected[m], Decisive: gt.decisive[m],
		ModelWins: gt.wins[m], ExpectedWins: gt.expWins[m], FlaggedAt: now, CheckedAt: now}
	nets := make([]string, 0, len(gt.nets))
	for n := range gt.nets {
		nets = append(nets, n)
	}
	err := s.db.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var res *gorm.DB
		if voter, ok := strings.CutPrefix(gt.group, "voter:"); ok {
			res = tx.Exec(`UPDATE matchups SET valid = ?, invalid_reason = ? WHERE voter_id = ? AND choice IS NOT NULL AND valid`,
				false, ReasonTargeted, voter)
			if res.Error == nil {
				res2 := tx.Exec(`UPDATE voters SET flagged = ?, flag_reason = ? WHERE id = ? AND NOT flagged`, true, ReasonTargeted, voter)
				if res2.Error != nil {
					return res2.Error
				}
			}
			if err := tx.Raw(`SELECT COUNT(*) FROM matchups WHERE voter_id = ? AND choice IS NULL AND issued_at > ?`,
				voter, since).Scan(&f.Skips).Error; err != nil {
				return err
			}
		} else {
			res = tx.Exec(`UPDATE matchups SET valid = ?, invalid_reason = ? WHERE client_net IN ? AND pool = ?
				AND choice IS NOT NULL AND valid AND voted_at > ?
				AND ((model_a_id = ? AND choice = 'a') OR (model_b_id = ? AND choice = 'b'))`,
				false, ReasonTargeted, nets, gt.pool, since, m, m)
			if err := tx.Raw(`SELECT COUNT(*) FROM matchups WHERE client_net IN ? AND choice IS NULL AND issued_at > ?`,
				nets, since).Scan(&f.Skips).Error; err != nil {
				return err
			}
		}
		if res.Error != nil {
			return res.Error
		}
		f.Invalidated = res.RowsAffected
		return tx.Exec(`INSERT INTO targeting_flags (group_key, pool, model_id, llr, threshold, votes, model_votes,
			expected_model_votes, decisive, model_wins, expected_wins, skips, invalidated, flagged_at, checked_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (group_key, pool, model_id) DO UPDATE SET llr = excluded.llr, threshold = excluded.threshold,
			votes = excluded.votes, model_votes = excluded.model_votes, expected_model_votes = excluded.expected_model_votes,
			decisive = excluded.decisive, model_wins = excluded.model_wins, expected_wins = excluded.expected_wins,
			skips = excluded.skips, invalidated = targeting_flags.invalidated + excluded.invalidated, checked_at = excluded.checked_at`,
			f.Group, f.Pool, f.ModelID, f.LLR, f.Threshold, f.Votes, f.ModelVotes, f.ExpectedModelVotes, f.Decisive,
			f.ModelWins, f.ExpectedWins, f.Skips, f.Invalidated, f.FlaggedAt, f.CheckedAt).Error
	})
	if err != nil {
		return f, fmt.Errorf("undo targeted votes of %s: %w", gt.group, err)
	}
	return f, nil
}
