package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// ReasonUnfetched marks a vote stored but not counted because the voter's
// client had not fetched both of its clips (Options.RequireClipFetch).
const ReasonUnfetched = "clips_not_fetched"

// RecordClipFetch notes that the voter's client fetched the clip. Once is
// enough: a clip fetched in an earlier matchup may be played from the
// browser's cache later.
func (s *Store) RecordClipFetch(ctx context.Context, voterID string, clipID uint) error {
	if !ValidID(voterID) || clipID == 0 {
		return nil
	}
	err := s.writeTx(ctx, false, func(tx *gorm.DB) error {
		return tx.Exec(`INSERT INTO clip_fetches (voter_id, clip_id, fetched_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
			voterID, clipID, s.now().UTC()).Error
	})
	if err != nil {
		return fmt.Errorf("record clip fetch: %w", err)
	}
	return nil
}

// RequiresClipFetch reports whether votes count only with both clips
// fetched.
func (s *Store) RequiresClipFetch() bool { return s.rules.requireFetch }
