package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// InvalidVoteCounts returns how many stored votes are invalid, by reason
// (ReasonTooFast, ReasonPositionBias, ReasonAdmin, ...). Invalid votes are
// kept, never deleted, so these counts only grow unless an admin restores a
// voter.
func (s *Store) InvalidVoteCounts(ctx context.Context) (map[string]int64, error) {
	var rows []struct {
		InvalidReason string
		N             int64
	}
	err := s.db.r.WithContext(ctx).Model(&Matchup{}).
		Select("invalid_reason, COUNT(*) AS n").
		Where("choice IS NOT NULL AND NOT valid").
		Group("invalid_reason").Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("count invalid votes: %w", err)
	}
	out := make(map[string]int64, len(rows))
	for _, r := range rows {
		out[r.InvalidReason] = r.N
	}
	return out, nil
}

// FlaggedVoters lists the voters flagged for review, newest first, at most
// limit of them.
func (s *Store) FlaggedVoters(ctx context.Context, limit int) ([]Voter, error) {
	var vs []Voter
	err := s.db.r.WithContext(ctx).Where("flagged").Order("created_at DESC, id").Limit(limit).Find(&vs).Error
	if err != nil {
		return nil, fmt.Errorf("list flagged voters: %w", err)
	}
	return vs, nil
}

// VoterByID returns a voter with their flag and vote counters.
func (s *Store) VoterByID(ctx context.Context, id string) (Voter, error) {
	if !ValidID(id) {
		return Voter{}, ErrNotFound
	}
	var v Voter
	if err := s.db.r.WithContext(ctx).Where("id = ?", id).Limit(1).Find(&v).Error; err != nil {
		return Voter{}, fmt.Errorf("load voter: %w", err)
	}
	if v.ID == "" {
		return Voter{}, ErrNotFound
	}
	return v, nil
}

// RowCounts returns the number of rows in every table Arena owns, by table
// name. Tests use it to prove a refused request stored nothing.
func (s *Store) RowCounts(ctx context.Context) (map[string]int64, error) {
	return rowCounts(s.db.r.WithContext(ctx))
}

// RowCountsOf counts the rows of every table in the SQLite file at path,
// read-only and without migrating it: backup and restore report it.
func RowCountsOf(ctx context.Context, path string) (map[string]int64, error) {
	db, err := openPlain(path, true)
	if err != nil {
		return nil, err
	}
	defer closeDB(db)
	return rowCounts(db.WithContext(ctx))
}

func rowCounts(db *gorm.DB) (map[string]int64, error) {
	tables, err := db.Migrator().GetTables()
	if err != nil {
		return nil, fmt.Errorf("list tables: %w", err)
	}
	out := make(map[string]int64, len(tables))
	for _, t := range tables {
		var n int64
		if err := db.Table(t).Count(&n).Error; err != nil {
			return nil, fmt.Errorf("count %s: %w", t, err)
		}
		out[t] = n
	}
	return out, nil
}

// ValidVoteCount counts a voter's valid votes now (retroactive
// invalidations included), without fitting anything.
func (s *Store) ValidVoteCount(ctx context.Context, voterID string) (int64, error) {
	if !ValidID(voterID) {
		return 0, nil
	}
	var n int64
	err := s.db.r.WithContext(ctx).Model(&Matchup{}).Where("voter_id = ? AND choice IS NOT NULL AND valid", voterID).Count(&n).Error
	if err != nil {
		return 0, fmt.Errorf("count valid votes: %w", err)
	}
	return n, nil
}
