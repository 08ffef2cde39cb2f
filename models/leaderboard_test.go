package models

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// manualClock is a clock the test moves by hand.
type manualClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *manualClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *manualClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func openClockedStore(t *testing.T) (*Store, *manualClock) {
	t.Helper()
	clock := &manualClock{t: time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)}
	s, err := Open(context.Background(), Options{DSN: filepath.Join(t.TempDir(), "a.db"), Now: clock.Now, Ranking: RankingOptions{Rounds: 50}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, clock
}

// importBattles imports votes "a>b" style: winners first.
func importBattles(t *testing.T, s *Store, lines ...string) {
	t.Helper()
	if _, err := s.ImportVotes(context.Background(), writeLines(t, lines...), ImportOptions{}); err != nil {
		t.Fatal(err)
	}
}

func battles(a, b, winner string, n int, extra string) []string {
	var out []string
	for i := 0; i < n; i++ {
		out = append(out, fmt.Sprintf(`{"model_a":%q,"model_b":%q,"winner":%q,"tstamp":%d%s}`, a, b, winner, 1700000000+i, extra))
	}
	return out
}

func threeModels() []string {
	var l []string
	l = append(l, battles("alpha", "beta", "model_a", 30, `,"category":"people"`)...)
	l = append(l, battles("beta", "gamma", "model_a", 20, `,"category":"nature"`)...)
	l = append(l, battles("alpha", "gamma", "model_b", 5, `,"category":"nature"`)...)
	l = append(l, battles("gamma", "alpha", "model_b", 25, ``)...)
	return l
}

func TestLeaderboard_InvalidVotesChangeNothing(t *testing.T) {
	s, _ := openClockedStore(t)
	ctx := context.Background()
	importBattles(t, s, threeModels()...)
	before, err := s.ComputeLeaderboard(ctx, PoolT2V, "")
	if err != nil {
		t.Fatal(err)
	}
	var beta Model
	s.w.Where("slug = ?", "gamma").Take(&beta)
	var alpha Model
	s.w.Where("slug = ?", "alpha").Take(&alpha)
	// Fifty votes for gamma over alpha, all invalid (too fast, invalidated),
	// and a pending matchup without a vote.
	for i := 0; i < 50; i++ {
		c := ChoiceA
		m := Matchup{ID: NewID(), VoterID: "v", Pool: PoolT2V, ModelAID: beta.ID, ModelBID: alpha.ID, Choice: &c, VotedAt: &time.Time{}, Valid: false, InvalidReason: "too_fast"}
		if err := s.w.Create(&m).Error; err != nil {
			t.Fatal(err)
		}
	}
	s.w.Create(&Matchup{ID: NewID(), VoterID: "v", Pool: PoolT2V, ModelAID: beta.ID, ModelBID: alpha.ID})
	after, err := s.ComputeLeaderboard(ctx, PoolT2V, "")
	if err != nil {
		t.Fatal(err)
	}
	b1, _ := json.Marshal(before.Standings)
	b2, _ := json.Marshal(after.Standings)
	if string(b1) != string(b2) || before.Votes != after.Votes || before.Fingerprint != after.Fingerprint {
		t.Fatalf("invalid votes moved the leaderboard:\n%s\n%s", b1, b2)
	}
	if before.Votes != 80 || len(before.Standings) != 3 || before.Standings[0].ModelID != alpha.ID {
		t.Fatalf("votes %d, standings %+v: want 80 votes and alpha first", before.Votes, before.Standings)
	}
}

func TestRecompute_StoresEveryPoolAndCategoryAndSkipsUnchanged(t *testing.T) {
	s, clock := openClockedStore(t)
	ctx := context.Background()
	importBattles(t, s, threeModels()...)
	st, err := s.RecomputeLeaderboards(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	// t2v overall, its categories people and nature (and "" votes only
	// count overall).
	if st.Stored != 3 || st.Votes != 80 {
		t.Fatalf("first recompute %+v: want 3 leaderboards from 80 votes", st)
	}
	lb, ok, err := s.Leaderboard(ctx, PoolT2V, "people")
	if err != nil || !ok || lb.Votes != 30 {
		t.Fatalf("people leaderboard %+v %v %v", lb, ok, err)
	}
	if _, ok, _ := s.Leaderboard(ctx, PoolI2V, ""); ok {
		t.Fatal("a pool without votes has a leaderboard")
	}
	clock.Add(time.Minute)
	if st, err = s.RecomputeLeaderboards(ctx, false); err != nil || st.Stored != 0 {
		t.Fatalf("recompute without new votes stored %d (%v), want 0", st.Stored, err)
	}
	importBattles(t, s, `{"model_a":"beta","model_b":"alpha","winner":"model_a","category":"people","tstamp":5}`)
	if st, err = s.RecomputeLeaderboards(ctx, false); err != nil || st.Stored != 2 {
		t.Fatalf("recompute after a people vote stored %d (%v), want 2 (overall and people)", st.Stored, err)
	}
	if lb, _, _ := s.Leaderboard(ctx, PoolT2V, ""); lb.Votes != 81 {
		t.Fatalf("overall leaderboard has %d votes, want 81", lb.Votes)
	}
}

func TestRecompute_RankChangeComparesWithAWeekAgo(t *testing.T) {
	s, clock := openClockedStore(t)
	ctx := context.Background()
	importBattles(t, s, battles("alpha", "beta", "model_a", 40, "")...)
	if _, err := s.RecomputeLeaderboards(ctx, false); err != nil {
		t.Fatal(err)
	}
	clock.Add(8 * 24 * time.Hour)
	importBattles(t, s, battles("beta", "alpha", "model_a", 200, `,"category":"x"`)...)
	if _, err := s.RecomputeLeaderboards(ctx, false); err != nil {
		t.Fatal(err)
	}
	lb, _, _ := s.Leaderboard(ctx, PoolT2V, "")
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
	if lb, _, _ := s.Leaderboard(ctx, PoolT2V, "x"); lb.Standings[0].RankChange != nil {
		t.Fatal("a category first computed today shows a rank change")
	}
}

func TestPruneSnapshots_KeepsOnePerHourThenOnePerDay(t *testing.T) {
	s, clock := openClockedStore(t)
	ctx := context.Background()
	now := clock.Now() // 12:00
	ages := []time.Duration{0, 10 * time.Second, 20 * time.Minute, 40 * time.Minute, 90 * time.Minute,
		30 * time.Hour, 50 * time.Hour, 51 * time.Hour, 52 * time.Hour, 80 * time.Hour, 81 * time.Hour}
	for _, age := range ages {
		s.w.Create(&Snapshot{Key: "lb:t2v/", ComputedAt: now.Add(-age), Body: "{}"})
	}
	s.w.Create(&Snapshot{Key: "lb:i2v/", ComputedAt: now.Add(-200 * time.Hour), Body: "{}"})
	if _, err := s.pruneSnapshots(ctx); err != nil {
		t.Fatal(err)
	}
	var left []Snapshot
	s.w.Order("key DESC, computed_at DESC").Find(&left)
	var got []time.Duration
	for _, sn := range left {
		got = append(got, now.Sub(sn.ComputedAt))
	}
	// 12:00 is its own hour; 11:50, 11:40 and 11:20 share 11:00; 10:30 has
	// 10:00; 30 h ago is alone in its hour. 50, 51 and 52 h ago are 10:00,
	// 09:00 and 08:00 on 30 Oct: one a day there; 80 and 81 h ago share 28 Oct.
	want := []time.Duration{0, 10 * time.Second, 90 * time.Minute, 30 * time.Hour, 50 * time.Hour, 80 * time.Hour, 200 * time.Hour}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("kept snapshots aged %v, want %v", got, want)
	}
}

func TestRecomputer_DebouncesVotesAndRunsAtOnceOnTrigger(t *testing.T) {
	s, _ := openClockedStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	tick := make(chan time.Time)
	done := make(chan RecomputeStats, 10)
	r := NewRecomputer(s, RecomputerOptions{Tick: tick, Done: done})
	finished := make(chan struct{})
	go func() { r.Run(ctx); close(finished) }()
	defer func() { cancel(); <-finished }()

	<-done // the start-up recompute
	// Ticks without votes do nothing. Each send returns once the loop has
	// taken the tick, so after the third send the first two are handled.
	for i := 0; i < 3; i++ {
		tick <- time.Time{}
	}
	if len(done) != 0 {
		t.Fatalf("%d recomputes on ticks without votes", len(done))
	}
	// Votes only mark the Store; the recompute waits for the next tick, and
	// many votes share one.
	importBattles(t, s, battles("alpha", "beta", "model_a", 10, "")...)
	s.votes.Add(5)
	if len(done) != 0 {
		t.Fatal("a recompute ran before the debounce tick")
	}
	tick <- time.Time{}
	if st := <-done; st.Stored == 0 {
		t.Fatalf("the tick after votes stored nothing: %+v", st)
	}
	tick <- time.Time{}
	tick <- time.Time{}
	if len(done) != 0 {
		t.Fatal("ticks after the recompute recomputed again without new votes")
	}
	// An admin change asks at once.
	r.Trigger()
	<-done
	// Votes taken by another instance never touch this Store's counter, so
	// every sixth idle tick recomputes anyway (it stores nothing unchanged).
	for i := 0; i < 5; i++ {
		tick <- time.Time{}
	}
	if len(done) != 0 {
		t.Fatal("recomputed before the sixth idle tick")
	}
	tick <- time.Time{}
	if st := <-done; st.Stored != 0 {
		t.Fatalf("the safety recompute stored %d unchanged leaderboards", st.Stored)
	}
}

func TestPublic_FiltersRetiredModelsAndMinimumVotes(t *testing.T) {
	s, _ := openClockedStore(t)
	ctx := context.Background()
	var l []string
	l = append(l, battles("alpha", "beta", "model_a", 30, "")...)
	l = append(l, battles("beta", "gamma", "model_a", 3, "")...)
	importBattles(t, s, l...)
	lb, err := s.ComputeLeaderboard(ctx, PoolT2V, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.w.Model(&Model{}).Where("slug = ?", "alpha").Update("active", false).Error; err != nil {
		t.Fatal(err)
	}
	s.invalidate()
	slugs := func(f LeaderboardFilter) string {
		p, err := s.Public(ctx, PoolT2V, lb, f)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, m := range p.Models {
			out = append(out, m.Model.Slug)
		}
		return fmt.Sprint(out)
	}
	for _, tc := range []struct {
		f    LeaderboardFilter
		want string
	}{
		{LeaderboardFilter{}, "[beta gamma]"},
		{LeaderboardFilter{Retired: true}, "[alpha beta gamma]"},
		{LeaderboardFilter{Retired: true, MinVotes: 30}, "[alpha beta]"},
		{LeaderboardFilter{MinVotes: 34}, "[]"},
	} {
		if got := slugs(tc.f); got != tc.want {
			t.Errorf("filter %+v shows %s, want %s", tc.f, got, tc.want)
		}
	}
}

func TestPublic_RanksLeaveRetiredModelsOut(t *testing.T) {
	s, _ := openClockedStore(t)
	ctx := context.Background()
	// alpha is far above beta and gamma, which are close to each other.
	var l []string
	l = append(l, battles("alpha", "beta", "model_a", 60, "")...)
	l = append(l, battles("alpha", "gamma", "model_a", 60, "")...)
	l = append(l, battles("beta", "alpha", "model_a", 2, "")...)
	l = append(l, battles("gamma", "alpha", "model_a", 2, "")...)
	l = append(l, battles("beta", "gamma", "model_a", 20, "")...)
	l = append(l, battles("gamma", "beta", "model_a", 19, "")...)
	importBattles(t, s, l...)
	lb, err := s.ComputeLeaderboard(ctx, PoolT2V, "")
	if err != nil {
		t.Fatal(err)
	}
	if lb.Standings[0].Rank != 1 || lb.Standings[1].Rank != 2 {
		t.Fatalf("setup: alpha should be surely first, got ranks %d and %d", lb.Standings[0].Rank, lb.Standings[1].Rank)
	}
	if err := s.w.Model(&Model{}).Where("slug = ?", "alpha").Update("active", false).Error; err != nil {
		t.Fatal(err)
	}
	s.invalidate()
	for _, f := range []LeaderboardFilter{{}, {Retired: true}} {
		p, err := s.Public(ctx, PoolT2V, lb, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range p.Models {
			if m.Model.Slug != "alpha" && (m.Rank != 1 || m.RankSpread[1] != 2) {
				t.Errorf("retired=%v: %s ranked %d (spread %v), want 1 (1–2): the retired model still counts", f.Retired, m.Model.Slug, m.Rank, m.RankSpread)
			}
			if m.Model.Slug == "alpha" && m.Rank != 1 {
				t.Errorf("retired alpha, shown on request, ranked %d, want 1 against the listed models", m.Rank)
			}
		}
	}
}
