package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/arena-video/arena/models"
)

// pruneEvery is how often serve deletes what models.Prune deletes; the
// first run comes a minute after start, off the start-up path.
const pruneEvery = time.Hour

// startPruner prunes abandoned matchups and voters in the background until
// ctx ends or stop is called.
func startPruner(ctx context.Context, store *models.Store, log *slog.Logger) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		wait := time.Minute
		for {
			select {
			case <-ctx.Done():
				return
			case <-time.After(wait):
			}
			wait = pruneEvery
			res, err := store.Prune(ctx, models.PruneRetention)
			if err != nil {
				if ctx.Err() == nil {
					log.Error("prune", "err", err)
				}
				continue
			}
			if res.Matchups > 0 || res.Voters > 0 {
				log.Info("pruned unvoted matchups and empty voters", "matchups", res.Matchups, "voters", res.Voters)
			}
		}
	}()
	return func() {
		cancel()
		<-done
	}
}
