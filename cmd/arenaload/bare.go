package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// Canned bodies shaped like Arena's, so the bare ceiling moves the same bytes.
const (
	bareMatchup = `{"id":"AAAAAAAAAAAAAAAAAAAAAA","pool":"t2v","prompt":{"text":"A red fox trots through fresh snow at dawn","category":"nature","modality":"t2v"},"a":{"video_url":"/media/BBBBBBBBBBBBBBBBBBBBBB","duration_ms":4000},"b":{"video_url":"/media/CCCCCCCCCCCCCCCCCCCCCC","duration_ms":4000},"expires_at":"2026-01-01T00:00:00Z"}`
	bareVote    = `{"choice":"a","a":{"model":{"slug":"model-one","name":"Model One","organization":"Org"}},"b":{"model":{"slug":"model-two","name":"Model Two","organization":"Org"}}}`
)

// bareHandler answers the two voting routes like Arena does, minus sessions,
// validation and the database: what is left is the cost of HTTP and Echo.
func bareHandler() http.Handler {
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.POST("/api/v1/matchups", func(c echo.Context) error {
		_, _ = io.Copy(io.Discard, c.Request().Body)
		return c.Blob(http.StatusCreated, echo.MIMEApplicationJSON, []byte(bareMatchup))
	})
	e.POST("/api/v1/matchups/:id/vote", func(c echo.Context) error {
		_, _ = io.Copy(io.Discard, c.Request().Body)
		return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, []byte(bareVote))
	})
	// Like Arena's, so a script can wait for either server the same way.
	e.GET("/healthz", func(c echo.Context) error { return c.String(http.StatusOK, "ok") })
	return e
}

// serveBare serves bareHandler on addr until ctx ends.
func serveBare(ctx context.Context, addr string, log io.Writer) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: bareHandler(), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = hs.Shutdown(sctx)
	}()
	fmt.Fprintf(log, "bare handler listening on http://%s\n", ln.Addr())
	if err := hs.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
