package handlers

import (
	"context"
	"sync"
	"time"
)

// Login throttling. Every attempt is reserved before its password is
// checked, so a burst of concurrent attempts is counted as it arrives and
// not after bcrypt has already run for all of it. Limits are per client
// address (an IPv6 /64 counts as one address) and per (address, username):
// a stranger can use up their own budget but never the admin's, who signs
// in from another address. A username alone is never locked.
const (
	// loginPairLimit is how many failed attempts one address may make for
	// one username within the window.
	loginPairLimit = 5
	// loginAddressLimit is how many failed attempts one address may make
	// for any usernames within the window: an office behind one address
	// holds several admins.
	loginAddressLimit  = 20
	loginFailureWindow = 15 * time.Minute
	// loginBusyRetry is the Retry-After given while the attempts already
	// reserved (not yet decided) fill a key's limit.
	loginBusyRetry = time.Second
	// maxPasswordChecks bounds the bcrypt comparisons running at once, so a
	// flood of attempts from many addresses cannot take every core; an
	// attempt waits up to passwordCheckWait for its turn.
	maxPasswordChecks = 4
	passwordCheckWait = 10 * time.Second
	// throttleMaxKeys bounds the memory a flood of distinct addresses and
	// names can take; past it, keys with no recent failure are dropped.
	throttleMaxKeys = 100_000
)

// throttleKey is one counter an attempt is charged to, with its limit.
type throttleKey struct {
	name  string
	limit int
	// clearOnSuccess forgets the key's failures after a successful sign-in.
	clearOnSuccess bool
}

// loginKeys are the counters a sign-in from address (already reduced to
// its /64 for IPv6) for username is charged to.
func loginKeys(address, username string) []throttleKey {
	return []throttleKey{
		{name: "addr:" + address, limit: loginAddressLimit},
		{name: "pair:" + address + "\x00" + username, limit: loginPairLimit, clearOnSuccess: true},
	}
}

// loginThrottle counts recent failures and attempts in flight per key.
// Failures live in memory for one instance; with shared set (several
// instances on one PostgreSQL database) they live in the database and the
// caller passes them to reserveGiven, so the limits hold for the whole
// deployment. Attempts in flight, which last one password check, are
// counted per instance either way.
type loginThrottle struct {
	mu      sync.Mutex
	window  time.Duration
	shared  bool
	fails   map[string][]time.Time
	pending map[string]int
}

func newLoginThrottle(window time.Duration, shared bool) *loginThrottle {
	return &loginThrottle{window: window, shared: shared, fails: make(map[string][]time.Time), pending: make(map[string]int)}
}

// loginAttempt is a reserved attempt: exactly one of failed, succeeded or
// cancel must be called once its outcome is known.
type loginAttempt struct {
	t    *loginThrottle
	keys []throttleKey
}

// reserve charges an attempt to every key, or returns how long to wait
// when any key's failures (in memory) plus attempts in flight already
// reach its limit.
func (t *loginThrottle) reserve(now time.Time, keys []throttleKey) (*loginAttempt, time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.reserveLocked(now, keys, func(k string) []time.Time { return t.recent(now, k) })
}

// reserveGiven is reserve with each key's failures inside the window as
// read from the database, oldest first.
func (t *loginThrottle) reserveGiven(now time.Time, keys []throttleKey, fails map[string][]time.Time) (*loginAttempt, time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.reserveLocked(now, keys, func(k string) []time.Time { return fails[k] })
}

func (t *loginThrottle) reserveLocked(now time.Time, keys []throttleKey, recentOf func(string) []time.Time) (*loginAttempt, time.Duration) {
	var wait time.Duration
	for _, k := range keys {
		recent := recentOf(k.name)
		switch {
		case len(recent) >= k.limit:
			// Wait until enough failures expire to drop under the limit.
			until := recent[len(recent)-k.limit].Add(t.window)
			wait = max(wait, until.Sub(now))
		case len(recent)+t.pending[k.name] >= k.limit:
			wait = max(wait, loginBusyRetry)
		}
	}
	if wait > 0 {
		return nil, wait
	}
	if len(t.fails)+len(t.pending) >= throttleMaxKeys {
		for k := range t.fails {
			t.recent(now, k) // drops keys whose failures all expired
		}
	}
	for _, k := range keys {
		t.pending[k.name]++
	}
	return &loginAttempt{t: t, keys: keys}, 0
}

// release ends the attempt's reservation. The caller holds t.mu.
func (a *loginAttempt) release() {
	for _, k := range a.keys {
		if a.t.pending[k.name]--; a.t.pending[k.name] <= 0 {
			delete(a.t.pending, k.name)
		}
	}
}

// failed records the attempt as a failure under every key; a shared
// throttle's caller records it in the database.
func (a *loginAttempt) failed(now time.Time) {
	a.t.mu.Lock()
	defer a.t.mu.Unlock()
	a.release()
	if a.t.shared {
		return
	}
	for _, k := range a.keys {
		a.t.fails[k.name] = append(a.t.recent(now, k.name), now)
	}
}

// succeeded forgets the failures of the (address, username) pair; the
// address keeps its count, so one valid account cannot launder guesses at
// others.
func (a *loginAttempt) succeeded() {
	a.t.mu.Lock()
	defer a.t.mu.Unlock()
	a.release()
	for _, k := range a.keys {
		if k.clearOnSuccess {
			delete(a.t.fails, k.name)
		}
	}
}

// cancel gives the reservation back without counting anything: the
// password was never checked.
func (a *loginAttempt) cancel() {
	a.t.mu.Lock()
	defer a.t.mu.Unlock()
	a.release()
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

// names lists the counters of keys by name.
func names(keys []throttleKey) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = k.name
	}
	return out
}

// reserveLogin reserves a sign-in attempt, against the failures of the
// whole deployment when they are kept in the database.
func (s *Server) reserveLogin(ctx context.Context, keys []throttleKey) (*loginAttempt, time.Duration, error) {
	now := s.store.Now()
	if s.cfg.SharedLimits == nil {
		a, wait := s.throttle.reserve(now, keys)
		return a, wait, nil
	}
	fails, err := s.cfg.SharedLimits.RecentLoginFailures(ctx, names(keys), now.Add(-loginFailureWindow))
	if err != nil {
		return nil, 0, err
	}
	a, wait := s.throttle.reserveGiven(now, keys, fails)
	return a, wait, nil
}

// loginFailed counts a failed attempt, in the database too when it is
// shared.
func (s *Server) loginFailed(ctx context.Context, a *loginAttempt) error {
	now := s.store.Now()
	a.failed(now)
	if s.cfg.SharedLimits == nil {
		return nil
	}
	return s.cfg.SharedLimits.AddLoginFailure(ctx, names(a.keys), now, now.Add(-loginFailureWindow))
}

// loginSucceeded forgets the failures of the (address, username) pair.
func (s *Server) loginSucceeded(ctx context.Context, a *loginAttempt) error {
	a.succeeded()
	if s.cfg.SharedLimits == nil {
		return nil
	}
	for _, k := range a.keys {
		if k.clearOnSuccess {
			if err := s.cfg.SharedLimits.ClearLoginFailures(ctx, k.name); err != nil {
				return err
			}
		}
	}
	return nil
}
