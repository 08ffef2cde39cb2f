package handlers

import (
	"sync"

	"github.com/arena-video/arena/models/leaderboard"
)

// maxCachedBoardBytes bounds the page cache: the filters include a free
// number (min_votes), so the set of possible pages has no end, and a page
// with 100 models is about 280 KB.
const maxCachedBoardBytes = 32 << 20

// boardPageCache keeps rendered leaderboard pages. The page is the same for
// every visitor, and rendering a 100-model table and its heatmap through
// html/template takes several milliseconds, against a 2 ms page target. A
// page is rendered again only when something it shows may have changed: a
// newer snapshot, a reloaded catalog (model names, retirements), or a
// different list of categories.
type boardPageCache struct {
	mu    sync.Mutex
	pages map[string]boardPage
	bytes int // the size of all pages held
}

// boardStamp is everything a leaderboard page is derived from besides its
// query. The snapshot pointer is stable for as long as the Store serves the
// same snapshot.
type boardStamp struct {
	board      *leaderboard.Leaderboard
	catalog    uint64
	categories string
}

type boardPage struct {
	stamp boardStamp
	body  []byte
}

func newBoardPageCache() *boardPageCache {
	return &boardPageCache{pages: make(map[string]boardPage)}
}

// get returns the page rendered for query under stamp, if there is one.
func (c *boardPageCache) get(query string, stamp boardStamp) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	p, ok := c.pages[query]
	if !ok || p.stamp != stamp {
		return nil, false
	}
	return p.body, true
}

// put keeps body, which the cache now owns, as the page for query.
func (c *boardPageCache) put(query string, stamp boardStamp, body []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.bytes -= len(c.pages[query].body)
	if c.bytes+len(body) > maxCachedBoardBytes {
		clear(c.pages) // rare, and the next requests fill it again
		c.bytes = 0
	}
	c.pages[query] = boardPage{stamp: stamp, body: body}
	c.bytes += len(body)
}
