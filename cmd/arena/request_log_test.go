package main

import (
	"net/http"
	"slices"
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
			if got := rec.writes; !slices.Equal(got, tc.flushed) {
				t.Errorf("before Close: writes %q, want %q", got, tc.flushed)
			}
			rec.writes = nil
			if err := b.Close(); err != nil {
				t.Fatal(err)
			}
			if got := rec.writes; !slices.Equal(got, tc.closed) {
				t.Errorf("Close wrote %q, want %q", got, tc.closed)
			}
			rec.writes = nil
			if _, err := b.Write([]byte("late\n")); err != nil {
				t.Fatal(err)
			}
			if got := rec.writes; !slices.Equal(got, []string{"late\n"}) {
				t.Errorf("after Close: writes %q, want the line written at once", got)
			}
		})
	}
}

// TestServe_RequestLinesWrittenAtShutdown: the request log is buffered, and
// the lines of requests served before SIGTERM are all in the log once the
// server has exited.
func TestServe_RequestLinesWrittenAtShutdown(t *testing.T) {
	srv := startServe(t, "--data-dir", t.TempDir())
	const requests = 5
	for range requests {
		res, err := http.Get(srv.addr + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
	}
	srv.stop(t)
	log := srv.stderr.String()
	if n := strings.Count(log, `"msg":"request","method":"GET","route":"/healthz","status":200`); n != requests {
		t.Errorf("%d request lines for /healthz, want %d:\n%s", n, requests, log)
	}
	if !strings.Contains(log, `"msg":"runtime","GOGC":"400"`) {
		t.Errorf("the runtime's settings are not logged:\n%s", log)
	}
}
