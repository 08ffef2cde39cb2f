package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// VoteResult reveals the models behind a voted matchup.
type VoteResult struct {
	MatchupID string
	Choice    string
	// Valid is false when the vote was stored but does not count, with
	// InvalidReason saying why (ReasonTooFast, ReasonPositionBias, ...).
	Valid         bool
	InvalidReason string
	A, B          Model
	// ClipA and ClipB are the clips that were shown, for a page that shows
	// the reveal under them.
	ClipA, ClipB Clip
	Prompt       Prompt
}

// RecordVote stores the voter's choice on a matchup issued to them. The
// database enforces one vote per matchup: the update only matches a row
// without a choice, so of two racing votes exactly one succeeds.
func (s *Store) RecordVote(ctx context.Context, voterID, matchupID, choice string) (VoteResult, error) {
	return s.RecordVoteWith(ctx, voterID, matchupID, choice, "")
}

// RecordVoteWith is RecordVote with a reason the caller found for the vote
// not to count (ReasonAddressBudget), applied when no rule of the store's
// own already makes it invalid; "" means none.
func (s *Store) RecordVoteWith(ctx context.Context, voterID, matchupID, choice, reason string) (VoteResult, error) {
	if !ValidChoice(choice) {
		return VoteResult{}, fmt.Errorf("%w: choice must be a, b, tie or both_bad", ErrInvalidInput)
	}
	if !ValidID(matchupID) || voterID == "" {
		return VoteResult{}, errNotIssued
	}
	now := s.now().UTC()
	// Validity is decided inside the one UPDATE: too fast when cast before
	// the matchup's watch time ran out, otherwise the voter's flag reason
	// when they are flagged. A trigger counts valid votes per voter.
	var row struct {
		ModelAID, ModelBID, ClipAID, ClipBID, PromptID uint
		InvalidReason                                  string
	}
	var matched bool
	err := s.writeTx(ctx, true, func(tx *gorm.DB) error {
		err := queryRowDirect(tx, s.rules.sql.recordVote, choice, now, now, reason, now, reason, matchupID, voterID, now).
			Scan(&row.ModelAID, &row.ModelBID, &row.ClipAID, &row.ClipBID, &row.PromptID, &row.InvalidReason)
		matched = err == nil
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		return err
	})
	if err != nil {
		return VoteResult{}, fmt.Errorf("record vote: %w", err)
	}
	if !matched {
		return VoteResult{}, s.whyNotOpen(ctx, voterID, matchupID, now, errNotIssued, ErrAlreadyVoted)
	}
	s.noteJudged(voterID, row.ClipAID, row.ClipBID)
	s.stats.countVote(row.InvalidReason)
	s.stats.recorded.Add(1)
	valid := row.InvalidReason == ""
	res := VoteResult{MatchupID: matchupID, Choice: choice, Valid: valid, InvalidReason: row.InvalidReason}
	// One catalog read serves the models, clips and prompt of the reveal.
	cat, err := s.catalog(ctx)
	if err != nil {
		return VoteResult{}, err
	}
	var okA, okB bool
	res.A, okA = cat.models[row.ModelAID]
	res.B, okB = cat.models[row.ModelBID]
	if !okA || !okB { // a model added by another process since the catalog loaded
		ms, err := s.modelsIn(ctx, cat, []uint{row.ModelAID, row.ModelBID})
		if err != nil {
			return VoteResult{}, err
		}
		res.A, res.B = ms[row.ModelAID], ms[row.ModelBID]
	}
	res.ClipA, res.ClipB, res.Prompt = cat.clips[row.ClipAID], cat.clips[row.ClipBID], cat.prompts[row.PromptID]
	return res, nil
}

