package models

import (
	"context"
	"fmt"
	"time"
)

// TargetingFlag is the evidence against one group of votes for one model:
// what the test saw and what was undone. Group is "voter:<id>",
// "net:<IPv4 address or IPv6 /64>" or "net48:<IPv6 /48>".
type TargetingFlag struct {
	ID      uint   `gorm:"primaryKey" json:"-"`
	Group   string `gorm:"column:group_key;size:80;not null" json:"group"`
	Pool    string `gorm:"size:16;not null" json:"pool"`
	ModelID uint   `gorm:"not null" json:"model_id"`
	// Model is the model's slug, filled in when listed.
	Model string `gorm:"-" json:"model"`
	// LLR is the log likelihood ratio reached; Threshold the one that
	// flags.
	LLR       float64 `gorm:"column:llr;not null" json:"llr"`
	Threshold float64 `gorm:"not null" json:"threshold"`
	// Votes is the group's votes in the pool; ModelVotes those on matchups
	// with the model, where ExpectedModelVotes were expected from how often
	// the model is shown; Decisive those of them for A or B, ModelWins
	// those the model won, ExpectedWins the board's expectation.
	Votes              int64   `gorm:"not null" json:"votes"`
	ModelVotes         int64   `gorm:"not null" json:"model_votes"`
	ExpectedModelVotes float64 `gorm:"not null" json:"expected_model_votes"`
	Decisive           int64   `gorm:"not null" json:"decisive"`
	ModelWins          int64   `gorm:"not null" json:"model_wins"`
	ExpectedWins       float64 `gorm:"not null" json:"expected_wins"`
	// Skips counts the group's matchups issued in the window and not voted
	// (pending ones included).
	Skips int64 `gorm:"not null" json:"skips"`
	// Invalidated counts the votes this flag has undone so far.
	Invalidated int64     `gorm:"not null" json:"invalidated"`
	FlaggedAt   time.Time `gorm:"not null" json:"flagged_at"`
	CheckedAt   time.Time `gorm:"not null" json:"checked_at"`
}

// TargetingFlags lists the recorded evidence, most recently checked first,
// at most limit rows.
func (s *Store) TargetingFlags(ctx context.Context, limit int) ([]TargetingFlag, error) {
	var fs []TargetingFlag
	if err := s.db.r.WithContext(ctx).Order("checked_at DESC, id").Limit(limit).Find(&fs).Error; err != nil {
		return nil, fmt.Errorf("list targeting flags: %w", err)
	}
	if cat, err := s.catalog(ctx); err == nil {
		for i := range fs {
			fs[i].Model = cat.models[fs[i].ModelID].Slug
		}
	}
	return fs, nil
}
