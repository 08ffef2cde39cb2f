package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/arena-video/arena/handlers"
	"github.com/arena-video/arena/models"
	"github.com/arena-video/arena/models/leaderboard"
	"github.com/arena-video/arena/models/media"
)

// battleFile writes votes in the public battle format: four models of
// different strength, a tie now and then, over two categories.
func battleFile(t *testing.T, bad string) string {
	t.Helper()
	var b strings.Builder
	slugs := []string{"north", "east", "south", "west"}
	k := 0
	for i := range slugs {
		for j := range slugs {
			if i == j {
				continue
			}
			for n := 0; n < 12; n++ {
				w := "model_a"
				if n%(i+2) == 0 {
					w = "model_b"
				}
				if n%5 == 0 {
					w = "tie"
				}
				fmt.Fprintf(&b, `{"model_a":%q,"model_b":%q,"winner":%q,"category":%q,"tstamp":%d}`+"\n", slugs[i], slugs[j], w, []string{"city", "sea"}[k%2], 1700000000+k)
				k++
				if k == 50 && bad != "" {
					b.WriteString(bad + "\n")
				}
			}
		}
	}
	p := filepath.Join(t.TempDir(), "battles.jsonl")
	if err := os.WriteFile(p, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestImportVotesCommand_GoodAndBadFiles(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	code, _, stderr := runArena(t, ctx, nil, "import", "votes", "--data-dir", dir, battleFile(t, `{"model_a":"north"}`))
	if code == 0 || !strings.Contains(stderr, "line 51") || !strings.Contains(stderr, "nothing was imported") {
		t.Fatalf("bad file: exit %d, stderr %q: want a refusal naming line 51", code, stderr)
	}
	code, out, _ := runArena(t, ctx, nil, "export", "votes", "--data-dir", dir)
	if code != 0 || out != "" {
		t.Fatalf("after a refused import, export = %d %q: want nothing", code, out)
	}
	code, out, stderr = runArena(t, ctx, nil, "import", "votes", "--data-dir", dir, "--skip-bad", battleFile(t, `{"model_a":"north"}`))
	if code != 0 || !strings.Contains(out, "imported 144 votes") || !strings.Contains(out, "skipped 1 bad") || !strings.Contains(out, "line 51") {
		t.Fatalf("--skip-bad: exit %d, out %q, stderr %q", code, out, stderr)
	}
	if code, _, stderr := runArena(t, ctx, nil, "import", "votes", "--data-dir", dir); code == 0 || !strings.Contains(stderr, "exactly one file") {
		t.Fatalf("no file: exit %d %q", code, stderr)
	}
}

// TestLeaderboard_CLIAPIAndCSVAgree imports votes with the CLI, then checks
// that `arena leaderboard --json`, GET /api/v1/leaderboard (after `arena
// recompute`) and the CSV give the same rows, and that `arena export votes`
// matches GET /api/v1/votes.jsonl.
func TestLeaderboard_CLIAPIAndCSVAgree(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	env := map[string]string{"ARENA_DATA_DIR": dir, "ARENA_BOOTSTRAP_ROUNDS": "200"}
	if code, _, stderr := runArena(t, ctx, env, "import", "votes", battleFile(t, "")); code != 0 {
		t.Fatalf("import: %s", stderr)
	}
	if code, _, stderr := runArena(t, ctx, env, "recompute"); code != 0 {
		t.Fatalf("recompute: %s", stderr)
	}
	code, cliJSON, stderr := runArena(t, ctx, env, "leaderboard", "--json", "--pool", "t2v", "--category", "sea")
	if code != 0 {
		t.Fatalf("leaderboard: %s", stderr)
	}
	_, cliExport, _ := runArena(t, ctx, env, "export", "votes")

	store, err := models.Open(ctx, models.Options{DSN: filepath.Join(dir, "arena.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	blobs, err := media.NewStore(dir, media.StoreOptions{DisableFFmpeg: true})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := handlers.New(handlers.Config{Store: store, Boards: leaderboard.New(store, leaderboard.Options{Rounds: 200}), Blobs: blobs, SessionKeys: [][]byte{bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 32)}, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	get := func(path string) string {
		res, err := http.Get(ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s = %d %s", path, res.StatusCode, b)
		}
		return string(b)
	}
	apiJSON := get("/api/v1/leaderboard?pool=t2v&category=sea")
	var cli, api map[string]any
	if err := json.Unmarshal([]byte(cliJSON), &cli); err != nil {
		t.Fatalf("CLI JSON %q: %v", cliJSON, err)
	}
	if err := json.Unmarshal([]byte(apiJSON), &api); err != nil {
		t.Fatal(err)
	}
	delete(cli, "computed_at") // the CLI computes now; the API shows the snapshot's time
	delete(api, "computed_at")
	delete(api, "snapshot_id") // the CLI's board is not stored, so it has no id
	c, _ := json.Marshal(cli)
	a, _ := json.Marshal(api)
	if string(c) != string(a) || len(cli["models"].([]any)) != 4 {
		t.Fatalf("CLI and API disagree:\nCLI %s\nAPI %s", c, a)
	}
	recs, err := csv.NewReader(strings.NewReader(get("/api/v1/leaderboard.csv?pool=t2v&category=sea"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range api["models"].([]any) {
		row := m.(map[string]any)
		slug := row["model"].(map[string]any)["slug"]
		if recs[i+1][3] != slug || recs[i+1][9] != fmt.Sprint(row["score"]) || recs[i+1][0] != fmt.Sprint(row["rank"]) {
			t.Errorf("CSV row %v disagrees with %v", recs[i+1], row)
		}
	}
	if apiExport := get("/api/v1/votes.jsonl"); apiExport != cliExport || strings.Count(apiExport, "\n") != 144 {
		t.Fatalf("export votes and votes.jsonl differ or miss votes (%d lines)", strings.Count(apiExport, "\n"))
	}
	// Imported votes without clip features count on the raw board only: the
	// style-controlled board says it used none of them.
	code, cliStyle, stderr := runArena(t, ctx, env, "leaderboard", "--json", "--pool", "t2v", "--control", "style")
	if code != 0 {
		t.Fatalf("leaderboard --control style: %s", stderr)
	}
	var style struct {
		Votes        int64 `json:"votes"`
		Models       []any `json:"models"`
		StyleControl *struct {
			Votes int64 `json:"votes"`
		} `json:"style_control"`
	}
	if err := json.Unmarshal([]byte(cliStyle), &style); err != nil {
		t.Fatal(err)
	}
	if style.StyleControl == nil || style.StyleControl.Votes != 0 || len(style.Models) != 0 || style.Votes != 144 {
		t.Errorf("style board of imported votes: %s", cliStyle)
	}
	if apiStyle := get("/api/v1/leaderboard?pool=t2v&control=style"); !strings.Contains(apiStyle, `"style_control":{"votes":0`) {
		t.Errorf("API style board of imported votes: %s", apiStyle)
	}
	if code, _, stderr := runArena(t, ctx, env, "leaderboard", "--control", "loud"); code == 0 || !strings.Contains(stderr, "--control") {
		t.Errorf("--control loud: exit %d %q", code, stderr)
	}
}

func TestServe_RankingConfiguration(t *testing.T) {
	_, out, _ := runArena(t, context.Background(), nil, "serve", "--help")
	for _, want := range []string{"ARENA_BOOTSTRAP_ROUNDS", "ARENA_ANCHOR_MODEL", "ARENA_ANCHOR_SCORE", "ARENA_RECOMPUTE_EVERY", "ARENA_MIN_VOTES", "ARENA_ME_MIN_VOTES"} {
		if !strings.Contains(out, want) {
			t.Errorf("serve --help lacks %s", want)
		}
	}
	dir := t.TempDir()
	for _, tc := range []struct {
		env  map[string]string
		args []string
		want string
	}{
		{map[string]string{"ARENA_BOOTSTRAP_ROUNDS": "many"}, nil, "ARENA_BOOTSTRAP_ROUNDS"},
		{map[string]string{"ARENA_ANCHOR_SCORE": "high"}, nil, "ARENA_ANCHOR_SCORE"},
		{map[string]string{"ARENA_RECOMPUTE_EVERY": "often"}, nil, "ARENA_RECOMPUTE_EVERY"},
		{map[string]string{"ARENA_MIN_VOTES": "-3"}, nil, "ARENA_MIN_VOTES"},
		{nil, []string{"--bootstrap-rounds", "0"}, "bootstrap-rounds"},
	} {
		code, _, stderr := runArena(t, context.Background(), tc.env, append([]string{"serve", "--data-dir", dir, "--addr", "127.0.0.1:0"}, tc.args...)...)
		if code == 0 || !strings.Contains(stderr, tc.want) {
			t.Errorf("env %v args %v: exit %d, stderr %q; want a refusal naming %s", tc.env, tc.args, code, stderr, tc.want)
		}
	}
}

func TestRecomputeHistory_ClearMessages(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	code, _, stderr := runArena(t, ctx, nil, "recompute", "--history", "daily", "--data-dir", dir)
	if code == 0 || !strings.Contains(stderr, "no valid votes") || !strings.Contains(stderr, "arena import votes") {
		t.Errorf("--history on an empty database: exit %d, %q", code, stderr)
	}
	code, _, stderr = runArena(t, ctx, nil, "recompute", "--history", "weekly", "--data-dir", dir)
	if code == 0 || !strings.Contains(stderr, "daily or hourly") {
		t.Errorf("--history weekly: exit %d, %q", code, stderr)
	}
	file := filepath.Join(t.TempDir(), "votes.jsonl")
	lines := `{"model_a":"north","model_b":"south","winner":"model_a","tstamp":1780000000}
{"model_a":"south","model_b":"north","winner":"model_a","tstamp":1780090000}
{"model_a":"north","model_b":"south","winner":"tie","tstamp":1780180000}
`
	if err := os.WriteFile(file, []byte(lines), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runArena(t, ctx, nil, "import", "votes", "--data-dir", dir, file); code != 0 {
		t.Fatalf("import: %s", stderr)
	}
	code, out, stderr := runArena(t, ctx, nil, "recompute", "--history", "daily", "--bootstrap-rounds", "20", "--data-dir", dir)
	if code != 0 || !strings.Contains(out, "history: 3 daily boards stored") {
		t.Errorf("--history daily: exit %d, %q %q", code, out, stderr)
	}
}
