package handlers

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/arena-video/arena/models"
	"github.com/arena-video/arena/models/history"
	"github.com/arena-video/arena/models/leaderboard"
	"github.com/arena-video/arena/models/synthetic"
)

// BenchmarkModelPage measures the server time of a model's page and its
// JSON with 100 models and 60 days of daily history (216,000 synthetic votes
// spread over 60 days, rebuilt daily: 61 boards), through the real router:
// served as kept ("cached"), and built afresh as after every new board
// ("built"). Run it with:
//
//	go test ./handlers/ -run '^$' -bench ModelPage
func BenchmarkModelPage(b *testing.B) {
	ctx := context.Background()
	store, blobs := openBenchStore(b, models.Options{})
	importSynthetic(b, store, synthetic.Options{Models: 100, Votes: 216_000, Seed: 1, Span: 60 * 24 * 3600})
	boards := leaderboard.New(store, leaderboard.Options{Rounds: 20})
	st, err := boards.RebuildHistory(ctx, history.Daily)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := boards.Recompute(ctx, true); err != nil {
		b.Fatal(err)
	}
	srv, err := New(Config{Store: store, Boards: boards, Blobs: blobs, SessionKeys: testKeys(), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	for _, path := range []string{"/models/" + synthetic.ModelSlug(50), "/api/v1/models/" + synthetic.ModelSlug(50)} {
		get := func() *httptest.ResponseRecorder {
			w := httptest.NewRecorder()
			srv.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
			if w.Code != http.StatusOK {
				b.Fatalf("%s: status %d: %s", path, w.Code, w.Body)
			}
			return w
		}
		get()
		name := path[:len(path)-len(synthetic.ModelSlug(50))-1]
		b.Run(name+"/cached", func(b *testing.B) {
			b.ReportMetric(float64(st.Stored), "boards")
			for b.Loop() {
				get()
			}
		})
		b.Run(name+"/built", func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				srv.modelPages = newModelPageCache()
				b.StartTimer()
				get()
			}
		})
	}
}
