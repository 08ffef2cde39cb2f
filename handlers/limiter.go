package handlers

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

	"github.com/arena-video/arena/models"
)

// Limiter spends rate-limit tokens, one from each bucket or none, and says
// how long to wait when a bucket is empty. A single instance keeps buckets
// in memory (memoryLimiter); instances sharing a PostgreSQL database keep
// them there (*models.SharedLimits), so a limit holds for the deployment.
// Budgets that other parts of the server enforce (new voters or votes per
// address) are buckets too and go through the same Limiter.
type Limiter interface {
	Take(ctx context.Context, buckets ...models.Bucket) (time.Duration, error)
}

// memoryLimiter keeps one in-memory limiter per rate, created as rates are
// first asked for (there are a handful: per voter, per address, per page).
type memoryLimiter struct {
	now func() time.Time

	mu    sync.Mutex
	rates map[models.Bucket]*limiter // keyed by the rate, with Key empty
}

func newMemoryLimiter(now func() time.Time) *memoryLimiter {
	return &memoryLimiter{now: now, rates: make(map[models.Bucket]*limiter)}
}

func (m *memoryLimiter) forRate(b models.Bucket) *limiter {
	r := models.Bucket{Events: b.Events, Per: b.Per}
	m.mu.Lock()
	defer m.mu.Unlock()
	l := m.rates[r]
	if l == nil {
		l = newLimiter(RateLimit{Events: b.Events, Per: b.Per}, 1, m.now)
		m.rates[r] = l
	}
	return l
}

// Take reserves a token from each bucket and cancels the reservations made
// so far when one is empty.
func (m *memoryLimiter) Take(_ context.Context, buckets ...models.Bucket) (time.Duration, error) {
	taken := make([]*rate.Reservation, 0, len(buckets))
	for _, b := range buckets {
		l := m.forRate(b)
		res, wait := l.take(b.Key)
		if res == nil {
			now := m.now()
			for _, r := range taken {
				r.CancelAt(now)
			}
			return wait, nil
		}
		taken = append(taken, res)
	}
	return 0, nil
}

// sharedLimiter is the database's limiter, sweeping full buckets away at
// most once a minute.
type sharedLimiter struct {
	db        *models.SharedLimits
	now       func() time.Time
	lastSweep atomic.Int64 // unix seconds
}

func (s *sharedLimiter) Take(ctx context.Context, buckets ...models.Bucket) (time.Duration, error) {
	now := s.now()
	if last := s.lastSweep.Load(); now.Unix()-last >= 60 && s.lastSweep.CompareAndSwap(last, now.Unix()) {
		if err := s.db.SweepBuckets(ctx, now); err != nil {
			return 0, err
		}
	}
	return s.db.Take(ctx, now, buckets...)
}
