package handlers

import (
	"math"
	"net/http"
	"net/netip"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/time/rate"

	"github.com/arena-video/arena/models"
)

// RateLimit is a token bucket: Events requests per Per, with bursts of up
// to Events. The zero value turns rate limiting off.
type RateLimit struct {
	Events int
	Per    time.Duration
}

// Off reports whether the limit lets everything through.
func (l RateLimit) Off() bool { return l.Events <= 0 || l.Per <= 0 }

// ipLimitFactor widens the per-address bucket: one address is often many
// voters (an office, a campus, a mobile carrier's NAT).
const ipLimitFactor = 10

// maxBuckets bounds each limiter's memory: about 200 bytes a bucket, so
// 100,000 buckets stay near 20 MB however many addresses an attacker uses.
const maxBuckets = 100_000

// limiter holds one token bucket per key and forgets keys once their bucket
// is full again, so idle voters cost nothing.
type limiter struct {
	limit rate.Limit
	burst int
	now   func() time.Time

	mu        sync.Mutex
	buckets   map[string]*bucket
	lastSweep time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

func newLimiter(l RateLimit, factor int, now func() time.Time) *limiter {
	return &limiter{
		limit:   rate.Limit(float64(l.Events*factor) / l.Per.Seconds()),
		burst:   l.Events * factor,
		now:     now,
		buckets: make(map[string]*bucket),
	}
}

// refill is how long an untouched bucket takes to fill up again; after that
// forgetting it changes nothing.
func (l *limiter) refill() time.Duration {
	return time.Duration(float64(l.burst) / float64(l.limit) * float64(time.Second))
}

// take spends a token from key's bucket and returns the reservation, so a
// later refusal can give the token back. When the bucket is empty it spends
// nothing and says how long until a token is there.
func (l *limiter) take(key string) (*rate.Reservation, time.Duration) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sweep(now)
	b := l.buckets[key]
	if b == nil {
		b = &bucket{lim: rate.NewLimiter(l.limit, l.burst)}
		l.buckets[key] = b
	}
	b.seen = now
	r := b.lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); d > 0 {
		r.CancelAt(now)
		return nil, d
	}
	return r, 0
}

// sweep forgets buckets idle long enough to be full, at most once a second;
// when the map is still too big it drops arbitrary buckets (Go's map order
// is random), which only ever makes the limit more lenient.
func (l *limiter) sweep(now time.Time) {
	if now.Sub(l.lastSweep) < time.Second && len(l.buckets) < maxBuckets {
		return
	}
	l.lastSweep = now
	idle := l.refill()
	for k, b := range l.buckets {
		if now.Sub(b.seen) >= idle {
			delete(l.buckets, k)
		}
	}
	for k := range l.buckets {
		if len(l.buckets) < maxBuckets*9/10 {
			break
		}
		delete(l.buckets, k)
	}
}

// size is the number of buckets held, for tests.
func (l *limiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}

// addressKey is the bucket of a client address: the address itself for
// IPv4, its /64 network for IPv6, since one subscriber usually holds a whole
// /64 and could otherwise use a fresh address for every request.
func addressKey(ip string) string {
	addr, err := netip.ParseAddr(ip)
	if err != nil || addr.Is4() || addr.Is4In6() {
		return ip
	}
	p, err := addr.Prefix(64)
	if err != nil {
		return ip
	}
	return p.String()
}

// rateLimited returns middleware that spends one token from the client
// address's bucket and one from the voter's (when the request carries a
// voter cookie) for the named action, and answers 429 with Retry-After when
// either is empty. It runs before the handler, so a refused request stores
// nothing.
func (s *Server) rateLimited(action string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		if s.limits == nil {
			return next
		}
		return func(c echo.Context) error {
			l := s.cfg.RateLimit
			buckets := []models.Bucket{{Key: action + " " + addressKey(c.RealIP()), Events: l.Events * ipLimitFactor, Per: l.Per}}
			if voter := s.existingVoterID(c); voter != "" {
				buckets = append(buckets, models.Bucket{Key: action + " voter " + voter, Events: l.Events, Per: l.Per})
			}
			if err := s.spend(c, buckets...); err != nil {
				return err
			}
			return next(c)
		}
	}
}

// allowRender spends a token from the client address's bucket before a page
// that is not cached is rendered. A cached leaderboard page costs little to
// serve and a render several milliseconds, and a client that varies its
// filters could otherwise make every request a render.
func (s *Server) allowRender(c echo.Context) error {
	if s.limits == nil {
		return nil
	}
	l := s.cfg.RateLimit
	return s.spend(c, models.Bucket{Key: "render " + addressKey(c.RealIP()), Events: l.Events * ipLimitFactor, Per: l.Per})
}

// spend takes a token from every bucket or answers 429. When the limits
// cannot be read (the database is down) the request goes on: refusing
// every voter would do more harm than a moment without limits, and the
// request itself will meet the same database.
func (s *Server) spend(c echo.Context, buckets ...models.Bucket) error {
	wait, err := s.limits.Take(c.Request().Context(), buckets...)
	if err != nil {
		s.log.Error("rate limit unavailable", "err", err)
		return nil
	}
	if wait > 0 {
		return tooManyRequests(c, wait)
	}
	return nil
}

// tooManyRequests is the 429 answer, with how long to wait.
func tooManyRequests(c echo.Context, wait time.Duration) error {
	secs := max(int(math.Ceil(wait.Seconds())), 1)
	c.Response().Header().Set("Retry-After", strconv.Itoa(secs))
	return echo.NewHTTPError(http.StatusTooManyRequests,
		"too many requests: wait "+strconv.Itoa(secs)+" s before trying again")
}