// recordVoteQuery is the vote's one UPDATE: invalid_reason and valid come
// from the same expression (see invalidReasonQuery).
func recordVoteQuery(requireFetch bool) string {
	reason := invalidReasonQuery(requireFetch)
	return `UPDATE matchups SET choice = ?, voted_at = ?,
	   invalid_reason = ` + reason + `,
	   valid = (` + reason + `) = ''
	 WHERE id = ? AND voter_id = ? AND choice IS NULL AND skip_reason = '' AND expires_at > ?
	 RETURNING model_a_id, model_b_id, clip_a_id, clip_b_id, prompt_id, invalid_reason`
}

// invalidReasonQuery is the reason a vote being recorded does not count, or
// the empty string when it counts. Its two parameters are the vote time
// and the caller's own reason ("" for none). The first rule that applies
// wins: too fast, then clips not fetched (when required), then the voter's
// flag, then the caller's reason.
func invalidReasonQuery(requireFetch bool) string {
	q := `CASE WHEN watch_until IS NOT NULL AND ? < watch_until THEN '` + ReasonTooFast + `'`
	if requireFetch {
		q += `
	WHEN NOT EXISTS (SELECT 1 FROM clip_fetches f WHERE f.voter_id = matchups.voter_id AND f.clip_id = matchups.clip_a_id)
	  OR NOT EXISTS (SELECT 1 FROM clip_fetches f WHERE f.voter_id = matchups.voter_id AND f.clip_id = matchups.clip_b_id)
	THEN '` + ReasonUnfetched + `'`
	}
	return q + `
	ELSE COALESCE((SELECT CASE WHEN flag_reason = '' THEN '` + ReasonFlagged + `' ELSE flag_reason END FROM voters WHERE voters.id = matchups.voter_id AND voters.flagged), ?) END`
}

// errNotIssued answers a vote on a matchup that does not exist or was issued
// to another voter, alike, so that ids cannot be probed.
var errNotIssued = fmt.Errorf("%w: no matchup with this id: it was not issued to you; ask for a new matchup", ErrNotFound)

// whyNotOpen explains a vote or skip that matched no row: notFound for a
// matchup that does not exist or is another voter's (so ids cannot be
// probed), otherwise why it is closed, or unexplained when nothing says.
func (s *Store) whyNotOpen(ctx context.Context, voterID, matchupID string, now time.Time, notFound, unexplained error) error {
	var m Matchup
	if err := s.db.w.WithContext(ctx).Where("id = ?", matchupID).Limit(1).Find(&m).Error; err != nil {
		return fmt.Errorf("load matchup: %w", err)
	}
	switch {
	case m.ID == "" || m.VoterID != voterID:
		return notFound
	case m.Choice != nil:
		return ErrAlreadyVoted
	case m.SkipReason != "":
		return ErrSkipped
	case !now.Before(m.ExpiresAt):
		return ErrExpired
	}
	return unexplained
}

// ModelsByID returns the models with the given ids, active or not, from
// the catalog; models it does not hold yet (added by another process since
// it was loaded) are read from the database. Unknown ids are left out.
func (s *Store) ModelsByID(ctx context.Context, ids ...uint) (map[uint]Model, error) {
	cat, err := s.catalog(ctx)
	if err != nil {
		return nil, err
	}
	return s.modelsIn(ctx, cat, ids)
}

func (s *Store) modelsIn(ctx context.Context, cat *catalog, ids []uint) (map[uint]Model, error) {
	out := make(map[uint]Model, len(ids))
	var missing []uint
	for _, id := range ids {
		if m, ok := cat.models[id]; ok {
			out[id] = m
		} else {
			missing = append(missing, id)
		}
	}
	if len(missing) == 0 {
		return out, nil
	}
	var ms []Model
	if err := s.db.r.WithContext(ctx).Where("id IN ?", missing).Find(&ms).Error; err != nil {
		return nil, fmt.Errorf("load models: %w", err)
	}
	for _, m := range ms {
		out[m.ID] = m
	}
	return out, nil
}

// CountVotes returns how many votes the database holds, valid or not, from
// every instance.
func (s *Store) CountVotes(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.r.WithContext(ctx).Model(&Matchup{}).Where("choice IS NOT NULL").Count(&n).Error
	return n, err
}
