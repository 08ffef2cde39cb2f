package models

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// HistoryPoint is a model's place on one stored board of a pool: the
// history chart's points and the model API's history entries.
type HistoryPoint struct {
	At         time.Time `json:"at"`
	Score      float64   `json:"score"`
	CILower    float64   `json:"ci_lower"`
	CIUpper    float64   `json:"ci_upper"`
	Rank       int       `json:"rank"`
	SnapshotID uint      `json:"snapshot_id"`
}

// historyCache keeps, for each board key, every stored board reduced to
// its history points, so a model page reads its history from memory. Its
// zero value is ready to use.
type historyCache struct {
	mu     sync.Mutex
	series map[string]*boardSeries
}

// boardSeries is one key's stored boards, oldest first, as of the newest
// snapshot and catalog they were read under.
type boardSeries struct {
	newestID uint
	catalog  uint64
	boards   []pastBoard
}

type pastBoard struct {
	id   uint
	at   time.Time
	lb   *Leaderboard          // standings only
	rows map[uint]HistoryPoint // by model id; ranks as the public saw them then
}

// ModelHistory returns a model's points on every stored board of a pool
// (all categories), oldest first. Ranks leave out the models retired at each
// board's time, as the board showed them. It reads memory once the pool's
// boards are loaded; a new snapshot loads only itself.
func (s *Store) ModelHistory(ctx context.Context, pool string, modelID uint) ([]HistoryPoint, error) {
	ser, err := s.boardSeries(ctx, boardKey(pool, ""))
	if err != nil {
		return nil, err
	}
	var out []HistoryPoint
	for _, b := range ser.boards {
		if p, ok := b.rows[modelID]; ok {
			out = append(out, p)
		}
	}
	return out, nil
}

// boardSeries returns the cached boards of a key, bringing them up to date
// with the newest snapshot and the catalog.
func (s *Store) boardSeries(ctx context.Context, key string) (*boardSeries, error) {
	newest, err := s.cachedLeaderboard(ctx, key)
	if err != nil {
		return nil, err
	}
	cat, err := s.catalog(ctx)
	if err != nil {
		return nil, err
	}
	s.history.mu.Lock()
	defer s.history.mu.Unlock()
	old := s.history.series[key]
	if old != nil && old.newestID == newest.id && old.catalog == cat.version {
		return old, nil
	}
	ser := &boardSeries{newestID: newest.id, catalog: cat.version}
	var ids []Snapshot
	if err := s.r.WithContext(ctx).Select("id, computed_at").Where("key = ?", key).Order("computed_at, id").Find(&ids).Error; err != nil {
		return nil, fmt.Errorf("list snapshots %s: %w", key, err)
	}
	have := make(map[uint]*Leaderboard)
	if old != nil {
		for _, b := range old.boards {
			have[b.id] = b.lb
		}
	}
	var missing []uint
	for _, sn := range ids {
		if have[sn.ID] == nil {
			missing = append(missing, sn.ID)
		}
	}
	for len(missing) > 0 {
		n := min(len(missing), 200)
		var snaps []Snapshot
		if err := s.r.WithContext(ctx).Where("id IN ?", missing[:n]).Find(&snaps).Error; err != nil {
			return nil, fmt.Errorf("load snapshots %s: %w", key, err)
		}
		for _, sn := range snaps {
			lb, err := parseSnapshot(sn)
			if err != nil {
				return nil, err
			}
			have[sn.ID] = compactBoard(lb)
		}
		missing = missing[n:]
	}
	for _, sn := range ids {
		lb := have[sn.ID]
		if lb == nil {
			continue // pruned between the two queries
		}
		ser.boards = append(ser.boards, pastBoard{id: sn.ID, at: lb.ComputedAt, lb: lb, rows: historyRows(cat.models, lb)})
	}
	if s.history.series == nil {
		s.history.series = make(map[string]*boardSeries)
	}
	s.history.series[key] = ser
	return ser, nil
}

// historyRows turns a board into history points, ranked among the models
// not retired at the board's time.
func historyRows(ms map[uint]Model, lb *Leaderboard) map[uint]HistoryPoint {
	at := lb.ComputedAt
	listed := func(id uint) bool { return listedAt(ms[id], at) }
	rows := make(map[uint]HistoryPoint, len(lb.Standings))
	for _, st := range rankAmong(lb.Standings, listed) {
		rows[st.ModelID] = HistoryPoint{At: at.UTC(), Score: st.Score, CILower: st.CILower, CIUpper: st.CIUpper, Rank: st.Rank, SnapshotID: lb.SnapshotID}
	}
	return rows
}

// ErrBeforeFirstBoard means a time is earlier than every stored board.
var ErrBeforeFirstBoard = errors.New("before the first stored board")

// BoardAsOf returns the newest stored board of a pool and category
// computed at or before t. Before the first one it returns
// ErrBeforeFirstBoard, with the first board's time in the message.
func (s *Store) BoardAsOf(ctx context.Context, pool, category string, t time.Time) (*Leaderboard, error) {
	key := boardKey(pool, category)
	var snap Snapshot
	err := s.r.WithContext(ctx).Select("id").Where("key = ? AND computed_at <= ?", key, t.UTC()).
		Order("computed_at DESC, id DESC").Limit(1).Find(&snap).Error
	if err != nil {
		return nil, fmt.Errorf("find snapshot %s: %w", key, err)
	}
	if snap.ID == 0 {
		var first Snapshot
		if err := s.r.WithContext(ctx).Select("computed_at").Where("key = ?", key).Order("computed_at").Limit(1).Find(&first).Error; err != nil {
			return nil, err
		}
		if first.ComputedAt.IsZero() {
			return nil, fmt.Errorf("%w: no board of pool %s has been stored yet", ErrBeforeFirstBoard, pool)
		}
		return nil, fmt.Errorf("%w: the first board of pool %s is from %s", ErrBeforeFirstBoard, pool, first.ComputedAt.UTC().Format(time.RFC3339))
	}
	return s.StoredBoard(ctx, snap.ID)
}

// StoredBoard returns the stored board with the given id, or ErrNotFound.
func (s *Store) StoredBoard(ctx context.Context, id uint) (*Leaderboard, error) {
	var snap Snapshot
	if err := s.r.WithContext(ctx).Where("id = ?", id).Limit(1).Find(&snap).Error; err != nil {
		return nil, fmt.Errorf("load snapshot %d: %w", id, err)
	}
	if snap.ID == 0 {
		return nil, fmt.Errorf("%w: no snapshot %d", ErrNotFound, id)
	}
	return parseSnapshot(snap)
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
