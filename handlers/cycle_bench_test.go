package handlers

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/arena-video/arena/models"
	"github.com/arena-video/arena/models/media"
	"github.com/arena-video/arena/models/testdb"
	"github.com/arena-video/arena/static"
)

// BenchmarkVoteCycleHTTP runs the voting cycle as arenaload sends it,
// POST /api/v1/matchups and POST /api/v1/matchups/{id}/vote, through the
// real router and middleware on the demo catalog, 64 voters at once as on a
// loaded server, without the network: what it adds to
// models.BenchmarkVoteCycleConcurrent is the handlers' own cost. Besides
// the time per cycle it reports the process's CPU time per cycle
// (cpu-us/op) and allocations per cycle. Run it with
//
//	go test ./handlers/ -run '^$' -bench VoteCycleHTTP -benchtime 20000x
func BenchmarkVoteCycleHTTP(b *testing.B) {
	ctx := context.Background()
	dir := b.TempDir()
	store, err := models.Open(ctx, models.Options{DSN: testdb.DSN(b, dir), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { store.Close() })
	blobs, err := media.NewStore(dir, media.StoreOptions{DisableFFmpeg: true})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := static.SeedDemo(ctx, store, blobs); err != nil {
		b.Fatal(err)
	}
	// The request log is kept (and thrown away) as arena serve keeps it.
	srv, err := New(Config{Store: store, Blobs: blobs, SessionKeys: testKeys(), Logger: slog.New(slog.DiscardHandler),
		RequestLogger: slog.New(slog.NewJSONHandler(discard{}, nil))})
	if err != nil {
		b.Fatal(err)
	}
	post := func(path, body, cookie string, want int) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if cookie != "" {
			req.Header.Set("Cookie", cookie)
		}
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		if w.Code != want {
			b.Fatalf("POST %s: status %d, want %d: %.300s", path, w.Code, want, w.Body)
		}
		return w
	}
	choices := []string{`{"choice":"a"}`, `{"choice":"b"}`, `{"choice":"tie"}`, `{"choice":"both_bad"}`}
	var cpu0 syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &cpu0)
	b.ReportAllocs()
	b.SetParallelism(32) // 64 goroutines on two cores, like arenaload's default
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		cookie := ""
		for i := 0; pb.Next(); i++ {
			w := post("/api/v1/matchups", "{}", cookie, http.StatusCreated)
			if cookie == "" {
				c := w.Result().Cookies()[0]
				cookie = c.Name + "=" + c.Value
			}
			id, _, _ := strings.Cut(strings.TrimPrefix(w.Body.String(), `{"id":"`), `"`)
			post("/api/v1/matchups/"+id+"/vote", choices[i%len(choices)], cookie, http.StatusOK)
		}
	})
	b.StopTimer()
	var cpu1 syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &cpu1)
	used := time.Duration(cpu1.Utime.Nano() + cpu1.Stime.Nano() - cpu0.Utime.Nano() - cpu0.Stime.Nano())
	b.ReportMetric(float64(used.Microseconds())/float64(b.N), "cpu-us/op")
}

// discard is io.Discard as a distinct type, so slog still formats each line.
type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
