package models

import (
	"context"
	"fmt"
	"time"
)

// VoteResult reveals the models behind a voted matchup.
type VoteResult struct {
	MatchupID string
	Choice    string
	Valid     bool
	A, B      Model
	// ClipA and ClipB are the clips that were shown, for a page that shows
	// the reveal under them.
	ClipA, ClipB Clip
	Prompt       Prompt
}

// RecordVote stores the voter's choice on a matchup issued to them. The
// database enforces one vote per matchup: the update only matches a row
// without a choice, so of two racing votes exactly one succeeds.
func (s *Store) RecordVote(ctx context.Context, voterID, matchupID, choice string) (VoteResult, error) {
	if !ValidChoice(choice) {
		return VoteResult{}, fmt.Errorf("%w: choice must be a, b, tie or both_bad", ErrInvalidInput)
	}
	if !ValidID(matchupID) || voterID == "" {
		return VoteResult{}, ErrNotFound
	}
	now := s.now().UTC()
	valid, reason := true, ""
	var ids struct{ ModelAID, ModelBID, ClipAID, ClipBID, PromptID uint }
	q := s.w.WithContext(ctx).Raw(
		`UPDATE matchups SET choice = ?, voted_at = ?, valid = ?, invalid_reason = ?
		 WHERE id = ? AND voter_id = ? AND choice IS NULL AND expires_at > ?
		 RETURNING model_a_id, model_b_id, clip_a_id, clip_b_id, prompt_id`,
		choice, now, valid, reason, matchupID, voterID, now).Scan(&ids)
	if q.Error != nil {
		return VoteResult{}, fmt.Errorf("record vote: %w", q.Error)
	}
	if q.RowsAffected == 0 {
		return VoteResult{}, s.whyNoVote(ctx, voterID, matchupID, now)
	}
	s.votes.Add(1)
	res := VoteResult{MatchupID: matchupID, Choice: choice, Valid: valid}
	var err error
	if res.A, res.B, err = s.modelPair(ctx, ids.ModelAID, ids.ModelBID); err != nil {
		return VoteResult{}, err
	}
	if cat, err := s.catalog(ctx); err == nil {
		res.ClipA, res.ClipB, res.Prompt = cat.clips[ids.ClipAID], cat.clips[ids.ClipBID], cat.prompts[ids.PromptID]
	}
	return res, nil
}

// whyNoVote explains a vote that matched no row. Another voter's matchup is
// reported as not found so that ids cannot be probed.
func (s *Store) whyNoVote(ctx context.Context, voterID, matchupID string, now time.Time) error {
	var m Matchup
	if err := s.w.WithContext(ctx).Where("id = ?", matchupID).Limit(1).Find(&m).Error; err != nil {
		return fmt.Errorf("load matchup: %w", err)
	}
	switch {
	case m.ID == "" || m.VoterID != voterID:
		return ErrNotFound
	case m.Choice != nil:
		return ErrAlreadyVoted
	case !now.Before(m.ExpiresAt):
		return ErrExpired
	}
	return ErrAlreadyVoted
}

func (s *Store) modelPair(ctx context.Context, a, b uint) (Model, Model, error) {
	cat, err := s.catalog(ctx)
	if err != nil {
		return Model{}, Model{}, err
	}
	ma, okA := cat.models[a]
	mb, okB := cat.models[b]
	if okA && okB {
		return ma, mb, nil
	}
	var ms []Model
	if err := s.r.WithContext(ctx).Where("id IN ?", []uint{a, b}).Find(&ms).Error; err != nil {
		return Model{}, Model{}, fmt.Errorf("load models: %w", err)
	}
	for _, m := range ms {
		if m.ID == a {
			ma = m
		}
		if m.ID == b {
			mb = m
		}
	}
	return ma, mb, nil
}
