package main

import (
	"os"
	"path/filepath"
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
