package leaderboard

import (
	"context"
	"testing"
	"time"

	"github.com/arena-video/arena/models"
)

func TestRecomputer_DebouncesVotesAndRunsAtOnceOnTrigger(t *testing.T) {
	b, s, _ := openBoards(t)
	ctx, cancel := context.WithCancel(context.Background())
	tick := make(chan time.Time)
	done := make(chan RecomputeStats, 10)
	r := NewRecomputer(b, RecomputerOptions{Tick: tick, Done: done})
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
	// Votes (an import counts them) only mark the Store; the recompute
	// waits for the next tick, and many votes share one.
	importBattles(t, s, battles("alpha", "beta", "model_a", 10, "")...)
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

// A change made through the Store that moves the rankings (here a model
// retired, as the admin page, the API and the command line all do it)
// recomputes at once, without a tick or a Trigger.
func TestRecomputer_RunsAtOnceAfterAStoreChange(t *testing.T) {
	b, s, _ := openBoards(t)
	importBattles(t, s, battles("alpha", "beta", "model_a", 10, "")...)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan RecomputeStats, 10)
	r := NewRecomputer(b, RecomputerOptions{Tick: make(chan time.Time), Done: done})
	finished := make(chan struct{})
	go func() { r.Run(ctx); close(finished) }()
	defer func() { cancel(); <-finished }()

	<-done // the start-up recompute
	no := false
	if _, err := s.UpdateModel(ctx, models.Actor{Name: "test"}, "alpha", models.ModelPatch{Active: &no}); err != nil {
		t.Fatal(err)
	}
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatal("no recompute after a model was retired")
	}
}
