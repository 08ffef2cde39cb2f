package main

import (
	"context"
	"fmt"
	"time"

	"github.com/arena-video/arena/models"
	"github.com/arena-video/arena/models/leaderboard"
	"github.com/arena-video/arena/models/media"
	"github.com/arena-video/arena/static"
)

// seedDemo fills an empty database with the demo models, prompts, clips and
// made-up votes, and stores the leaderboards as they stood a week ago, so
// the demo's 7-day rank change has something to compare with. It reports
// whether it seeded anything: a database that already has models is left
// alone.
func seedDemo(ctx context.Context, store *models.Store, boards *leaderboard.Boards, blobs *media.Store) (bool, error) {
	seeded, err := static.SeedDemo(ctx, store, blobs)
	if err != nil || !seeded {
		if err != nil {
			err = fmt.Errorf("seed demo data: %w", err)
		}
		return false, err
	}
	if err := store.SeedDemoVotes(ctx, models.DemoVotes, 1); err != nil {
		return false, err
	}
	if _, err := boards.RecomputeAsOf(ctx, true, store.Now().Add(-7*24*time.Hour)); err != nil {
		return false, fmt.Errorf("seed demo votes: %w", err)
	}
	return true, nil
}
