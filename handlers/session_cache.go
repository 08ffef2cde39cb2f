package handlers

import (
	"sync"
)

// cookieCacheSize bounds how many decoded voter cookies are remembered per
// generation (at most twice as many are held).
const cookieCacheSize = 50_000

// cookieCache remembers which voter id a session cookie value decoded to.
// Decoding means an HMAC check, AES decryption and a gob decoder built from
// scratch, the largest cost of a voting request after the database; a
// voter sends the same cookie value on every request, and the same value
// always decodes to the same id under the same keys, so the result can be
// reused. Only values that decoded successfully are stored. Two generations
// bound its size: when the current one fills up it becomes the old one.
type cookieCache struct {
	mu       sync.Mutex
	cur, old map[string]string
}

func newCookieCache() *cookieCache {
	return &cookieCache{cur: make(map[string]string)}
}

func (c *cookieCache) get(value string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if id, ok := c.cur[value]; ok {
		return id, true
	}
	id, ok := c.old[value]
	if ok {
		c.putLocked(value, id)
	}
	return id, ok
}

func (c *cookieCache) put(value, id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.putLocked(value, id)
}

func (c *cookieCache) putLocked(value, id string) {
	if len(c.cur) >= cookieCacheSize {
		c.old, c.cur = c.cur, make(map[string]string, cookieCacheSize)
	}
	c.cur[value] = id
}
