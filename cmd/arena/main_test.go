package main

import (
	"bytes"
	"context"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func runArena(t *testing.T, ctx context.Context, envs map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(ctx, args, func(k string) string { return envs[k] }, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestHelp_ExplainsEveryServeOption(t *testing.T) {
	code, out, _ := runArena(t, context.Background(), nil, "serve", "--help")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"-addr", "ARENA_ADDR", "-data-dir", "ARENA_DATA_DIR", "-db", "ARENA_DB", "-demo", "-matchup-ttl", "ARENA_MATCHUP_TTL", "ARENA_MIN_WATCH_MS", "ARENA_RATE_LIMIT", "ARENA_TRUSTED_PROXIES"} {
		if !strings.Contains(out, want) {
			t.Errorf("serve --help lacks %q", want)
		}
	}
	if code, out, _ := runArena(t, context.Background(), nil, "--help"); code != 0 || !strings.Contains(out, "serve") {
		t.Errorf("arena --help = %d %q", code, out)
	}
}

func TestServe_RefusesBadConfiguration(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"unreachable postgres", nil, []string{"serve", "--data-dir", dir, "--db", "postgres://u@127.0.0.1:1/db?connect_timeout=2"}, "PostgreSQL"},
		{"bad ttl", map[string]string{"ARENA_MATCHUP_TTL": "soon"}, []string{"serve", "--data-dir", dir}, "ARENA_MATCHUP_TTL"},
		{"odd keys", map[string]string{"ARENA_SESSION_KEYS": strings.Repeat("ab", 32)}, []string{"serve", "--data-dir", dir, "--addr", "127.0.0.1:0"}, "pairs"},
		{"unknown command", nil, []string{"fly"}, "unknown command"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runArena(t, context.Background(), tc.env, tc.args...)
			if code == 0 || !strings.Contains(stderr, tc.want) {
				t.Fatalf("exit %d, stderr %q: want a failure naming %q", code, stderr, tc.want)
			}
		})
	}
}

func TestServe_ShutsDownCleanly(t *testing.T) {
	dir := t.TempDir()
	startServe(t, "--data-dir", dir).stop(t)
	if _, err := os.Stat(filepath.Join(dir, "arena.db")); err != nil {
		t.Errorf("database file missing: %v", err)
	}
}

// servedArena is an `arena serve` running in the test's process.
type servedArena struct {
	addr           string // http://host:port
	stdout, stderr *lockedBuffer
	cancel         context.CancelFunc
	done           chan int
}

// startServe runs `arena serve` with args at a free port and returns once
// it listens.
func startServe(t *testing.T, args ...string) *servedArena {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	srv := &servedArena{stdout: &lockedBuffer{}, stderr: &lockedBuffer{}, cancel: cancel, done: make(chan int, 1)}
	go func() {
		srv.done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), func(string) string { return "" }, nil, srv.stdout, srv.stderr)
	}()
	for srv.addr == "" {
		select {
		case code := <-srv.done:
			cancel()
			t.Fatalf("exited early with %d: %s", code, srv.stderr.String())
		case <-time.After(10 * time.Millisecond):
		}
		srv.addr = listenAddr(srv.stderr.String())
	}
	return srv
}

// stop stops the server as SIGTERM would and fails the test unless it
// exits cleanly.
func (srv *servedArena) stop(t *testing.T) {
	t.Helper()
	srv.cancel()
	if code := <-srv.done; code != 0 {
		t.Fatalf("exit %d after shutdown: %s", code, srv.stderr.String())
	}
}

// lockedBuffer is a bytes.Buffer safe for a server goroutine to write while
// the test reads.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestSessionKeys_MadeOnceAndKept(t *testing.T) {
	dir := t.TempDir()
	e := env{getenv: func(string) string { return "" }}
	k1, err := sessionKeys(e, dir)
	if err != nil || len(k1) != 2 {
		t.Fatalf("keys %v %v", k1, err)
	}
	k2, err := sessionKeys(e, dir)
	if err != nil || !bytes.Equal(k1[0], k2[0]) || !bytes.Equal(k1[1], k2[1]) {
		t.Fatal("a second start must read the same keys")
	}
	st, _ := os.Stat(filepath.Join(dir, sessionKeysFile))
	if st.Mode().Perm() != 0o600 {
		t.Errorf("key file mode %v, want 0600", st.Mode().Perm())
	}
	pair := hex.EncodeToString(bytes.Repeat([]byte{7}, 32)) + "," + hex.EncodeToString(bytes.Repeat([]byte{8}, 32))
	rotated := pair + "," + hex.EncodeToString(k1[0]) + "," + hex.EncodeToString(k1[1])
	e.getenv = func(k string) string {
		if k == "ARENA_SESSION_KEYS" {
			return rotated
		}
		return ""
	}
	k3, err := sessionKeys(e, dir)
	if err != nil || len(k3) != 4 || k3[0][0] != 7 {
		t.Fatalf("rotation keys %v %v", len(k3), err)
	}
}
