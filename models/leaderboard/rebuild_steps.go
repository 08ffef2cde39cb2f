package leaderboard

import (
	"context"
	"sync"
	"time"

	"github.com/arena-video/arena/models"
)

// stepBoard is one step of a pool's rebuilt history: the board fitted at
// its end, or a step that keeps the board it already has.
type stepBoard struct {
	index   int
	end     time.Time
	through *time.Time     // the newest vote counted; nil before any
	keep    bool           // the step already has a board: nothing is fitted
	tallies []models.Tally // the running totals at end, for the fit
	board   *Leaderboard
	err     error
	done    chan struct{} // closed once board and err are set
}

// fitSteps fits the boards of one pool's steps and hands every step with
// votes to use, in step order. Several steps are fitted at once, each on
// one core: a board's own work (the running totals, Newton's method, the
// rounds' set-up and percentiles) then overlaps with the others' instead of
// leaving a core idle, and the storing done by use overlaps with the next
// fits. A board does not depend on how many cores its bootstrap had, so it
// equals the one a live recompute fits from the same votes.
func (b *Boards) fitSteps(ctx context.Context, pool string, ps *poolSteps, bounds []time.Time, keep map[int]bool,
	anchor uint, use func(*stepBoard) error) error {
	workers := max(1, b.opts.Workers)
	one := b.opts
	one.Workers = 1
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	order := make(chan *stepBoard, workers+1) // steps in order, to use
	jobs := make(chan *stepBoard)             // steps to fit, to the workers
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for s := range jobs {
				s.board, s.err = fit(one, pool, "", s.tallies, anchor, s.end, false)
				s.tallies = nil
				close(s.done)
			}
		})
	}
	wg.Go(func() {
		defer close(order)
		defer close(jobs)
		total := make(map[cell]int64)
		var through *time.Time
		for i, end := range bounds {
			for c, n := range ps.steps[i] {
				total[c] += n
			}
			if t, ok := ps.last[i]; ok {
				through = &t
			}
			if len(total) == 0 {
				continue
			}
			s := &stepBoard{index: i, end: end, through: through, keep: keep[i], done: make(chan struct{})}
			if s.keep {
				close(s.done)
			} else {
				s.tallies = talliesOf(total)
			}
			select {
			case order <- s:
			case <-ctx.Done():
				return
			}
			if s.keep {
				continue
			}
			select {
			case jobs <- s:
			case <-ctx.Done():
				return
			}
		}
	})
	var err error
	for s := range order {
		select {
		case <-s.done:
		case <-ctx.Done(): // the caller gave up: the step may never be fitted
			err = ctx.Err()
		}
		if err == nil {
			err = s.err
		}
		if err == nil {
			err = use(s)
		}
		if err != nil {
			break
		}
	}
	cancel()
	wg.Wait()
	return err
}
