package main

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"
)

// recorder keeps each Write it gets, to see how lines were grouped.
type recorder struct{ writes []string }

func (r *recorder) Write(p []byte) (int, error) {
	r.writes = append(r.writes, string(p))
	return len(p), nil
}

func TestLineBuffer_WritesWholeLinesTogether(t *testing.T) {
	for _, tc := range []struct {
		name  string
		lines []string
		// flushed is what reached the file before Close, one entry a write;
		// closed what Close wrote.
		flushed []string
		closed  []string
	}{
		{"held until close", []string{"a\n", "b\n"}, nil, []string{"a\nb\n"}},
		{"exactly full stays held", []string{"abcd\n", "efg\n"}, nil, []string{"abcd\nefg\n"}},
		{"a line that does not fit writes the rest first", []string{"abcd\n", "efgh\n"}, []string{"abcd\n"}, []string{"efgh\n"}},
		{"a line larger than the buffer goes straight out", []string{"a\n", "0123456789\n", "b\n"}, []string{"a\n", "0123456789\n"}, []string{"b\n"}},
		{"nothing logged writes nothing", nil, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recorder{}
			b := newLineBuffer(rec, time.Hour, 9)
			for _, l := range tc.lines {
				if n, err := b.Write([]byte(l)); n != len(l) || err != nil {
					t.Fatalf("Write(%q) = %d, %v", l, n, err)
				}
			}
			if got := rec.writes; !equal(got, tc.flushed) {
				t.Errorf("before Close: writes %q, want %q", got, tc.flushed)
			}
			rec.writes = nil
			if err := b.Close(); err != nil {
				t.Fatal(err)
			}
			if got := rec.writes; !equal(got, tc.closed) {
				t.Errorf("Close wrote %q, want %q", got, tc.closed)
			}
			rec.writes = nil
			if _, err := b.Write([]byte("late\n")); err != nil {
				t.Fatal(err)
			}
			if got := rec.writes; !equal(got, []string{"late\n"}) {
				t.Errorf("after Close: writes %q, want the line written at once", got)
			}
		})
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestServe_RequestLinesWrittenAtShutdown: the request log is buffered, and
// the lines of requests served before SIGTERM are all in the log once the
// server has exited.
func TestServe_RequestLinesWrittenAtShutdown(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	stderr := &lockedBuffer{}
	go func() {
		done <- run(ctx, []string{"serve", "--data-dir", dir, "--addr", "127.0.0.1:0"}, func(string) string { return "" }, nil, &bytes.Buffer{}, stderr)
	}()
	var addr string
	for addr == "" {
		select {
		case code := <-done:
			t.Fatalf("exited early with %d: %s", code, stderr.String())
		case <-time.After(10 * time.Millisecond):
		}
		if _, rest, ok := strings.Cut(stderr.String(), `"msg":"listening","addr":"`); ok {
			addr, _, _ = strings.Cut(rest, `"`)
		}
	}
	const requests = 5
	for range requests {
		res, err := http.Get(addr + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
	}
	cancel()
	if code := <-done; code != 0 {
		t.Fatalf("exit %d after shutdown: %s", code, stderr.String())
	}
	log := stderr.String()
	if n := strings.Count(log, `"msg":"request","method":"GET","route":"/healthz","status":200`); n != requests {
		t.Errorf("%d request lines for /healthz, want %d:\n%s", n, requests, log)
	}
	if !strings.Contains(log, `"msg":"runtime","GOGC":"400"`) {
		t.Errorf("the runtime's settings are not logged:\n%s", log)
	}
}
