package handlers

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/arena-video/arena/models"
	"github.com/arena-video/arena/models/leaderboard"
	"github.com/arena-video/arena/models/synthetic"
)

// BenchmarkLeaderboardPage measures the server time of /leaderboard with 100
// ranked models (a 100-row table, the score chart and a 30×30 heatmap) from
// 200,000 imported votes, through the real router: "cached" is the steady
// state, "render" the first request after a new snapshot. Run it with:
//
//	go test ./handlers/ -run '^$' -bench LeaderboardPage
func BenchmarkLeaderboardPage(b *testing.B) {
	ctx := context.Background()
	store, blobs := openBenchStore(b, models.Options{})
	importSynthetic(b, store, synthetic.Options{Models: 100, Votes: 200_000, Seed: 1})
	boards := leaderboard.New(store, leaderboard.Options{Rounds: 100})
	if _, err := boards.Recompute(ctx, false); err != nil {
		b.Fatal(err)
	}
	srv, err := New(Config{Store: store, Boards: boards, Blobs: blobs, SessionKeys: testKeys(), Logger: slog.New(slog.DiscardHandler)})
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

// importSynthetic imports the synthetic votes o describes into store, as
// `arena import votes` would.
func importSynthetic(b *testing.B, store *models.Store, o synthetic.Options) {
	b.Helper()
	votes := filepath.Join(b.TempDir(), "votes.jsonl")
	if err := synthetic.WriteFile(votes, o); err != nil {
		b.Fatal(err)
	}
	if _, err := store.ImportVotes(context.Background(), votes, models.ImportOptions{}); err != nil {
		b.Fatal(err)
	}
}
