package models

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Reasons a voter skips a matchup.
const (
	SkipBroken        = "broken"        // a clip does not play; reported against the clip
	SkipCantDecide    = "cant_decide"   // nothing to report
	SkipInappropriate = "inappropriate" // reported against the clip for an admin to look at
)

// ValidSkipReason reports whether r is one of the skip reasons.
func ValidSkipReason(r string) bool {
	return r == SkipBroken || r == SkipCantDecide || r == SkipInappropriate
}

// BrokenReportLimit is how many distinct voters must report a clip broken
// before it is taken out of matchups: one voter's flaky connection must not
// pull a clip, three independent failures mean the clip is the problem.
const BrokenReportLimit = 3

// ErrSkipped means the matchup was skipped and takes no vote.
var ErrSkipped = errors.New("this matchup was skipped")

// ClipReport is one voter's report about one clip, made by skipping a
// matchup as broken or inappropriate. A voter reports a clip once per reason.
type ClipReport struct {
	ID        uint   `gorm:"primaryKey"`
	ClipID    uint   `gorm:"not null;uniqueIndex:idx_clip_reports_once,priority:1"`
	VoterID   string `gorm:"size:32;not null;uniqueIndex:idx_clip_reports_once,priority:2"`
	Reason    string `gorm:"size:16;not null;uniqueIndex:idx_clip_reports_once,priority:3"`
	MatchupID string `gorm:"size:32;not null"`
	CreatedAt time.Time
}

// SkipResult says what a skip did.
type SkipResult struct {
	Reason string
	Side   string // "a", "b" or "" for both
	// Withdrawn lists the public ids of clips this skip took out of matchups.
	Withdrawn []string
}

// SkipMatchup closes a voter's pending matchup without a vote: stored with
// the reason, never counted in rankings. A broken or inappropriate skip
// reports the clip on side ("a" or "b"), or both clips when side is empty;
// a clip reported broken by BrokenReportLimit distinct voters is withdrawn
// from matchups. Another voter's matchup is ErrNotFound; a voted one
// ErrAlreadyVoted, a skipped one ErrSkipped, an expired one ErrExpired.
func (s *Store) SkipMatchup(ctx context.Context, voterID, matchupID, reason, side string) (SkipResult, error) {
	if !ValidSkipReason(reason) {
		return SkipResult{}, fmt.Errorf("%w: reason must be broken, cant_decide or inappropriate", ErrInvalidInput)
	}
	if side != "" && side != ChoiceA && side != ChoiceB {
		return SkipResult{}, fmt.Errorf("%w: side must be a or b, or left out for both", ErrInvalidInput)
	}
	now := s.now()
	res := SkipResult{Reason: reason, Side: side}
	var m Matchup
	err := s.db.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		q := tx.Model(&Matchup{}).
			Where("id = ? AND voter_id = ? AND choice IS NULL AND skip_reason = '' AND expires_at > ?", matchupID, voterID, now).
			Updates(map[string]any{"skip_reason": reason, "skip_side": side, "skipped_at": now, "expires_at": now})
		if q.Error != nil {
			return q.Error
		}
		if q.RowsAffected == 0 {
			return errNoRow
		}
		if err := tx.Where("id = ?", matchupID).Take(&m).Error; err != nil {
			return err
		}
		if reason == SkipCantDecide {
			return nil
		}
		var clips []uint
		switch side {
		case ChoiceA:
			clips = []uint{m.ClipAID}
		case ChoiceB:
			clips = []uint{m.ClipBID}
		default:
			clips = []uint{m.ClipAID, m.ClipBID}
		}
		for _, id := range clips {
			r := ClipReport{ClipID: id, VoterID: voterID, Reason: reason, MatchupID: matchupID, CreatedAt: now}
			if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&r).Error; err != nil {
				return err
			}
			if reason != SkipBroken {
				continue
			}
			var n int64
			if err := tx.Model(&ClipReport{}).Where("clip_id = ? AND reason = ?", id, SkipBroken).Count(&n).Error; err != nil {
				return err
			}
			if n < BrokenReportLimit {
				continue
			}
			up := tx.Model(&Clip{}).Where("id = ? AND NOT withdrawn", id).Update("withdrawn", true)
			if up.Error != nil {
				return up.Error
			}
			if up.RowsAffected > 0 {
				var pub string
				tx.Model(&Clip{}).Where("id = ?", id).Pluck("public_id", &pub)
				res.Withdrawn = append(res.Withdrawn, pub)
			}
		}
		return nil
	})
	if errors.Is(err, errNoRow) {
		return SkipResult{}, s.whyNotOpen(ctx, voterID, matchupID, now, ErrNotFound, ErrSkipped)
	}
	if err != nil {
		return SkipResult{}, fmt.Errorf("skip matchup: %w", err)
	}
	if len(res.Withdrawn) > 0 {
		s.log.Warn("clip withdrawn: reported broken by enough voters", "clips", res.Withdrawn, "reports", BrokenReportLimit)
		s.invalidate()
		s.noteRankingChange() // fewer clips change which pairs the arena can show
	}
	return res, nil
}

