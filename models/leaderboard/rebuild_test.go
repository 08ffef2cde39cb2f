package leaderboard

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/arena-video/arena/models"
	"github.com/arena-video/arena/models/history"
	"github.com/arena-video/arena/models/synthetic"
	"github.com/arena-video/arena/models/testclock"
	"github.com/arena-video/arena/models/testdb"
)

// TestRebuildHistory_EqualsIndependentRecomputes checks the running totals
// and the fits spread over the cores against the plain way: for every day,
// count the votes cast before its end afresh and fit them on their own.
// Each board must match in every number.
func TestRebuildHistory_EqualsIndependentRecomputes(t *testing.T) {
	ctx := context.Background()
	const days = 6
	first := time.Unix(1_700_000_000, 0).UTC()
	clock := testclock.New(first.Add(10 * 24 * time.Hour))
	s := openSynthetic(t, models.Options{DSN: testdb.DSN(t, t.TempDir()), Now: clock.Now},
		synthetic.Options{Models: 9, Votes: 3000, Seed: 7, Span: days*24*3600 - 1})
	for _, workers := range []int{1, 2, 3} {
		t.Run(strconv.Itoa(workers)+" workers", func(t *testing.T) {
			if err := s.DeleteRebuiltSnapshots(ctx); err != nil {
				t.Fatal(err)
			}
			b := New(s, Options{Rounds: 60, Workers: workers})
			st, err := b.RebuildHistory(ctx, history.Daily)
			if err != nil {
				t.Fatal(err)
			}
			if st.Votes != 3000 || st.Stored < days {
				t.Fatalf("rebuild read %d votes and stored %d boards, want 3000 and %d or more", st.Votes, st.Stored, days)
			}
			snaps, err := s.SnapshotsOf(ctx, Key(models.PoolT2V, ""))
			if err != nil {
				t.Fatal(err)
			}
			if len(snaps) != st.Stored {
				t.Fatalf("%d snapshots stored, stats say %d", len(snaps), st.Stored)
			}
			for _, sn := range snaps {
				got, err := b.load(ctx, sn.ID)
				if err != nil {
					t.Fatal(err)
				}
				want := independentBoard(t, b, s, sn.ComputedAt)
				compareBoards(t, sn.ComputedAt.Format(time.DateOnly), got, want)
			}
		})
	}
}

// independentBoard fits the board of the votes cast before end from a
// fresh count, on the default number of cores.
func independentBoard(t *testing.T, b *Boards, s *models.Store, end time.Time) *Leaderboard {
	t.Helper()
	ctx := context.Background()
	before := end.Add(-time.Nanosecond) // the filter counts votes at or before
	ts, err := s.VoteTallies(ctx, models.TallyFilter{Pool: models.PoolT2V, Until: before})
	if err != nil {
		t.Fatal(err)
	}
	o := b.opts
	o.Workers = 0
	lb, err := fit(o.withDefaults(), models.PoolT2V, "", mergeCategories(ts), 0, end, false)
	if err != nil {
		t.Fatal(err)
	}
	if lb.VotesThrough, err = s.LastVote(ctx, models.PoolT2V, "", before); err != nil {
		t.Fatal(err)
	}
	return lb
}

func compareBoards(t *testing.T, day string, got, want *Leaderboard) {
	t.Helper()
	if got.Votes != want.Votes || got.Fingerprint != want.Fingerprint || !got.ComputedAt.Equal(want.ComputedAt) ||
		(got.VotesThrough == nil) != (want.VotesThrough == nil) || (got.VotesThrough != nil && !got.VotesThrough.Equal(*want.VotesThrough)) {
		t.Fatalf("%s: rebuilt board %d votes through %v (%s), independent %d through %v (%s)",
			day, got.Votes, got.VotesThrough, got.Fingerprint, want.Votes, want.VotesThrough, want.Fingerprint)
	}
	if len(got.Standings) != len(want.Standings) {
		t.Fatalf("%s: %d rows rebuilt, %d independent", day, len(got.Standings), len(want.Standings))
	}
	const tol = 1e-9
	for i, g := range got.Standings {
		w := want.Standings[i]
		if g.ModelID != w.ModelID || g.Rank != w.Rank || g.RankBest != w.RankBest || g.RankWorst != w.RankWorst ||
			g.Votes != w.Votes || g.Wins != w.Wins || g.Ties != w.Ties || g.Losses != w.Losses || g.BothBad != w.BothBad ||
			math.Abs(g.Score-w.Score) > tol || math.Abs(g.CILower-w.CILower) > tol || math.Abs(g.CIUpper-w.CIUpper) > tol ||
			math.Abs(g.WinRate-w.WinRate) > tol {
			t.Fatalf("%s row %d: rebuilt %+v, independent %+v", day, i, g, w)
		}
	}
}

// TestFingerprint_SameAsFormattedLines pins the fingerprint to the lines it
// has always hashed, so stored boards stay recognised as up to date.
func TestFingerprint_SameAsFormattedLines(t *testing.T) {
	o := Options{Rounds: 1000, Seed: 1, AnchorSlug: "alpha", AnchorScore: 1000}
	ts := []models.Tally{
		{ModelAID: 1, ModelBID: 2, Choice: models.ChoiceA, N: 12},
		{ModelAID: 1, ModelBID: 2, Choice: models.ChoiceTie, N: 3},
		{ModelAID: 40, ModelBID: 7, Choice: models.ChoiceBothBad, N: 1 << 40},
	}
	h := fnv.New64a()
	fmt.Fprintf(h, "%d|%d|%s|%g\n", o.Rounds, o.Seed, o.AnchorSlug, o.AnchorScore)
	for _, t := range ts {
		fmt.Fprintf(h, "%d|%d|%s|%d\n", t.ModelAID, t.ModelBID, t.Choice, t.N)
	}
	if got, want := fingerprint(ts, o), strconv.FormatUint(h.Sum64(), 16); got != want {
		t.Fatalf("fingerprint %s, want %s", got, want)
	}
}

// failingStore fails the third board a rebuild stores.
type failingStore struct {
	*models.Store
	stored int
}

func (f *failingStore) AddRebuiltSnapshot(ctx context.Context, snap *models.Snapshot, evs []models.RankEvent) error {
	if f.stored++; f.stored == 3 {
		return errors.New("disk full")
	}
	return f.Store.AddRebuiltSnapshot(ctx, snap, evs)
}

// TestRebuildHistory_StopsAtTheFirstError checks that a board that cannot
// be stored ends the rebuild with its error while other days are being
// fitted, and that nothing after it is stored.
func TestRebuildHistory_StopsAtTheFirstError(t *testing.T) {
	ctx := context.Background()
	_, s, _ := openBoards(t)
	var lines []string
	for d := range 8 {
		for i := range 10 {
			lines = append(lines, fmt.Sprintf(`{"model_a":"alpha","model_b":"beta","winner":%q,"tstamp":%d}`,
				[]string{"model_a", "model_b", "tie"}[i%3], 1_700_000_000+d*86400+i))
		}
	}
	importBattles(t, s, lines...)
	f := &failingStore{Store: s}
	st, err := New(f, Options{Rounds: 20, Workers: 2}).RebuildHistory(ctx, history.Daily)
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("rebuild error %v, want the store's", err)
	}
	if st.Stored != 2 {
		t.Errorf("stored %d boards before the error, want 2", st.Stored)
	}
	snaps, err := s.SnapshotsOf(ctx, Key(models.PoolT2V, ""))
	if err != nil || len(snaps) != 2 {
		t.Errorf("%d boards in the database (%v), want 2", len(snaps), err)
	}
}
