package main

import (
	"context"
	"log/slog"
	"testing"

	"github.com/arena-video/arena/models"
	"github.com/arena-video/arena/models/leaderboard"
	"github.com/arena-video/arena/models/media"
	"github.com/arena-video/arena/models/testdb"
)

// A fresh demo must rank every demo model in every pool that has clips,
// above the default provisional threshold, with a rank change against the
// leaderboards of a week ago.
func TestSeedDemo_RanksEveryModelWithARankChange(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	store, err := models.Open(ctx, models.Options{DSN: testdb.DSN(t, dir), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	blobs, err := media.NewStore(dir, media.StoreOptions{DisableFFmpeg: true})
	if err != nil {
		t.Fatal(err)
	}
	boards := leaderboard.New(store, leaderboard.Options{Rounds: 100})
	if seeded, err := seedDemo(ctx, store, boards, blobs); err != nil || !seeded {
		t.Fatalf("seedDemo = %v, %v; want true", seeded, err)
	}
	if seeded, err := seedDemo(ctx, store, boards, blobs); err != nil || seeded {
		t.Fatalf("seeding a seeded database = %v, %v; want false, nil", seeded, err)
	}
	if _, err := boards.Recompute(ctx, true); err != nil {
		t.Fatal(err)
	}
	for _, pool := range []string{models.PoolT2V, models.PoolI2V, models.PoolT2VAudio} {
		lb, ok, err := boards.Get(ctx, pool, "")
		if err != nil || !ok {
			t.Fatalf("%s leaderboard: %v %v", pool, ok, err)
		}
		if len(lb.Standings) != 5 {
			t.Fatalf("%s ranks %d models, want the 5 demo models", pool, len(lb.Standings))
		}
		for _, st := range lb.Standings {
			if st.Votes < 20 {
				t.Errorf("%s: model %d has %d votes, under the default threshold of 20", pool, st.ModelID, st.Votes)
			}
			if st.RankChange == nil {
				t.Errorf("%s: model %d has no rank change: no leaderboard from a week ago", pool, st.ModelID)
			}
		}
	}
}
