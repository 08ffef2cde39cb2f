package leaderboard

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/arena-video/arena/models"
	"github.com/arena-video/arena/models/testclock"
	"github.com/arena-video/arena/models/testdb"
)

func TestMain(m *testing.M) { os.Exit(testdb.Main(m)) }

// openBoards opens a store on a hand-moved clock and Boards over it, with
// few bootstrap rounds: the tests check bookkeeping, not the math. Votes
// cast through the store within an hour of their matchup are too fast, so
// stored invalid.
func openBoards(t *testing.T) (*Boards, *models.Store, *testclock.Clock) {
	t.Helper()
	clock := testclock.New(time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC))
	s, err := models.Open(context.Background(), models.Options{DSN: testdb.DSN(t, t.TempDir()), Now: clock.Now, MinWatch: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return New(s, Options{Rounds: 50}), s, clock
}

// importBattles imports votes in the public battle format and returns the
// voter they were recorded under.
func importBattles(t *testing.T, s *models.Store, lines ...string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "votes.jsonl")
	if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	sum, err := s.ImportVotes(context.Background(), p, models.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return sum.VoterID
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
