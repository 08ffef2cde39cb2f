package models

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"sync"
	"time"
)

// boardCache keeps the newest snapshot of every leaderboard key parsed in
// memory, so a page never parses JSON or waits on a fit. Its zero value is
// ready to use.
type boardCache struct {
	mu      sync.Mutex
	entries map[string]*cachedBoard
	// refresh lets one request at a time look for newer snapshots; the
	// others keep serving the copy they have, a few seconds old at most.
	refresh sync.Mutex
}

type cachedBoard struct {
	id        uint // snapshot id; 0 when none exists
	board     *Leaderboard
	checkedAt time.Time
	weights   map[[2]uint]float64 // pair weights by model ids, lo first
	maxWeight float64             // the largest of them: what a new model's pairs get
}

func (c *boardCache) get(key string) *cachedBoard {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.entries[key]
}

func (c *boardCache) put(key string, e *cachedBoard) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = make(map[string]*cachedBoard)
	}
	if old := c.entries[key]; old != nil && old.id > e.id {
		return // a newer snapshot is already cached
	}
	c.entries[key] = e
}

func newCachedBoard(id uint, lb *Leaderboard, now time.Time) *cachedBoard {
	e := &cachedBoard{id: id, board: lb, checkedAt: now}
	if lb != nil && lb.PairWeights != nil {
		e.weights = make(map[[2]uint]float64, len(lb.Standings)*len(lb.Standings)/2)
		for i, a := range lb.Standings {
			for j := i + 1; j < len(lb.Standings); j++ {
				w := lb.PairWeights[i][j]
				e.weights[modelPairKey(a.ModelID, lb.Standings[j].ModelID)] = w
				e.maxWeight = max(e.maxWeight, w)
			}
		}
		if e.maxWeight == 0 {
			e.maxWeight = 1
		}
	}
	return e
}

func modelPairKey(a, b uint) [2]uint {
	if a > b {
		a, b = b, a
	}
	return [2]uint{a, b}
}

// Leaderboard returns the newest stored leaderboard of a pool and category
// (empty for every category), or ok false when none has been computed. It
// reads memory; it goes to the database only when the cached copy is older
// than CatalogMaxAge, to pick up snapshots another instance wrote.
func (s *Store) Leaderboard(ctx context.Context, pool, category string) (lb *Leaderboard, ok bool, err error) {
	e, err := s.cachedLeaderboard(ctx, boardKey(pool, category))
	if err != nil || e.board == nil {
		return nil, false, err
	}
	return e.board, true, nil
}

func (s *Store) cachedLeaderboard(ctx context.Context, key string) (*cachedBoard, error) {
	now := s.now()
	e := s.boards.get(key)
	if e != nil && now.Sub(e.checkedAt) < s.catMaxAge {
		return e, nil
	}
	if e != nil && !s.boards.refresh.TryLock() {
		return e, nil
	}
	if e == nil {
		s.boards.refresh.Lock()
	}
	defer s.boards.refresh.Unlock()
	var newest Snapshot
	err := s.r.WithContext(ctx).Select("id").Where("key = ?", key).
		Order("computed_at DESC, id DESC").Limit(1).Find(&newest).Error
	if err != nil {
		return nil, fmt.Errorf("find snapshot %s: %w", key, err)
	}
	if e != nil && e.id == newest.ID {
		fresh := *e
		fresh.checkedAt = now
		s.boards.put(key, &fresh)
		return &fresh, nil
	}
	var lb *Leaderboard
	if newest.ID != 0 {
		if lb, err = s.loadSnapshot(ctx, newest.ID); err != nil {
			return nil, err
		}
	}
	e = newCachedBoard(newest.ID, lb, now)
	s.boards.put(key, e)
	return e, nil
}

func (s *Store) loadSnapshot(ctx context.Context, id uint) (*Leaderboard, error) {
	var snap Snapshot
	if err := s.r.WithContext(ctx).Where("id = ?", id).Take(&snap).Error; err != nil {
		return nil, fmt.Errorf("load snapshot %d: %w", id, err)
	}
	return parseSnapshot(snap)
}

