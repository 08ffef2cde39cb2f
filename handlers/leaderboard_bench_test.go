package handlers

import (
	"bufio"
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/arena-video/arena/models"
)

// BenchmarkLeaderboardPage measures the server time of /leaderboard with 100
// ranked models (a 100-row table, the score chart and a 30×30 heatmap) from
// 200,000 imported votes, through the real router: "cached" is the steady
// state, "render" the first request after a new snapshot. Run it with:
//
//	go test ./handlers/ -run '^$' -bench LeaderboardPage
func BenchmarkLeaderboardPage(b *testing.B) {
	ctx := context.Background()
	store, blobs := openBenchStore(b, models.Options{Ranking: models.RankingOptions{Rounds: 100}})
	votes := filepath.Join(b.TempDir(), "votes.jsonl")
	writeBattles(b, votes, 100, 200_000)
	if _, err := store.ImportVotes(ctx, votes, models.ImportOptions{}); err != nil {
		b.Fatal(err)
	}
	if _, err := store.RecomputeLeaderboards(ctx, false); err != nil {
		b.Fatal(err)
	}
	srv, err := New(Config{Store: store, Blobs: blobs, SessionKeys: testKeys(), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	get := func() {
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/leaderboard", nil))
		if w.Code != http.StatusOK {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}
	get()
	b.Run("cached", func(b *testing.B) {
		for b.Loop() {
			get()
		}
	})
	b.Run("render", func(b *testing.B) {
		for b.Loop() {
			srv.boardPages = newBoardPageCache()
			get()
		}
	})
}

// writeBattles writes n votes among the given number of models in the
// import format, one category per prompt.
func writeBattles(b *testing.B, path string, models, n int) {
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	w := bufio.NewWriter(f)
	rng := rand.New(rand.NewPCG(1, 2))
	winners := []string{"model_a", "model_b", "tie", "tie (bothbad)"}
	cats := []string{"people", "nature", "animals", "city"}
	for i := range n {
		a := rng.IntN(models)
		o := (a + 1 + rng.IntN(models-1)) % models
		fmt.Fprintf(w, `{"model_a":"model-%03d","model_b":"model-%03d","winner":%q,"prompt_id":%d,"category":%q,"tstamp":%d}`+"\n",
			a, o, winners[rng.IntN(len(winners))], i%50, cats[i%50%len(cats)], 1_700_000_000+i)
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
}
