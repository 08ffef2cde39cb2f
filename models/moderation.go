package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// InvalidByAdmin is the InvalidReason of votes an admin invalidated (the same
// as ReasonAdmin). Restoring a voter's votes touches only the reasons an
// admin can overrule, so votes cast too fast stay invalid.
const InvalidByAdmin = "admin"

// InvalidateVoterVotes marks every valid vote of a voter invalid, keeping the
// votes, and flags the voter so that their later votes are stored invalid
// too; it reports how many votes changed.
func (s *Store) InvalidateVoterVotes(ctx context.Context, by Actor, voterID, reason string) (int64, error) {
	if err := s.voterExists(ctx, voterID); err != nil {
		return 0, err
	}
	var n int64
	err := s.db.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&Matchup{}).
			Where("voter_id = ? AND choice IS NOT NULL AND valid = ?", voterID, true).
			Updates(map[string]any{"valid": false, "invalid_reason": InvalidByAdmin})
		if res.Error != nil {
			return res.Error
		}
		n = res.RowsAffected
		if err := tx.Model(&Voter{}).Where("id = ?", voterID).
			Updates(map[string]any{"flagged": true, "flag_reason": InvalidByAdmin}).Error; err != nil {
			return err
		}
		return s.audit(tx, by, "voter.invalidate", "voter:"+voterID, fmt.Sprintf("votes=%d reason=%q", n, reason))
	})
	if err != nil {
		return 0, fmt.Errorf("invalidate votes: %w", err)
	}
	s.noteRankingChange()
	return n, nil
}

// RestoreVoterVotes clears a voter's flag and makes valid again the votes
// that were invalid because of an admin or the flag (admin, position_bias);
// votes cast too fast stay invalid. The voter's side counters start afresh,
// so position bias is judged again on their next votes. It reports how many
// votes changed.
func (s *Store) RestoreVoterVotes(ctx context.Context, by Actor, voterID, reason string) (int64, error) {
	if err := s.voterExists(ctx, voterID); err != nil {
		return 0, err
	}
	var n int64
	err := s.db.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&Matchup{}).
			Where("voter_id = ? AND choice IS NOT NULL AND valid = ? AND invalid_reason IN ?", voterID, false,
				[]string{InvalidByAdmin, ReasonPositionBias, ReasonFlagged}).
			Updates(map[string]any{"valid": true, "invalid_reason": ""})
		if res.Error != nil {
			return res.Error
		}
		n = res.RowsAffected
		if err := tx.Model(&Voter{}).Where("id = ?", voterID).
			Updates(map[string]any{"flagged": false, "flag_reason": "", "valid_votes": 0, "a_votes": 0, "b_votes": 0}).Error; err != nil {
			return err
		}
		return s.audit(tx, by, "voter.restore", "voter:"+voterID, fmt.Sprintf("votes=%d reason=%q", n, reason))
	})
	if err != nil {
		return 0, fmt.Errorf("restore votes: %w", err)
	}
	s.noteRankingChange()
	return n, nil
}

func (s *Store) voterExists(ctx context.Context, voterID string) error {
	if !ValidVoterID(voterID) {
		return fmt.Errorf("%w: no voter %q", ErrNotFound, voterID)
	}
	var v Voter
	err := s.db.r.WithContext(ctx).Where("id = ?", voterID).Take(&v).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return fmt.Errorf("%w: no voter %q", ErrNotFound, voterID)
	}
	return err
}

// VoteRow is one recorded vote with the names an admin needs to judge it.
type VoteRow struct {
	MatchupID     string    `json:"matchup_id"`
	VoterID       string    `json:"voter_id"`
	Pool          string    `json:"pool"`
	PromptID      uint      `json:"prompt_id"`
	ModelA        string    `json:"model_a"`
	ModelB        string    `json:"model_b"`
	Choice        string    `json:"choice"`
	VotedAt       time.Time `json:"voted_at"`
	Valid         bool      `json:"valid"`
	InvalidReason string    `json:"invalid_reason"`
}

// RecentVotes returns the newest votes, at most limit, of one voter when
// voterID is not empty.
func (s *Store) RecentVotes(ctx context.Context, voterID string, limit int) ([]VoteRow, error) {
	q := s.db.r.WithContext(ctx).Table("matchups AS m").
		Select(`m.id AS matchup_id, m.voter_id, m.pool, m.prompt_id, a.slug AS model_a, b.slug AS model_b,
			m.choice, m.voted_at, m.valid, m.invalid_reason`).
		Joins("JOIN models a ON a.id = m.model_a_id").
		Joins("JOIN models b ON b.id = m.model_b_id").
		Where("m.choice IS NOT NULL").
		Order("m.voted_at DESC").Limit(limit)
	if voterID != "" {
		q = q.Where("m.voter_id = ?", voterID)
	}
	var rows []VoteRow
	if err := q.Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("list votes: %w", err)
	}
	return rows, nil
}
