package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/arena-video/arena/models/history"
)

// afterSave runs once a board is stored as the newest of its key: the board
// it replaced keeps only its per-model rows, and on a pool's board (all
// categories) every rank change against the replaced one becomes a feed
// event.
func (s *Store) afterSave(ctx context.Context, prev *cachedBoard, lb *Leaderboard) error {
	var before *Leaderboard
	if prev == nil || prev.board == nil {
		// Nothing cached (a command run, a fresh process): the board this
		// one follows is the newest stored before it.
		old, err := s.boardBefore(ctx, boardKey(lb.Pool, lb.Category), lb.ComputedAt, lb.SnapshotID)
		if err != nil {
			return err
		}
		if old != nil {
			prev = &cachedBoard{id: old.SnapshotID, board: old}
		}
	}
	if prev != nil && prev.board != nil && prev.id != lb.SnapshotID {
		before = prev.board
		if before.WinRate != nil || before.Pairs != nil {
			body, err := compactBody(before)
			if err != nil {
				return err
			}
			if err := s.w.WithContext(ctx).Model(&Snapshot{}).Where("id = ?", prev.id).Update("body", body).Error; err != nil {
				return fmt.Errorf("compact snapshot %d: %w", prev.id, err)
			}
		}
	}
	if lb.Category != "" {
		return nil
	}
	cat, err := s.catalog(ctx)
	if err != nil {
		return err
	}
	return s.recordChanges(ctx, s.w.WithContext(ctx), cat.models, before, lb)
}

// boardRows is a board as the feed sees it: ranks among the models listed at
// the board's time (retired ones left out), and which rows are ranked
// rather than provisional.
func (s *Store) boardRows(ms map[uint]Model, lb *Leaderboard) []history.Row {
	if lb == nil {
		return nil
	}
	at := lb.ComputedAt
	active := func(id uint) bool { return listedAt(ms[id], at) }
	rows := make([]history.Row, 0, len(lb.Standings))
	for _, st := range rankAmong(lb.Standings, active) {
		rows = append(rows, history.Row{ModelID: st.ModelID, Rank: st.Rank, Listed: active(st.ModelID) && st.Votes >= s.ranking.MinVotes})
	}
	return rows
}

// recordChanges stores the feed events between two successive boards of a
// pool. An event found before (the same change at the same time) is not
// stored again.
func (s *Store) recordChanges(ctx context.Context, tx *gorm.DB, ms map[uint]Model, prev, cur *Leaderboard) error {
	changes := history.Changes(s.boardRows(ms, prev), s.boardRows(ms, cur))
	if len(changes) == 0 {
		return nil
	}
	evs := make([]RankEvent, 0, len(changes))
	for _, c := range changes {
		evs = append(evs, RankEvent{
			EventKey: history.Key(cur.Pool, c, cur.ComputedAt), Pool: cur.Pool, ModelID: c.ModelID, Kind: string(c.Kind),
			Rank: c.Rank, PrevRank: c.PrevRank, At: cur.ComputedAt.UTC(), SnapshotID: cur.SnapshotID,
		})
	}
	if err := tx.Clauses(clause.OnConflict{DoNothing: true}).CreateInBatches(evs, 200).Error; err != nil {
		return fmt.Errorf("store rank events: %w", err)
	}
	return nil
}

// recordRetirement stores the feed event of an admin retiring a model. It
// belongs to no pool: every pool's feed shows it.
func recordRetirement(tx *gorm.DB, m Model) error {
	at := m.RetiredAt.UTC()
	c := history.Change{ModelID: m.ID, Kind: history.Retired}
	ev := RankEvent{EventKey: history.Key("", c, at), ModelID: m.ID, Kind: string(history.Retired), At: at}
	return tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&ev).Error
}

// citedSnapshots lists the snapshots a feed event links to: thinning keeps
// them, so a link in a feed reader never breaks.
func (s *Store) citedSnapshots(ctx context.Context) (map[uint]bool, error) {
	var ids []uint
	if err := s.r.WithContext(ctx).Model(&RankEvent{}).Where("snapshot_id <> 0").Distinct("snapshot_id").Pluck("snapshot_id", &ids).Error; err != nil {
		return nil, fmt.Errorf("list cited snapshots: %w", err)
	}
	out := make(map[uint]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}

// RankEvents returns the newest feed events, newest first: those of one pool
// and the retirements (every pool's), or of every pool when pool is empty.
func (s *Store) RankEvents(ctx context.Context, pool string, limit int) ([]RankEvent, error) {
	q := s.r.WithContext(ctx).Order("at DESC, id DESC").Limit(limit)
	if pool != "" {
		q = q.Where("pool = ? OR pool = ''", pool)
	}
	var out []RankEvent
	if err := q.Find(&out).Error; err != nil {
		return nil, fmt.Errorf("list rank events: %w", err)
	}
	return out, nil
}

// lastVote returns the time of the newest valid vote a board of pool and
// category counts (up to until, when set), or nil when there is none.
func (s *Store) lastVote(ctx context.Context, pool, category string, until time.Time) (*time.Time, error) {
	q := s.r.WithContext(ctx).Model(&Matchup{}).Where("choice IS NOT NULL AND valid = ? AND pool = ?", true, pool)
	if category != "" {
		q = q.Where("category = ?", category)
	}
	if !until.IsZero() {
		q = q.Where("voted_at <= ?", until.UTC())
	}
	var last []time.Time
	if err := q.Order("voted_at DESC").Limit(1).Pluck("voted_at", &last).Error; err != nil {
		return nil, fmt.Errorf("find last vote: %w", err)
	}
	if len(last) == 0 {
		return nil, nil
	}
	t := last[0].UTC()
	return &t, nil
}
