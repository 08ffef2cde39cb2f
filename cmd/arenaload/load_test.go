package main

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/arena-video/arena/handlers"
	"github.com/arena-video/arena/models"
	"github.com/arena-video/arena/models/media"
	"github.com/arena-video/arena/static"
)

// startArena serves the real Arena router on a SQLite file, seeded with the
// demo data, and returns its URL and store.
func startArena(t *testing.T) (string, *models.Store) {
	t.Helper()
	dir := t.TempDir()
	ctx := context.Background()
	store, err := models.Open(ctx, models.Options{DSN: filepath.Join(dir, "arena.db"), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	blobs, err := media.NewStore(dir, media.StoreOptions{DisableFFmpeg: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := static.SeedDemo(ctx, store, blobs); err != nil {
		t.Fatal(err)
	}
	srv, err := handlers.New(handlers.Config{Store: store, Blobs: blobs,
		SessionKeys: [][]byte{bytes.Repeat([]byte{1}, 32), bytes.Repeat([]byte{2}, 32)},
		Logger:      slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return ts.URL, store
}

// lastJSON decodes the last line of arenaload's output.
func lastJSON(t *testing.T, out string) summaryJSON {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var s summaryJSON
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &s); err != nil {
		t.Fatalf("last line is not JSON: %v\n%s", err, out)
	}
	return s
}

func TestLoad_EveryAcknowledgedVoteIsStored(t *testing.T) {
	url, store := startArena(t)
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"--target", url, "--voters", "8", "--cycles", "200", "--json"}, &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out.String(), errb.String())
	}
	s := lastJSON(t, out.String())
	if s.Cycles != 200 || s.Acknowledged != 200 || s.Errors != 0 {
		t.Fatalf("cycles %d, acknowledged %d, errors %d; want 200, 200, 0", s.Cycles, s.Acknowledged, s.Errors)
	}
	if s.CyclesPerS <= 0 || s.P50MS <= 0 || s.P99MS < s.P50MS {
		t.Errorf("implausible figures: %+v", s)
	}
	stored, err := store.CountVotes(context.Background())
	if err != nil || stored != int64(s.Acknowledged) {
		t.Fatalf("stored %d votes (%v), acknowledged %d", stored, err, s.Acknowledged)
	}
	for _, want := range []string{"cycles 200", epMatchup, epVote, "p99"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q", want)
		}
	}
}

func TestLoad_CountsErrorsByStatus(t *testing.T) {
	var n atomic.Int64
	// Every third vote fails with 503; matchups always succeed.
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/v1/matchups" {
			http.SetCookie(w, &http.Cookie{Name: "arena", Value: "v"})
			w.WriteHeader(http.StatusCreated)
			w.Write([]byte(`{"id":"AAAAAAAAAAAAAAAAAAAAAA"}`))
			return
		}
		if _, err := r.Cookie("arena"); err != nil {
			w.WriteHeader(http.StatusNotFound) // the jar lost the voter
			return
		}
		if n.Add(1)%3 == 0 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte(`{}`))
	}))
	defer ts.Close()
	var out, errb bytes.Buffer
	code := run(context.Background(), []string{"--target", ts.URL, "--voters", "3", "--cycles", "30", "--json"}, &out, &errb)
	if code != 1 {
		t.Errorf("exit %d with errors, want 1", code)
	}
	s := lastJSON(t, out.String())
	if s.Errors != 10 || s.ErrorsByStatus["503"] != 10 || s.Acknowledged != 20 || s.Cycles != 30 {
		t.Fatalf("errors %d %v, acknowledged %d, cycles %d; want 10 503s, 20, 30", s.Errors, s.ErrorsByStatus, s.Acknowledged, s.Cycles)
	}
}

func TestLoad_BareHandlerSpeaksTheVotingProtocol(t *testing.T) {
	ts := httptest.NewServer(bareHandler())
	defer ts.Close()
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"--target", ts.URL, "--voters", "2", "--cycles", "20", "--json"}, &out, &errb); code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out.String(), errb.String())
	}
	if s := lastJSON(t, out.String()); s.Acknowledged != 20 {
		t.Fatalf("acknowledged %d, want 20", s.Acknowledged)
	}
}

func TestLoad_SpreadsVotersOverSeveralTargets(t *testing.T) {
	var hits [2]atomic.Int64
	var urls []string
	for i := range hits {
		h := bareHandler()
		ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			hits[i].Add(1)
			h.ServeHTTP(w, r)
		}))
		defer ts.Close()
		urls = append(urls, ts.URL)
	}
	var out, errb bytes.Buffer
	args := []string{"--target", strings.Join(urls, ","), "--voters", "4", "--cycles", "40", "--json"}
	if code := run(context.Background(), args, &out, &errb); code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out.String(), errb.String())
	}
	if s := lastJSON(t, out.String()); s.Acknowledged != 40 {
		t.Fatalf("acknowledged %d, want 40", s.Acknowledged)
	}
	for i := range hits {
		if n := hits[i].Load(); n == 0 {
			t.Errorf("target %d got no requests", i)
		}
	}
}

func TestLoad_RefusesBadFlags(t *testing.T) {
	for _, args := range [][]string{
		{"--target", "ftp://x"},
		{"--target", "http://127.0.0.1:1,nonsense"},
		{"--voters", "0"},
		{"--duration", "0s"},
		{"stray"},
	} {
		var out, errb bytes.Buffer
		if code := run(context.Background(), args, &out, &errb); code != 2 || errb.Len() == 0 {
			t.Errorf("%v: exit %d, stderr %q; want 2 and a message", args, code, errb.String())
		}
	}
}
