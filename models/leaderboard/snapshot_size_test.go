package leaderboard

import (
	"context"
	"testing"
	"time"

	"github.com/arena-video/arena/models"
	"github.com/arena-video/arena/models/history"
	"github.com/arena-video/arena/models/synthetic"
	"github.com/arena-video/arena/models/testclock"
	"github.com/arena-video/arena/models/testdb"
)

// TestSnapshotBytes_100Models states what a stored board of 100 models
// costs, as stored: a board of the history keeps only its per-model rows;
// the newest board of a key also keeps the pairwise data its page shows.
// Run it with -v to see the figures:
//
//	go test ./models/leaderboard/ -run SnapshotBytes -v
func TestSnapshotBytes_100Models(t *testing.T) {
	ctx := context.Background()
	first := time.Unix(1_700_000_000, 0).UTC()
	clock := testclock.New(first.Add(5 * 24 * time.Hour))
	s := openSynthetic(t, models.Options{DSN: testdb.DSN(t, t.TempDir()), Now: clock.Now},
		synthetic.Options{Models: 100, Votes: 30_000, Seed: 3, Span: 3 * 24 * 3600})
	b := New(s, Options{Rounds: 20})
	if _, err := b.RebuildHistory(ctx, history.Daily); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Hour)
	if _, err := b.Recompute(ctx, true); err != nil {
		t.Fatal(err)
	}
	snaps, err := s.SnapshotsOf(ctx, Key(models.PoolT2V, ""))
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]uint, len(snaps))
	for i, sn := range snaps {
		ids[i] = sn.ID
	}
	bodies, err := s.SnapshotsByID(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	var past, pastN, newest int
	for _, sn := range bodies {
		lb, err := parseSnapshot(sn)
		if err != nil {
			t.Fatal(err)
		}
		if len(lb.Standings) != 100 {
			t.Fatalf("board %d has %d rows, want 100", sn.ID, len(lb.Standings))
		}
		if sn.ID == ids[len(ids)-1] {
			newest = len(sn.Body)
			continue
		}
		past += len(sn.Body)
		pastN++
	}
	if pastN == 0 {
		t.Fatal("no past board stored")
	}
	perPast := past / pastN
	t.Logf("100 models: %d bytes per history board (mean of %d), %d bytes for the newest board with its pairwise data", perPast, pastN, newest)
	// A history board is its 100 rows of about 190 bytes of JSON each.
	if perPast > 24_000 {
		t.Errorf("a history board of 100 models takes %d bytes, want at most 24,000", perPast)
	}
	if newest <= perPast {
		t.Errorf("the newest board (%d bytes) should carry its pairwise data beyond the rows (%d bytes)", newest, perPast)
	}
}
