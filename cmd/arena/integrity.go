package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/arena-video/arena/models"
	"github.com/arena-video/arena/models/leaderboard"
)

// integrityEvery is how often serve runs the targeted-voting test (and
// makes position-bias flags retroactive); found votes are undone at once
// and the leaderboards recomputed.
const integrityEvery = 2 * time.Minute

// startIntegrityChecks runs models.Store.CheckIntegrity in the background
// until ctx ends or stop is called.
func startIntegrityChecks(ctx context.Context, store *models.Store, boards *leaderboard.Boards, log *slog.Logger) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(integrityEvery)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			rep, err := store.CheckIntegrity(ctx, boards.Scores(ctx))
			if err != nil {
				if ctx.Err() == nil {
					log.Error("integrity check", "err", err)
				}
				continue
			}
			if rep.Targeted > 0 || rep.PositionBias > 0 {
				log.Info("integrity check undid votes", "targeted", rep.Targeted, "position_bias", rep.PositionBias, "flags", len(rep.Flags))
			}
		}
	}()
	return func() {
		cancel()
		<-done
	}
}
