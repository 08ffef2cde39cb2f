package handlers

import (
	"context"
	"sync"
	"time"
)

// Login throttling: after this many failures within the window, from one
// client address or for one username, further attempts are refused until
// the oldest failure leaves the window.
const (
	loginFailureLimit  = 5
	loginFailureWindow = 15 * time.Minute
	// throttleMaxKeys bounds the memory a flood of distinct addresses and
	// names can take; past it, keys with no recent failure are dropped.
	throttleMaxKeys = 100_000
)

// loginThrottle counts recent login failures per key ("ip:..." and
// "user:...") in memory, for a single instance; instances sharing a
// PostgreSQL database use sharedThrottle, the same rule kept there.
type loginThrottle struct {
	mu     sync.Mutex
	limit  int
	window time.Duration
	fails  map[string][]time.Time
}

func newLoginThrottle(limit int, window time.Duration) *loginThrottle {
	return &loginThrottle{limit: limit, window: window, fails: make(map[string][]time.Time)}
}

// retryAfter returns how long the caller must wait before trying again, or 0
// when no key is over the limit.
func (t *loginThrottle) retryAfter(now time.Time, keys ...string) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	var wait time.Duration
	for _, k := range keys {
		recent := t.recent(now, k)
		if len(recent) >= t.limit {
			// Wait until enough failures expire to drop under the limit.
			until := recent[len(recent)-t.limit].Add(t.window)
			wait = max(wait, until.Sub(now))
		}
	}
	return wait
}

// fail records a failed attempt under every key.
func (t *loginThrottle) fail(now time.Time, keys ...string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.fails) >= throttleMaxKeys {
		for k := range t.fails {
			if len(t.recent(now, k)) == 0 {
				delete(t.fails, k)
			}
		}
	}
	for _, k := range keys {
		t.fails[k] = append(t.recent(now, k), now)
	}
}

// reset forgets the failures of keys, after a successful login.
func (t *loginThrottle) reset(keys ...string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, k := range keys {
		delete(t.fails, k)
	}
}

// recent returns the failures of k inside the window, dropping older ones.
// The caller holds t.mu.
func (t *loginThrottle) recent(now time.Time, k string) []time.Time {
	list := t.fails[k]
	i := 0
	for i < len(list) && !list[i].After(now.Add(-t.window)) {
		i++
	}
	if i == len(list) {
		delete(t.fails, k)
		return nil
	}
	if i > 0 {
		list = list[i:]
		t.fails[k] = list
	}
	return list
}

// RetryAfter, Fail and Reset make loginThrottle a FailureLog.
func (t *loginThrottle) RetryAfter(_ context.Context, now time.Time, keys ...string) (time.Duration, error) {
	return t.retryAfter(now, keys...), nil
}

func (t *loginThrottle) Fail(_ context.Context, now time.Time, keys ...string) error {
	t.fail(now, keys...)
	return nil
}

func (t *loginThrottle) Reset(_ context.Context, keys ...string) error {
	t.reset(keys...)
	return nil
}