func parseSnapshot(snap Snapshot) (*Leaderboard, error) {
	var lb Leaderboard
	if err := json.Unmarshal([]byte(snap.Body), &lb); err != nil {
		return nil, fmt.Errorf("parse snapshot %d: %w", snap.ID, err)
	}
	lb.SnapshotID = snap.ID
	return &lb, nil
}

// saveLeaderboard stores a computed leaderboard as the newest snapshot of its
// key and caches it.
func (s *Store) saveLeaderboard(ctx context.Context, lb *Leaderboard) error {
	body, err := json.Marshal(lb)
	if err != nil {
		return err
	}
	key := boardKey(lb.Pool, lb.Category)
	prev := s.boards.get(key)
	snap := Snapshot{Key: key, ComputedAt: lb.ComputedAt, Votes: lb.Votes, Body: string(body), VotesThrough: lb.VotesThrough, Method: lb.Method}
	if err := s.w.WithContext(ctx).Create(&snap).Error; err != nil {
		return fmt.Errorf("store snapshot %s: %w", key, err)
	}
	lb.SnapshotID = snap.ID
	s.boards.put(key, newCachedBoard(snap.ID, lb, s.now()))
	return s.afterSave(ctx, prev, lb)
}

// setRankChanges fills each standing's rank change against the newest
// snapshot of the same key that is at least a week old.
func (s *Store) setRankChanges(ctx context.Context, lb *Leaderboard) error {
	var old Snapshot
	err := s.r.WithContext(ctx).Select("id").Where("key = ? AND computed_at <= ?", boardKey(lb.Pool, lb.Category), lb.ComputedAt.Add(-7*24*time.Hour)).
		Order("computed_at DESC, id DESC").Limit(1).Find(&old).Error
	if err != nil || old.ID == 0 {
		return err
	}
	before, err := s.loadSnapshot(ctx, old.ID)
	if err != nil {
		return err
	}
	for i := range lb.Standings {
		if st, at := before.standingOf(lb.Standings[i].ModelID); at >= 0 {
			d := st.Rank - lb.Standings[i].Rank
			lb.Standings[i].RankChange = &d
		}
	}
	return nil
}

// pruneSnapshots thins the history so it stays small however often votes
// come: of each key's snapshots it keeps the newest of every hour for the
// last 48 hours and the newest of every day before that, which is all the
// 7-day rank change needs. The newest snapshot of a key always stays.
func (s *Store) pruneSnapshots(ctx context.Context) (int, error) {
	now := s.now().UTC()
	var rows []Snapshot
	err := s.r.WithContext(ctx).Select("id, key, computed_at, rebuilt").
		Order("key, computed_at DESC, id DESC").Find(&rows).Error
	if err != nil {
		return 0, fmt.Errorf("list snapshots: %w", err)
	}
	type bucket struct {
		key  string
		slot time.Time
	}
	kept := make(map[bucket]bool)
	cited, err := s.citedSnapshots(ctx)
	if err != nil {
		return 0, err
	}
	var drop []uint
	for _, r := range rows {
		if r.Rebuilt || cited[r.ID] {
			continue // one per step already, or the board a feed entry links to
		}
		at := r.ComputedAt.UTC()
		slot := at.Truncate(time.Hour)
		if now.Sub(at) > 48*time.Hour {
			slot = time.Date(at.Year(), at.Month(), at.Day(), 0, 0, 0, 0, time.UTC)
		}
		b := bucket{r.Key, slot}
		if kept[b] {
			drop = append(drop, r.ID)
			continue
		}
		kept[b] = true
	}
	sort.Slice(drop, func(i, j int) bool { return drop[i] < drop[j] })
	pruned := len(drop)
	for len(drop) > 0 {
		n := min(len(drop), 500)
		if err := s.w.WithContext(ctx).Where("id IN ?", drop[:n]).Delete(&Snapshot{}).Error; err != nil {
			return 0, fmt.Errorf("prune snapshots: %w", err)
		}
		drop = drop[n:]
	}
	return pruned, nil
}
