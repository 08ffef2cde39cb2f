package leaderboard

import (
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

// rankCache keeps each pool's ranks as the reveal after a vote shows them.
// Working them out copies and sorts the board's standings and finds every
// model's rank interval, a sizeable share of a vote's allocations, while
// the answer changes only with a new board or a reloaded catalog (a model
// listed or retired).
type rankCache struct {
	mu    sync.Mutex
	pools map[string]*poolRanks
}

// poolRanks are the ranks of one pool's models on board under one catalog
// version; never changed once made.
type poolRanks struct {
	board   *Leaderboard
	catalog uint64
	rank    map[uint]int // by model id
}

func (c *rankCache) get(pool string) *poolRanks {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.pools[pool]
}

func (c *rankCache) put(pool string, r *poolRanks) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.pools == nil {
		c.pools = make(map[string]*poolRanks)
	}
	c.pools[pool] = r
}
