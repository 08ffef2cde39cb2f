package handlers

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/arena-video/arena/models"
	"github.com/arena-video/arena/models/testclock"
)

func TestLimits_LongURLsAndBodies(t *testing.T) {
	app := newTestApp(t, "", true)
	v := app.newVoter()
	m := v.matchup()
	long := strings.Repeat("a", MaxURLBytes)
	for _, tc := range []struct {
		name string
		r    response
		want int
	}{
		{"long path", v.get("/media/" + long), http.StatusRequestURITooLong},
		{"long query", v.get("/?q=" + long), http.StatusRequestURITooLong},
		{"long API path", v.postJSON("/api/v1/matchups/"+long+"/vote", `{"choice":"a"}`), http.StatusRequestURITooLong},
		{"URL just under the limit", v.get("/static/css/arena.css?v=" + strings.Repeat("a", MaxURLBytes-40)), http.StatusOK},
		{"form vote body over 16 KB", v.do(http.MethodPost, "/matchups/"+m.ID+"/vote", "application/x-www-form-urlencoded",
			strings.NewReader("choice=a&pad="+strings.Repeat("x", 20<<10))), http.StatusRequestEntityTooLarge},
	} {
		if tc.r.status != tc.want {
			t.Errorf("%s: status %d, want %d", tc.name, tc.r.status, tc.want)
		}
	}
	// The oversized form vote stored nothing: the matchup still takes a vote.
	if r := v.do(http.MethodPost, "/matchups/"+m.ID+"/vote", "application/x-www-form-urlencoded", strings.NewReader(url.Values{"choice": {"b"}}.Encode())); r.status != http.StatusOK {
		t.Fatalf("vote after the refused one = %d", r.status)
	}
}

// TestAllowSlowBody_LiftsTheServerReadTimeout sends a body slower than the
// server's ReadTimeout: refused on a normal route, accepted where the route
// allows slow bodies. The timeout leaves a busy machine a second to reach
// the route's middleware, and the pause is three times as long, so the
// server meets the rest of the body late even if it began reading late.
func TestAllowSlowBody_LiftsTheServerReadTimeout(t *testing.T) {
	e := echo.New()
	read := func(c echo.Context) error {
		b, err := io.ReadAll(c.Request().Body)
		if err != nil {
			return err
		}
		return c.String(http.StatusOK, string(b))
	}
	e.POST("/normal", read)
	e.POST("/upload", read, allowSlowBody(time.Minute))
	ts := httptest.NewUnstartedServer(e)
	ts.Config.ReadTimeout = time.Second
	ts.Start()
	defer ts.Close()

	slowPost := func(path string) (int, error) {
		conn, err := net.Dial("tcp", ts.Listener.Addr().String())
		if err != nil {
			return 0, err
		}
		defer conn.Close()
		io.WriteString(conn, "POST "+path+" HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nab")
		time.Sleep(3 * ts.Config.ReadTimeout)
		io.WriteString(conn, "cd")
		res, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			return 0, err
		}
		res.Body.Close()
		return res.StatusCode, nil
	}
	// Both at once, so the test waits out the pause once.
	accepted := make(chan bool, 1)
	go func() {
		code, err := slowPost("/normal")
		accepted <- err == nil && code == http.StatusOK
	}()
	if code, err := slowPost("/upload"); err != nil || code != http.StatusOK {
		t.Errorf("slow upload: %d %v, want 200", code, err)
	}
	if <-accepted {
		t.Error("a slow body on a normal route was accepted: the read timeout does not apply")
	}
}

func withMinWatch(d time.Duration) appOption { return func(o *models.Options) { o.MinWatch = d } }

// TestVote_TooFastThroughHTTP: an instant vote gets 200 but no reveal (a
// throwaway cookie must not map clips to models by voting blind) and is
// stored invalid.
func TestVote_TooFastThroughHTTP(t *testing.T) {
	clock := testclock.New(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	app := newTestApp(t, "", true, withMinWatch(time.Second), withClock(clock.Now))
	v := app.newVoter()
	fast := v.matchup()
	if r := v.vote(fast.ID, "a"); r.status != http.StatusOK {
		t.Fatalf("fast vote = %d", r.status)
	}
	slow := v.matchup()
	clock.Advance(time.Second)
	if r := v.vote(slow.ID, "a"); r.status != http.StatusOK {
		t.Fatalf("slow vote = %d", r.status)
	}
	counts, err := app.store.InvalidVoteCounts(context.Background())
	if err != nil || counts[models.ReasonTooFast] != 1 || len(counts) != 1 {
		t.Fatalf("invalid votes %v %v, want one too_fast", counts, err)
	}
}
