package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/arena-video/arena/models/history"
)

// LastVote returns the time of the newest valid vote of a pool and category
// (any category when empty) cast at or before until (any time when zero),
// or nil when there is none. The widened idx_matchups_voted answers it.
func (s *Store) LastVote(ctx context.Context, pool, category string, until time.Time) (*time.Time, error) {
	q := s.db.r.WithContext(ctx).Model(&Matchup{}).Where("pool = ? AND valid = ? AND choice IS NOT NULL", pool, true)
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

// FirstVote returns the time of the oldest valid vote; ok is false when
// there is none.
func (s *Store) FirstVote(ctx context.Context) (time.Time, bool, error) {
	var first []time.Time
	if err := s.db.r.WithContext(ctx).Model(&Matchup{}).Where("choice IS NOT NULL AND valid = ?", true).
		Order("voted_at").Limit(1).Pluck("voted_at", &first).Error; err != nil {
		return time.Time{}, false, fmt.Errorf("find first vote: %w", err)
	}
	if len(first) == 0 {
		return time.Time{}, false, nil
	}
	return first[0].UTC(), true, nil
}

// ScanVotes calls fn with every valid vote of a pool, in no set order: its
// time in whole seconds, its models as shown and its choice. It reads the
// covering index idx_matchups_voted (migration 0701) and no table rows, and
// reads times as numbers: a million votes take about a second.
func (s *Store) ScanVotes(ctx context.Context, pool string, fn func(sec int64, a, b uint, choice string)) error {
	rows, err := s.db.r.WithContext(ctx).Raw("SELECT "+s.db.dialect.epochSeconds("voted_at")+", model_a_id, model_b_id, choice FROM matchups WHERE pool = ? AND valid = ? AND choice IS NOT NULL", pool, true).Rows()
	if err != nil {
		return fmt.Errorf("read votes of %s: %w", pool, err)
	}
	defer rows.Close()
	var (
		sec    int64
		a, b   uint
		choice string
	)
	for rows.Next() {
		if err := rows.Scan(&sec, &a, &b, &choice); err != nil {
			return fmt.Errorf("read votes of %s: %w", pool, err)
		}
		fn(sec, a, b, choice)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read votes of %s: %w", pool, err)
	}
	return nil
}

// SnapshotsOf lists a key's snapshots, id and time without the body,
// oldest first.
func (s *Store) SnapshotsOf(ctx context.Context, key string) ([]Snapshot, error) {
	var out []Snapshot
	if err := s.db.r.WithContext(ctx).Select("id, key, computed_at").Where("key = ?", key).Order("computed_at, id").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("list snapshots %s: %w", key, err)
	}
	return out, nil
}

// SnapshotsByID loads snapshots with their bodies, a few hundred per query.
func (s *Store) SnapshotsByID(ctx context.Context, ids []uint) ([]Snapshot, error) {
	var out []Snapshot
	for len(ids) > 0 {
		n := min(len(ids), 200)
		var part []Snapshot
		if err := s.db.r.WithContext(ctx).Where("id IN ?", ids[:n]).Find(&part).Error; err != nil {
			return nil, fmt.Errorf("load snapshots: %w", err)
		}
		out = append(out, part...)
		ids = ids[n:]
	}
	return out, nil
}

// CompactSnapshot replaces a snapshot's body with a smaller encoding of the
// same board.
func (s *Store) CompactSnapshot(ctx context.Context, id uint, body string) error {
	if err := s.db.w.WithContext(ctx).Model(&Snapshot{}).Where("id = ?", id).Update("body", body).Error; err != nil {
		return fmt.Errorf("compact snapshot %d: %w", id, err)
	}
	return nil
}

// AddRebuiltSnapshot stores a board of a rebuilt history and the rank
// events that lead to it in one transaction, so a rebuild cut short leaves
// no board without its events. It sets the snapshot's id and the events'
// SnapshotID.
func (s *Store) AddRebuiltSnapshot(ctx context.Context, snap *Snapshot, evs []RankEvent) error {
	snap.Rebuilt = true
	return s.db.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(snap).Error; err != nil {
			return fmt.Errorf("store snapshot %s: %w", snap.Key, err)
		}
		for i := range evs {
			evs[i].SnapshotID = snap.ID
		}
		return addRankEvents(tx, evs)
	})
}

// AddRankEvents stores rank events; one whose key is already stored (the
// same change found again) is skipped.
func (s *Store) AddRankEvents(ctx context.Context, evs []RankEvent) error {
	return addRankEvents(s.db.w.WithContext(ctx), evs)
}

func addRankEvents(tx *gorm.DB, evs []RankEvent) error {
	if len(evs) == 0 {
		return nil
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
	return addRankEvents(tx, []RankEvent{{EventKey: history.Key("", c, at), ModelID: m.ID, Kind: string(history.Retired), At: at}})
}

// CitedSnapshots lists the snapshots a rank event links to: thinning keeps
// them, so a link in a feed reader never breaks.
func (s *Store) CitedSnapshots(ctx context.Context) (map[uint]bool, error) {
	var ids []uint
	if err := s.db.r.WithContext(ctx).Model(&RankEvent{}).Where("snapshot_id <> 0").Distinct("snapshot_id").Pluck("snapshot_id", &ids).Error; err != nil {
		return nil, fmt.Errorf("list cited snapshots: %w", err)
	}
	out := make(map[uint]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, nil
}

// RankEvents returns the newest rank events, newest first: those of one
// pool and the retirements (every pool's), or of every pool when pool is
// empty.
func (s *Store) RankEvents(ctx context.Context, pool string, limit int) ([]RankEvent, error) {
	q := s.db.r.WithContext(ctx).Order("at DESC, id DESC").Limit(limit)
	if pool != "" {
		q = q.Where("pool = ? OR pool = ''", pool)
	}
	var out []RankEvent
	if err := q.Find(&out).Error; err != nil {
		return nil, fmt.Errorf("list rank events: %w", err)
	}
	return out, nil
}

// CatalogModels returns every model by id from the in-memory catalog. The
// map is shared: callers must not change it.
func (s *Store) CatalogModels(ctx context.Context) (map[uint]Model, error) {
	cat, err := s.catalog(ctx)
	if err != nil {
		return nil, err
	}
	return cat.models, nil
}

// DeleteRebuiltSnapshots removes every rebuilt board and the rank events
// that link to one, so a benchmark can rebuild from nothing.
func (s *Store) DeleteRebuiltSnapshots(ctx context.Context) error {
	return s.db.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Exec("DELETE FROM rank_events WHERE snapshot_id IN (SELECT id FROM snapshots WHERE rebuilt = ?)", true).Error; err != nil {
			return err
		}
		return tx.Exec("DELETE FROM snapshots WHERE rebuilt = ?", true).Error
	})
}
