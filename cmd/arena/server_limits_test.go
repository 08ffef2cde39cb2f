package main

import (
	"bufio"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

// TestServe_LimitsStopSlowAndHugeRequests runs the real server loop with
// short timeouts: a client trickling its headers is cut off, and headers
// over the bound get 431.
func TestServe_LimitsStopSlowAndHugeRequests(t *testing.T) {
	for name, d := range map[string]time.Duration{
		"ReadHeaderTimeout": defaultServerLimits.ReadHeaderTimeout,
		"ReadTimeout":       defaultServerLimits.ReadTimeout,
		"WriteTimeout":      defaultServerLimits.WriteTimeout,
		"IdleTimeout":       defaultServerLimits.IdleTimeout,
	} {
		if d <= 0 {
			t.Errorf("default %s is off", name)
		}
	}
	if defaultServerLimits.MaxHeaderBytes <= 0 || defaultServerLimits.MaxHeaderBytes > 1<<20 {
		t.Errorf("default MaxHeaderBytes %d", defaultServerLimits.MaxHeaderBytes)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	lim := serverLimits{ReadHeaderTimeout: 200 * time.Millisecond, ReadTimeout: time.Second, WriteTimeout: time.Second, IdleTimeout: time.Second, MaxHeaderBytes: 4 << 10}
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })
	go func() { done <- serveUntilDone(ctx, slog.New(slog.DiscardHandler), ln, ok, lim) }()
	defer func() { cancel(); <-done }()

	// Slow headers: the server hangs up instead of waiting.
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	io.WriteString(conn, "GET / HTTP/1.1\r\nHost: x\r\n")
	// The server hangs up (EOF) once its timeout has passed. The client's
	// own deadline only ends the wait for a server that never does; it is
	// long, as a busy machine may run the server late.
	conn.SetReadDeadline(time.Now().Add(time.Minute))
	if _, err := conn.Read(make([]byte, 1)); err == nil || errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("a client trickling headers was kept (%v)", err)
	}

	// Huge headers: 431.
	conn2, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn2.Close()
	io.WriteString(conn2, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: "+strings.Repeat("a", 16<<10)+"\r\n\r\n")
	res, err := http.ReadResponse(bufio.NewReader(conn2), nil)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
		t.Fatalf("huge headers = %d, want 431", res.StatusCode)
	}
}
