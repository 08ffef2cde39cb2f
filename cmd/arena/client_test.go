package main

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3" // to read databases directly, as an auditor would

	"github.com/arena-video/arena/models"
	"github.com/arena-video/arena/models/media"
	"github.com/arena-video/arena/static"
)

// seedDataDir puts the demo data into dir's database without ffmpeg:
// the demo clips are stripped already, and remuxing forty of them takes
// most of a minute on a busy machine.
func seedDataDir(t *testing.T, dir string) {
	t.Helper()
	ctx := context.Background()
	st, err := models.Open(ctx, models.Options{DSN: filepath.Join(dir, "arena.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	blobs, err := media.NewStore(dir, media.StoreOptions{DisableFFmpeg: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := static.SeedDemo(ctx, st, blobs); err != nil {
		t.Fatal(err)
	}
}

// startInProcess runs "arena serve" in this process on dir (seeding the
// demo data first when the dir has no database) and returns its base URL;
// the server stops when the test ends.
func startInProcess(t *testing.T, dir string, envs map[string]string) string {
	t.Helper()
	if _, err := os.Stat(filepath.Join(dir, "arena.db")); err != nil {
		seedDataDir(t, dir)
	}
	ctx, cancel := context.WithCancel(context.Background())
	stderr := &lockedBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--data-dir", dir, "--addr", "127.0.0.1:0"}, func(k string) string { return envs[k] }, nil, io.Discard, stderr)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	// The wait ends as soon as the server listens; the bound is for a
	// server that never does, and leaves a busy machine plenty of time.
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		if addr := listenAddr(stderr.String()); addr != "" {
			return addr
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited with %d: %s", code, stderr.String())
		case <-time.After(10 * time.Millisecond):
		}
	}
	t.Fatalf("serve did not start: %s", stderr.String())
	return ""
}

// listenAddr finds the address in the server's "listening" log line.
func listenAddr(log string) string {
	sc := bufio.NewScanner(strings.NewReader(log))
	for sc.Scan() {
		var line struct{ Msg, Addr string }
		if json.Unmarshal(sc.Bytes(), &line) == nil && line.Msg == "listening" {
			return line.Addr
		}
	}
	return ""
}

// httpVoter is a voter with its own cookie jar speaking the JSON API.
type httpVoter struct {
	base   string
	client *http.Client
}

func newHTTPVoter(base string) *httpVoter {
	jar, _ := cookiejar.New(nil)
	return &httpVoter{base: base, client: &http.Client{Jar: jar, Timeout: 10 * time.Second}}
}

// cycle asks for a matchup and votes on it. It returns the matchup id and
// whether the vote was acknowledged with 200.
func (v *httpVoter) cycle(choice string) (id string, acked bool, err error) {
	res, err := v.client.Post(v.base+"/api/v1/matchups", "application/json", strings.NewReader("{}"))
	if err != nil {
		return "", false, err
	}
	var m struct{ ID string }
	err = json.NewDecoder(res.Body).Decode(&m)
	res.Body.Close()
	if err != nil || res.StatusCode != http.StatusCreated {
		return "", false, fmt.Errorf("matchup: %d %v", res.StatusCode, err)
	}
	res, err = v.client.Post(v.base+"/api/v1/matchups/"+m.ID+"/vote", "application/json", strings.NewReader(`{"choice":"`+choice+`"}`))
	if err != nil {
		return m.ID, false, err
	}
	io.Copy(io.Discard, res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return m.ID, false, fmt.Errorf("vote: %d", res.StatusCode)
	}
	return m.ID, true, nil
}

// storedVote is a voted matchup read straight from the database file.
type storedVote struct {
	Choice string
	Valid  bool
	Reason string
}

// readVotes reads every voted matchup from a SQLite file, read-only.
func readVotes(t *testing.T, path string) map[string]storedVote {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?mode=ro&_busy_timeout=10000")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT id, choice, valid, invalid_reason FROM matchups WHERE choice IS NOT NULL`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]storedVote{}
	for rows.Next() {
		var id string
		var v storedVote
		if err := rows.Scan(&id, &v.Choice, &v.Valid, &v.Reason); err != nil {
			t.Fatal(err)
		}
		if _, dup := out[id]; dup {
			t.Fatalf("matchup %s stored twice", id)
		}
		out[id] = v
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

var choices = []string{"a", "b", "tie", "both_bad"}

// fastEnv turns off what would slow a test voter down.
// Every test voter comes from one address and downloads no clips, so the
// per-address budgets and the clip-fetch rule are off too.
var fastEnv = map[string]string{"ARENA_MIN_WATCH_MS": "0", "ARENA_RATE_LIMIT": "off",
	"ARENA_NEW_VOTERS_PER_HOUR": "off", "ARENA_ADDRESS_VOTES_PER_DAY": "off", "ARENA_REQUIRE_CLIP_FETCH": "false"}
