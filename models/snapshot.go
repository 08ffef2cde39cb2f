package models

import (
	"context"
	"fmt"
	"time"
)

// NewestSnapshotID returns the id of the newest snapshot of key computed at
// or before notAfter (at any time when notAfter is zero), or 0 when there is
// none.
func (s *Store) NewestSnapshotID(ctx context.Context, key string, notAfter time.Time) (uint, error) {
	q := s.db.r.WithContext(ctx).Select("id").Where("key = ?", key)
	if !notAfter.IsZero() {
		q = q.Where("computed_at <= ?", notAfter)
	}
	var newest Snapshot
	if err := q.Order("computed_at DESC, id DESC").Limit(1).Find(&newest).Error; err != nil {
		return 0, fmt.Errorf("find snapshot %s: %w", key, err)
	}
	return newest.ID, nil
}

// Snapshot loads one snapshot, body included.
func (s *Store) Snapshot(ctx context.Context, id uint) (Snapshot, error) {
	var snap Snapshot
	if err := s.db.r.WithContext(ctx).Where("id = ?", id).Take(&snap).Error; err != nil {
		return Snapshot{}, fmt.Errorf("load snapshot %d: %w", id, err)
	}
	return snap, nil
}

// AddSnapshot stores a new snapshot and sets its id.
func (s *Store) AddSnapshot(ctx context.Context, snap *Snapshot) error {
	if err := s.db.w.WithContext(ctx).Create(snap).Error; err != nil {
		return fmt.Errorf("store snapshot %s: %w", snap.Key, err)
	}
	return nil
}

// SnapshotKeys lists the distinct keys of the stored snapshots.
func (s *Store) SnapshotKeys(ctx context.Context) ([]string, error) {
	var keys []string
	if err := s.db.r.WithContext(ctx).Model(&Snapshot{}).Distinct("key").Pluck("key", &keys).Error; err != nil {
		return nil, fmt.Errorf("list snapshot keys: %w", err)
	}
	return keys, nil
}

// SnapshotTimes lists every snapshot's id, key and time, without its body,
// by key and then newest first.
func (s *Store) SnapshotTimes(ctx context.Context) ([]Snapshot, error) {
	var rows []Snapshot
	err := s.db.r.WithContext(ctx).Select("id, key, computed_at, rebuilt").
		Order("key, computed_at DESC, id DESC").Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("list snapshots: %w", err)
	}
	return rows, nil
}

// DeleteSnapshots removes the snapshots with the given ids, a few hundred
// per statement to stay under every driver's parameter limit.
func (s *Store) DeleteSnapshots(ctx context.Context, ids []uint) error {
	for len(ids) > 0 {
		n := min(len(ids), 500)
		if err := s.db.w.WithContext(ctx).Where("id IN ?", ids[:n]).Delete(&Snapshot{}).Error; err != nil {
			return fmt.Errorf("delete snapshots: %w", err)
		}
		ids = ids[n:]
	}
	return nil
}
