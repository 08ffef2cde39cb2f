package main

import (
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"testing"
)

func TestMemoryLimit_FollowsTheContainer(t *testing.T) {
	for _, tc := range []struct {
		name   string
		cgroup int64
		want   int64
	}{
		{"no container limit", 0, serveMemoryLimit},
		{"a large container", 8 << 30, serveMemoryLimit},
		{"a small container", 512 << 20, 384 << 20},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := memoryLimit(tc.cgroup); got != tc.want {
				t.Errorf("memoryLimit(%d) = %d, want %d", tc.cgroup, got, tc.want)
			}
		})
	}
}

func TestReadCgroupLimit(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name    string
		content string // "" leaves the file missing
		want    int64
	}{
		{"missing", "", 0},
		{"no limit", "max\n", 0},
		{"a limit", "536870912\n", 536870912},
		{"garbage", "lots\n", 0},
		{"zero", "0\n", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.name)
			if tc.content != "" {
				if err := os.WriteFile(path, []byte(tc.content), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			if got := readCgroupLimit(path); got != tc.want {
				t.Errorf("readCgroupLimit(%q) = %d, want %d", tc.content, got, tc.want)
			}
		})
	}
}

// TestTuneRuntime_ProcessorsForSQLite: on SQLite the server runs
// sqliteExtraProcs more processors than the runtime's default, the same
// number however often it starts in one process; GOMAXPROCS set by the
// operator, or PostgreSQL, leaves the default alone.
func TestTuneRuntime_ProcessorsForSQLite(t *testing.T) {
	prevProcs, prevGC, prevLimit := runtime.GOMAXPROCS(0), debug.SetGCPercent(100), debug.SetMemoryLimit(-1)
	t.Cleanup(func() {
		runtime.GOMAXPROCS(prevProcs)
		debug.SetGCPercent(prevGC)
		debug.SetMemoryLimit(prevLimit)
	})
	runtime.SetDefaultGOMAXPROCS()
	def := runtime.GOMAXPROCS(0)
	log := slog.New(slog.DiscardHandler)
	for _, tc := range []struct {
		name   string
		env    map[string]string
		sqlite bool
		again  bool // start from what the case before left, not the default
		want   int
	}{
		{"sqlite", nil, true, false, def + sqliteExtraProcs},
		{"sqlite started again", nil, true, true, def + sqliteExtraProcs},
		{"postgres", nil, false, false, def},
		{"set by the operator", map[string]string{"GOMAXPROCS": "1"}, true, false, def},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !tc.again {
				runtime.SetDefaultGOMAXPROCS()
			}
			tuneRuntime(env{getenv: func(k string) string { return tc.env[k] }}, log, tc.sqlite)
			if got := runtime.GOMAXPROCS(0); got != tc.want {
				t.Errorf("GOMAXPROCS = %d, want %d", got, tc.want)
			}
		})
	}
}
