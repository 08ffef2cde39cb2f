package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/arena-video/arena/handlers"
)

func TestParseRateLimit(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want handlers.RateLimit
		ok   bool
	}{
		{"60/min", handlers.RateLimit{Events: 60, Per: time.Minute}, true},
		{"10/s", handlers.RateLimit{Events: 10, Per: time.Second}, true},
		{"1000/h", handlers.RateLimit{Events: 1000, Per: time.Hour}, true},
		{"5/30s", handlers.RateLimit{Events: 5, Per: 30 * time.Second}, true},
		{"off", handlers.RateLimit{}, true},
		{"", handlers.RateLimit{}, false},
		{"60", handlers.RateLimit{}, false},
		{"0/min", handlers.RateLimit{}, false},
		{"-5/min", handlers.RateLimit{}, false},
		{"60/fortnight", handlers.RateLimit{}, false},
		{"60/-1s", handlers.RateLimit{}, false},
	} {
		got, err := parseRateLimit(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("parseRateLimit(%q) = %+v, %v; want %+v ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

func TestParseCIDRs(t *testing.T) {
	nets, err := parseCIDRs("10.0.0.0/8, 192.168.1.7 ,2001:db8::/32,")
	if err != nil || len(nets) != 3 {
		t.Fatalf("%v %v", nets, err)
	}
	if nets[1].String() != "192.168.1.7/32" {
		t.Errorf("bare address became %s", nets[1])
	}
	for _, bad := range []string{"10.0.0.0/33", "proxy.example", "10.0.0.1/x"} {
		if _, err := parseCIDRs(bad); err == nil {
			t.Errorf("parseCIDRs(%q) accepted", bad)
		}
	}
}

func TestServe_RefusesBadLimits(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"ARENA_RATE_LIMIT": "lots"}, "rate limit"},
		{map[string]string{"ARENA_TRUSTED_PROXIES": "everyone"}, "trusted proxy"},
		{map[string]string{"ARENA_MIN_WATCH_MS": "-1"}, "ARENA_MIN_WATCH_MS"},
		{map[string]string{"ARENA_MIN_WATCH_MS": "3s"}, "ARENA_MIN_WATCH_MS"},
	} {
		code, _, stderr := runArena(t, context.Background(), tc.env, "serve", "--data-dir", dir, "--addr", "127.0.0.1:0")
		if code == 0 || !strings.Contains(stderr, tc.want) {
			t.Errorf("env %v: exit %d %q, want an error naming %q", tc.env, code, stderr, tc.want)
		}
	}
}

func TestHoldDatabase_SkipsDatabaseURLs(t *testing.T) {
	unlock, err := holdDatabase("postgres://arena@127.0.0.1:5432/arena")
	if err != nil {
		t.Fatalf("a PostgreSQL URL is not a file to lock: %v", err)
	}
	unlock()
	if !isURL("postgresql://x/y") || isURL(t.TempDir()+"/arena.db") {
		t.Fatal("isURL confuses URLs and paths")
	}
}
