package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Changes made with the arena command reach the audit log as the same
// entries the web writes, under the command line's name.
func TestCLI_ChangesAreAudited(t *testing.T) {
	dir := t.TempDir()
	votes := filepath.Join(dir, "votes.jsonl")
	if err := os.WriteFile(votes, []byte(`{"model_a":"a","model_b":"b","winner":"model_a"}`+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	src := t.TempDir()
	man := filepath.Join(src, "manifest.csv")
	if err := os.WriteFile(filepath.Join(src, "kite.mp4"), clipVariant(t, 1), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(man, []byte("model,prompt,category,modality,file,source_image\nGamma,A kite,nature,t2v,kite.mp4,\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"admin", "create", "--data-dir", dir, "--username", "root", "--password-stdin"},
		{"admin", "token", "--data-dir", dir, "--username", "root"},
		{"admin", "token", "--data-dir", dir, "--username", "root", "--revoke"},
		{"import", "votes", "--data-dir", dir, votes},
		{"import", "clips", "--no-wait", "--data-dir", dir, man},
		{"recompute", "--data-dir", dir, "--bootstrap-rounds", "10"},
	} {
		if code, out, errOut := runArenaIn(t, "long enough password\n", args...); code != 0 {
			t.Fatalf("%v = %d: %s %s", args, code, out, errOut)
		}
	}
	es, err := openTestStore(t, dir).ListAudit(context.Background(), 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range es {
		got = append([]string{fmt.Sprintf("%s %s %s", e.Actor, e.Action, e.Target)}, got...) // oldest first
	}
	want := []string{"cli admin.create admin:root", "cli admin.token.create admin:root", "cli admin.token.revoke admin:root", "cli votes.import voter:import:",
		"cli model.create model:gamma", "cli prompt.create prompt:", "cli clip.upload clip:", "cli recompute leaderboard"}
	if len(got) != len(want) {
		t.Fatalf("audit log %q, want %q", got, want)
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("entry %d is %q, want %q", i, got[i], want[i])
		}
	}
}