// errNoRow ends a transaction whose update matched nothing.
var errNoRow = errors.New("no row matched")

// RestoreClip puts a withdrawn clip back into matchups and forgets its
// broken reports, as an admin does after fixing or re-rendering it.
func (s *Store) RestoreClip(ctx context.Context, by Actor, publicID string) (Clip, error) {
	c, err := s.ClipStatus(ctx, publicID)
	if err != nil {
		return Clip{}, err
	}
	err = s.db.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("clip_id = ? AND reason = ?", c.ID, SkipBroken).Delete(&ClipReport{}).Error; err != nil {
			return err
		}
		if err := tx.Model(&Clip{}).Where("id = ?", c.ID).Update("withdrawn", false).Error; err != nil {
			return err
		}
		return s.audit(tx, by, "clip.restore", "clip:"+c.PublicID, "broken reports cleared")
	})
	if err != nil {
		return Clip{}, fmt.Errorf("restore clip: %w", err)
	}
	s.invalidate()
	s.noteRankingChange()
	c.Withdrawn = false
	return c, nil
}

// ReportedClip is a clip voters reported, for the dashboard.
type ReportedClip struct {
	Clip
	Model         string
	Broken        int64
	Inappropriate int64
}

// ReportedClips lists withdrawn clips and clips with reports, most reported
// first.
func (s *Store) ReportedClips(ctx context.Context, limit int) ([]ReportedClip, error) {
	type row struct {
		ClipID        uint
		Broken        int64
		Inappropriate int64
	}
	var rows []row
	err := s.db.r.WithContext(ctx).Model(&ClipReport{}).
		Select("clip_id, SUM(CASE WHEN reason = ? THEN 1 ELSE 0 END) AS broken, SUM(CASE WHEN reason = ? THEN 1 ELSE 0 END) AS inappropriate", SkipBroken, SkipInappropriate).
		Group("clip_id").Order("COUNT(*) DESC, clip_id").Limit(limit).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("list reported clips: %w", err)
	}
	counts := make(map[uint]row, len(rows))
	ids := []uint{}
	for _, r := range rows {
		counts[r.ClipID] = r
		ids = append(ids, r.ClipID)
	}
	// Two queries, not "id IN … OR withdrawn": each uses an index (the
	// primary key, idx_clips_withdrawn) where the OR reads every clip.
	var clips, withdrawn []Clip
	if err := s.db.r.WithContext(ctx).Where("id IN ?", ids).Find(&clips).Error; err != nil {
		return nil, err
	}
	if err := s.db.r.WithContext(ctx).Where("withdrawn").Find(&withdrawn).Error; err != nil {
		return nil, err
	}
	for _, c := range withdrawn {
		if _, reported := counts[c.ID]; !reported {
			clips = append(clips, c)
		}
	}
	sort.Slice(clips, func(i, j int) bool { return clips[i].ID < clips[j].ID })
	cat, err := s.catalog(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]ReportedClip, 0, len(clips))
	for _, c := range clips {
		r := counts[c.ID]
		out = append(out, ReportedClip{Clip: c, Model: cat.models[c.ModelID].Slug, Broken: r.Broken, Inappropriate: r.Inappropriate})
	}
	return out, nil
}

// SkipCounts counts skipped matchups by reason, for the dashboard.
func (s *Store) SkipCounts(ctx context.Context) (map[string]int64, error) {
	type row struct {
		SkipReason string
		N          int64
	}
	var rows []row
	err := s.db.r.WithContext(ctx).Model(&Matchup{}).Select("skip_reason, COUNT(*) AS n").
		Where("skip_reason <> ''").Group("skip_reason").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("count skips: %w", err)
	}
	out := map[string]int64{SkipBroken: 0, SkipCantDecide: 0, SkipInappropriate: 0}
	for _, r := range rows {
		out[r.SkipReason] = r.N
	}
	return out, nil
}
