package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBenchBattles_WritesVotesThatImport(t *testing.T) {
	code, out, stderr := runArenaIn(t, "", "bench", "battles", "--models", "5", "--votes", "300", "--seed", "7")
	if code != 0 {
		t.Fatalf("bench battles = %d: %s", code, stderr)
	}
	if n := strings.Count(out, "\n"); n != 300 {
		t.Fatalf("%d lines, want 300", n)
	}
	if _, again, _ := runArenaIn(t, "", "bench", "battles", "--models", "5", "--votes", "300", "--seed", "7"); again != out {
		t.Fatal("the same flags wrote a different file")
	}
	dir := t.TempDir()
	votes := filepath.Join(dir, "votes.jsonl")
	if err := os.WriteFile(votes, []byte(out), 0o600); err != nil {
		t.Fatal(err)
	}
	code, got, stderr := runArenaIn(t, "", "import", "votes", "--data-dir", dir, votes)
	if code != 0 || !strings.Contains(got, "imported 300 votes") || !strings.Contains(got, "created 5 models") {
		t.Fatalf("import = %d %q %s", code, got, stderr)
	}
	for _, bad := range [][]string{{"--models", "1"}, {"--votes", "-1"}, {"extra"}} {
		if code, _, _ := runArenaIn(t, "", append([]string{"bench", "battles"}, bad...)...); code == 0 {
			t.Errorf("bench battles %v was accepted", bad)
		}
	}
}
