// Package gencache is a bounded in-memory cache of two generations: entries
// go into the current generation; when it holds its limit it becomes the
// old one and the oldest generation is dropped; an entry found only in the
// old generation moves back to the current one. It costs one map write per
// insertion and nothing per hit, unlike a least-recently-used list, and
// holds at most twice its limit. Arena keeps decoded voter cookies and
// voters' judged pairs in it.
package gencache

import "sync"

// Cache maps keys to values in two generations. It is safe for concurrent
// use; the zero value is not ready, use New.
type Cache[K comparable, V any] struct {
	mu       sync.Mutex
	limit    int
	cur, old map[K]V
}

// New returns a Cache holding up to limit entries per generation.
func New[K comparable, V any](limit int) *Cache[K, V] {
	return &Cache[K, V]{limit: max(1, limit), cur: make(map[K]V)}
}

// Get returns the value of key, moving it to the current generation.
func (c *Cache[K, V]) Get(key K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.cur[key]; ok {
		return v, true
	}
	v, ok := c.old[key]
	if ok {
		c.putLocked(key, v)
	}
	return v, ok
}

// Peek returns the value of key without moving it.
func (c *Cache[K, V]) Peek(key K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.cur[key]; ok {
		return v, true
	}
	v, ok := c.old[key]
	return v, ok
}

// Put stores the value of key.
func (c *Cache[K, V]) Put(key K, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.putLocked(key, v)
}

// GetOrAdd returns the value of key, storing the one made by add when there
// is none; add runs under the cache's lock, so it must be quick.
func (c *Cache[K, V]) GetOrAdd(key K, add func() V) V {
	c.mu.Lock()
	defer c.mu.Unlock()
	if v, ok := c.cur[key]; ok {
		return v
	}
	v, ok := c.old[key]
	if !ok {
		v = add()
	}
	c.putLocked(key, v)
	return v
}

func (c *Cache[K, V]) putLocked(key K, v V) {
	if len(c.cur) >= c.limit {
		c.old, c.cur = c.cur, make(map[K]V, c.limit)
	}
	c.cur[key] = v
}

// Delete drops keys from both generations.
func (c *Cache[K, V]) Delete(keys ...K) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, k := range keys {
		delete(c.cur, k)
		delete(c.old, k)
	}
}
