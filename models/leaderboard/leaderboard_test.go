package leaderboard

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/arena-video/arena/models"
)

func TestCompute_InvalidVotesChangeNothing(t *testing.T) {
	b, s, _ := openBoards(t)
	ctx := context.Background()
	importBattles(t, s, threeModels()...)
	before, err := b.Compute(ctx, models.PoolT2V, "")
	if err != nil {
		t.Fatal(err)
	}
	// Fifty votes between gamma and alpha, all too fast, and a matchup
	// without a vote.
	p := models.Prompt{Text: "a cat", Modality: models.ModalityT2V}
	if err := s.CreatePrompt(ctx, &p); err != nil {
		t.Fatal(err)
	}
	for i, slug := range []string{"gamma", "alpha"} {
		m, err := s.ModelBySlug(ctx, slug)
		if err != nil {
			t.Fatal(err)
		}
		c := models.Clip{PromptID: p.ID, ModelID: m.ID, SHA256: fmt.Sprintf("%064d", i), BlobKey: fmt.Sprintf("%064d", i), MIME: "video/mp4", DurationMS: 4 * 3600 * 1000, Width: 8, Height: 8}
		if err := s.CreateClip(ctx, &c); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i <= 50; i++ {
		m, err := s.IssueMatchup(ctx, "voter", models.MatchupFilter{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if i == 50 {
			break // left unvoted
		}
		if res, err := s.RecordVote(ctx, "voter", m.ID, models.ChoiceA); err != nil || res.Valid {
			t.Fatalf("vote %d: %+v, %v; want a stored invalid vote", i, res, err)
		}
	}
	after, err := b.Compute(ctx, models.PoolT2V, "")
	if err != nil {
		t.Fatal(err)
	}
	b1, _ := json.Marshal(before.Standings)
	b2, _ := json.Marshal(after.Standings)
	if string(b1) != string(b2) || before.Votes != after.Votes || before.Fingerprint != after.Fingerprint {
		t.Fatalf("invalid votes moved the leaderboard:\n%s\n%s", b1, b2)
	}
	alpha, err := s.ModelBySlug(ctx, "alpha")
	if err != nil {
		t.Fatal(err)
	}
	if before.Votes != 80 || len(before.Standings) != 3 || before.Standings[0].ModelID != alpha.ID {
		t.Fatalf("votes %d, standings %+v: want 80 votes and alpha first", before.Votes, before.Standings)
	}
}

func TestRecompute_StoresEveryPoolAndCategoryAndSkipsUnchanged(t *testing.T) {
	b, s, clock := openBoards(t)
	ctx := context.Background()
	importBattles(t, s, threeModels()...)
	st, err := b.Recompute(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	// t2v overall, its categories people and nature (and "" votes only
	// count overall).
	if st.Stored != 3 || st.Votes != 80 {
		t.Fatalf("first recompute %+v: want 3 leaderboards from 80 votes", st)
	}
	if n := s.Stats().RecomputeCount; n != 1 {
		t.Fatalf("the recompute duration histogram counts %d recomputes, want 1", n)
	}
	lb, ok, err := b.Get(ctx, models.PoolT2V, "people")
	if err != nil || !ok || lb.Votes != 30 {
		t.Fatalf("people leaderboard %+v %v %v", lb, ok, err)
	}
	if _, ok, _ := b.Get(ctx, models.PoolI2V, ""); ok {
		t.Fatal("a pool without votes has a leaderboard")
	}
	clock.Advance(time.Minute)
	if st, err = b.Recompute(ctx, false); err != nil || st.Stored != 0 {
		t.Fatalf("recompute without new votes stored %d (%v), want 0", st.Stored, err)
	}
	importBattles(t, s, `{"model_a":"beta","model_b":"alpha","winner":"model_a","category":"people","tstamp":5}`)
	if st, err = b.Recompute(ctx, false); err != nil || st.Stored != 2 {
		t.Fatalf("recompute after a people vote stored %d (%v), want 2 (overall and people)", st.Stored, err)
	}
	if lb, _, _ := b.Get(ctx, models.PoolT2V, ""); lb.Votes != 81 {
		t.Fatalf("overall leaderboard has %d votes, want 81", lb.Votes)
	}
}

func TestGet_SeesSnapshotsAnotherInstanceStored(t *testing.T) {
	b, s, clock := openBoards(t)
	ctx := context.Background()
	other := New(s, Options{Rounds: 50})
	if _, ok, _ := b.Get(ctx, models.PoolT2V, ""); ok {
		t.Fatal("a leaderboard before any recompute")
	}
	importBattles(t, s, threeModels()...)
	if _, err := other.Recompute(ctx, false); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := b.Get(ctx, models.PoolT2V, ""); ok {
		t.Fatal("the cached absence was looked up again before MaxAge passed")
	}
	clock.Advance(b.opts.MaxAge)
	if lb, ok, err := b.Get(ctx, models.PoolT2V, ""); err != nil || !ok || lb.Votes != 80 {
		t.Fatalf("after MaxAge: %+v %v %v, want the other instance's 80-vote leaderboard", lb, ok, err)
	}
}

func TestRecompute_RankChangeComparesWithAWeekAgo(t *testing.T) {
	b, s, clock := openBoards(t)
	ctx := context.Background()
	importBattles(t, s, battles("alpha", "beta", "model_a", 40, "")...)
	if _, err := b.Recompute(ctx, false); err != nil {
		t.Fatal(err)
	}
	clock.Advance(8 * 24 * time.Hour)
	importBattles(t, s, battles("beta", "alpha", "model_a", 200, `,"category":"x"`)...)
	if _, err := b.Recompute(ctx, false); err != nil {
		t.Fatal(err)
	}
	lb, _, _ := b.Get(ctx, models.PoolT2V, "")
	changes := map[int]int{}
	for _, st := range lb.Standings {
		if st.RankChange == nil {
			t.Fatalf("standing %+v has no rank change though it was ranked a week ago", st)
		}
		changes[st.Rank] = *st.RankChange
	}
	if changes[1] != 1 || changes[2] != -1 {
		t.Fatalf("rank changes by rank %v: want the new leader up 1 and the old one down 1", changes)
	}
	if lb, _, _ := b.Get(ctx, models.PoolT2V, "x"); lb.Standings[0].RankChange != nil {
		t.Fatal("a category first computed today shows a rank change")
	}
}

func TestRanks_BothSidesFromOneLeaderboard(t *testing.T) {
	b, s, _ := openBoards(t)
	ctx := context.Background()
	importBattles(t, s, battles("alpha", "beta", "model_a", 40, "")...)
	alpha, _ := s.ModelBySlug(ctx, "alpha")
	beta, _ := s.ModelBySlug(ctx, "beta")
	if a, bb := b.Ranks(ctx, models.PoolT2V, alpha.ID, beta.ID); a != 0 || bb != 0 {
		t.Fatalf("ranks before any recompute: %d, %d; want 0, 0", a, bb)
	}
	if _, err := b.Recompute(ctx, false); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		pool       string
		a, b       uint
		wantA, wnB int
	}{
		{models.PoolT2V, alpha.ID, beta.ID, 1, 2},
		{models.PoolT2V, beta.ID, alpha.ID, 2, 1},
		{models.PoolT2V, alpha.ID, 999, 1, 0},
		{models.PoolI2V, alpha.ID, beta.ID, 0, 0},
	} {
		if a, bb := b.Ranks(ctx, tc.pool, tc.a, tc.b); a != tc.wantA || bb != tc.wnB {
			t.Errorf("Ranks(%s, %d, %d) = %d, %d; want %d, %d", tc.pool, tc.a, tc.b, a, bb, tc.wantA, tc.wnB)
		}
	}
}

func TestPrune_KeepsOnePerHourThenOnePerDay(t *testing.T) {
	b, s, clock := openBoards(t)
	ctx := context.Background()
	now := clock.Now() // 12:00
	ages := []time.Duration{0, 10 * time.Second, 20 * time.Minute, 40 * time.Minute, 90 * time.Minute,
		30 * time.Hour, 50 * time.Hour, 51 * time.Hour, 52 * time.Hour, 80 * time.Hour, 81 * time.Hour}
	add := func(key string, at time.Time) {
		if err := s.AddSnapshot(ctx, &models.Snapshot{Key: key, ComputedAt: at, Body: "{}"}); err != nil {
			t.Fatal(err)
		}
	}
	for _, age := range ages {
		add("lb:t2v/", now.Add(-age))
	}
	add("lb:i2v/", now.Add(-200*time.Hour))
	if _, err := b.prune(ctx); err != nil {
		t.Fatal(err)
	}
	left, err := s.SnapshotTimes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var got []time.Duration
	for _, key := range []string{"lb:t2v/", "lb:i2v/"} {
		for _, sn := range left {
			if sn.Key == key {
				got = append(got, now.Sub(sn.ComputedAt))
			}
		}
	}
	// 12:00 is its own hour; 11:50, 11:40 and 11:20 share 11:00; 10:30 has
	// 10:00; 30 h ago is alone in its hour. 50, 51 and 52 h ago are 10:00,
	// 09:00 and 08:00 on 30 Oct: one a day there; 80 and 81 h ago share 28 Oct.
	want := []time.Duration{0, 10 * time.Second, 90 * time.Minute, 30 * time.Hour, 50 * time.Hour, 80 * time.Hour, 200 * time.Hour}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("kept snapshots aged %v, want %v", got, want)
	}
}

func TestPairWeigher_NewModelsGetTheLargestWeight(t *testing.T) {
	b, _, clock := openBoards(t)
	lb := &Leaderboard{Pool: models.PoolT2V, Standings: []Standing{{ModelID: 1}, {ModelID: 2}, {ModelID: 3}},
		PairWeights: [][]float64{{0, 0.5, 2}, {0.5, 0, 1}, {2, 1, 0}}}
	b.cache.put(Key(models.PoolT2V, ""), newCachedBoard(1, lb, clock.Now()))
	w := b.PairWeigher(t.Context(), models.PoolT2V)
	for _, tc := range []struct {
		a, b uint
		want float64
	}{{1, 2, 0.5}, {2, 1, 0.5}, {1, 3, 2}, {2, 3, 1}, {1, 9, 2}, {9, 8, 2}} {
		if got := w(models.PoolT2V, tc.a, tc.b); got != tc.want {
			t.Errorf("weight(%d, %d) = %g, want %g", tc.a, tc.b, got, tc.want)
		}
	}
	if got := w(models.PoolI2V, 1, 2); got != 1 {
		t.Errorf("a pool without a leaderboard weighs %g, want 1 (uniform)", got)
	}
}
