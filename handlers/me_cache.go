package handlers

import (
	"sync"
)

// meCacheMax bounds the cached /me pages' data; when full it starts afresh.
const meCacheMax = 10_000

// meCache keeps each voter's fitted /me comparison for as long as their
// number of valid votes stays the same: the fit (with its bootstrap) runs
// once per new vote, not once per page view.
type meCache struct {
	mu      sync.Mutex
	entries map[string]meEntry
}

type meEntry struct {
	votes int64
	pools []mePool
}

func newMeCache() *meCache { return &meCache{entries: make(map[string]meEntry)} }

// get returns the voter's pools if they were fitted at votes valid votes.
func (c *meCache) get(voter string, votes int64) ([]mePool, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[voter]
	if !ok || e.votes != votes {
		return nil, false
	}
	return e.pools, true
}

func (c *meCache) put(voter string, votes int64, pools []mePool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= meCacheMax {
		c.entries = make(map[string]meEntry)
	}
	c.entries[voter] = meEntry{votes, pools}
}
