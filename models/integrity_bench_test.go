package models

import (
	"context"
	"syscall"
	"testing"
	"time"

	"github.com/arena-video/arena/models/testclock"
	"github.com/arena-video/arena/models/testdb"
)

// BenchmarkVoteCycle issues a matchup and votes on it, the hot path whose
// cost vote validity (watch time, flag lookup, counting trigger) and the
// pending-matchup bound add to.
func BenchmarkVoteCycle(b *testing.B) {
	s, clock := openClockedB(b)
	ctx := context.Background()
	voters := make([]string, 64)
	for i := range voters {
		voters[i] = NewID()
	}
	choices := []string{ChoiceA, ChoiceB, ChoiceTie, ChoiceBothBad}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		v := voters[i%len(voters)]
		m, err := s.IssueMatchup(ctx, v, MatchupFilter{}, nil)
		if err != nil {
			b.Fatal(err)
		}
		clock.Advance(time.Millisecond)
		if _, err := s.RecordVote(ctx, v, m.ID, choices[i%4]); err != nil {
			b.Fatal(err)
		}
	}
}

func openClockedB(b *testing.B) (*Store, *testclock.Clock) {
	b.Helper()
	clock := testclock.New(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	s, err := Open(context.Background(), Options{DSN: testdb.DSN(b, b.TempDir()), Now: clock.Now, MinWatch: 3 * time.Second})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	ctx := context.Background()
	p := Prompt{Text: "a cat", Modality: ModalityT2V}
	if err := s.CreatePrompt(ctx, &p); err != nil {
		b.Fatal(err)
	}
	for i := range 5 {
		m := Model{Slug: "m" + string(rune('a'+i)), Name: "Model " + string(rune('A'+i))}
		if err := s.CreateModel(ctx, &m); err != nil {
			b.Fatal(err)
		}
		c := Clip{PromptID: p.ID, ModelID: m.ID, SHA256: NewID(), BlobKey: NewID(), MIME: "video/mp4", DurationMS: 5000, Width: 8, Height: 8}
		if err := s.CreateClip(ctx, &c); err != nil {
			b.Fatal(err)
		}
	}
	return s, clock
}

// BenchmarkVoteCycleConcurrent is BenchmarkVoteCycle as a loaded server
// runs it: 64 voters at once, their writes grouped into shared commits.
// Besides the time per cycle it reports the process's CPU time per cycle
// (cpu-us/op), the figure that decides throughput on a busy machine, and
// the writes per commit (writes/group).
func BenchmarkVoteCycleConcurrent(b *testing.B) {
	s, _ := openClockedB(b)
	s.now = time.Now // matchup ids and expiry follow the real clock
	s.rules.minWatch = 0
	ctx := context.Background()
	choices := []string{ChoiceA, ChoiceB, ChoiceTie, ChoiceBothBad}
	var cpu0 syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &cpu0)
	st0 := s.Stats()
	b.SetParallelism(32) // 64 goroutines on two cores, like arenaload's default
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		v := NewID()
		i := 0
		for pb.Next() {
			m, err := s.IssueMatchup(ctx, v, MatchupFilter{}, nil)
			if err != nil {
				b.Error(err)
				return
			}
			if _, err := s.RecordVote(ctx, v, m.ID, choices[i%4]); err != nil {
				b.Error(err)
				return
			}
			i++
		}
	})
	b.StopTimer()
	var cpu1 syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &cpu1)
	st1 := s.Stats()
	used := time.Duration(cpu1.Utime.Nano()+cpu1.Stime.Nano()-cpu0.Utime.Nano()-cpu0.Stime.Nano()) * time.Nanosecond
	b.ReportMetric(float64(used.Microseconds())/float64(b.N), "cpu-us/op")
	if g := st1.WriteGroups - st0.WriteGroups; g > 0 {
		b.ReportMetric(float64(st1.Writes-st0.Writes)/float64(g), "writes/group")
	}
}
