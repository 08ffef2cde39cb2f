package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/arena-video/arena/models"
	"github.com/arena-video/arena/models/testdb"
)

// TestInstances_VoterMovesBetweenInstances starts two `arena serve`
// processes on one PostgreSQL database and one shared data dir, as a
// deployment behind a load balancer would, and checks that a voter's
// matchups from one instance take votes through the other, that a vote is
// never counted twice even when sent to both at once, and that both serve
// the same results.
func TestInstances_VoterMovesBetweenInstances(t *testing.T) {
	dsn := testdb.Postgres(t) // skips unless ARENA_TEST_POSTGRES_URL is set
	bin := buildArena(t)
	dir := t.TempDir()
	env := []string{
		"ARENA_DB=" + dsn,
		"ARENA_DATA_DIR=" + dir,
		"ARENA_DEMO=true",
		"ARENA_SESSION_KEYS=" + strings.Repeat("11", 32) + "," + strings.Repeat("22", 32),
		"ARENA_MIN_WATCH_MS=0",
		"ARENA_RATE_LIMIT=off",
		"ARENA_NEW_VOTERS_PER_HOUR=off",
		"ARENA_ADDRESS_VOTES_PER_DAY=off",
		"ARENA_REQUIRE_CLIP_FETCH=false",
	}
	// Started together: migrations and seeding must take turns.
	var urls [2]string
	var wg sync.WaitGroup
	for i := range urls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			urls[i] = startInstance(t, bin, env)
		}()
	}
	wg.Wait()
	if urls[0] == "" || urls[1] == "" {
		t.FailNow()
	}

	jar, _ := cookiejar.New(nil) // cookies ignore the port: one jar serves both
	c := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	// The demo's made-up votes, recorded once however many instances start.
	acknowledged := models.DemoVotes
	for _, u := range urls {
		if n := storedVotes(t, c, u); n != acknowledged {
			t.Fatalf("%s reports %d votes stored at start, want the %d demo votes seeded once", u, n, acknowledged)
		}
	}
	for i := range 6 {
		from, to := urls[i%2], urls[(i+1)%2]
		id := issue(t, c, from)
		if st := vote(t, c, to, id); st != http.StatusOK {
			t.Fatalf("matchup from %s voted through %s = %d, want 200", from, to, st)
		}
		acknowledged++
		if st := vote(t, c, from, id); st != http.StatusConflict {
			t.Fatalf("second vote through %s = %d, want 409", from, st)
		}
	}
	// The same vote sent to both instances at once: exactly one counts.
	for range 5 {
		id := issue(t, c, urls[0])
		var statuses [2]int
		var race sync.WaitGroup
		for i, u := range urls {
			race.Add(1)
			go func() { defer race.Done(); statuses[i] = vote(t, c, u, id) }()
		}
		race.Wait()
		ok, conflict := 0, 0
		for _, st := range statuses {
			switch st {
			case http.StatusOK:
				ok++
			case http.StatusConflict:
				conflict++
			}
		}
		if ok != 1 || conflict != 1 {
			t.Fatalf("racing votes answered %v, want one 200 and one 409", statuses)
		}
		acknowledged++
	}
	for _, u := range urls {
		if n := storedVotes(t, c, u); n != acknowledged {
			t.Errorf("%s reports %d votes stored, want %d", u, n, acknowledged)
		}
	}
}

// buildArena builds the arena binary once for the test.
func buildArena(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "arena")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

var listening = regexp.MustCompile(`"msg":"listening","addr":"(http://[^"]+)"`)

// startInstance runs `arena serve` on a free port and returns its URL once
// it listens; the process is stopped when the test ends.
func startInstance(t *testing.T, bin string, env []string) string {
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0")
	// No PATH: without ffmpeg the demo clips are stored as they are, which
	// keeps seeding fast; stripping is tested in models/media.
	cmd.Env = append([]string{"PATH=", "HOME=" + os.Getenv("HOME")}, env...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Error(err)
		return ""
	}
	if err := cmd.Start(); err != nil {
		t.Error(err)
		return ""
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			_ = cmd.Process.Kill()
		}
	})
	found := make(chan string, 1)
	lines := make(chan string, 100)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			if m := listening.FindStringSubmatch(line); m != nil {
				found <- m[1]
			}
			select {
			case lines <- line:
			default:
			}
		}
		close(found)
	}()
	select {
	case u, ok := <-found:
		if !ok {
			close(lines)
			var log strings.Builder
			for l := range lines {
				log.WriteString(l + "\n")
			}
			t.Errorf("arena serve exited before listening:\n%s", log.String())
		}
		return u
	// Seeding the demo into PostgreSQL and a bucket takes tens of seconds
	// on a busy 2-core machine, and two instances start at once.
	case <-time.After(3 * time.Minute):
		t.Errorf("arena serve did not listen within 3 minutes")
		return ""
	}
}

func issue(t *testing.T, c *http.Client, base string) string {
	t.Helper()
	res, err := c.Post(base+"/api/v1/matchups", "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var m struct {
		ID string `json:"id"`
	}
	if res.StatusCode != http.StatusCreated || json.NewDecoder(res.Body).Decode(&m) != nil || m.ID == "" {
		t.Fatalf("POST %s/api/v1/matchups = %d", base, res.StatusCode)
	}
	return m.ID
}

func vote(t *testing.T, c *http.Client, base, id string) int {
	res, err := c.Post(base+"/api/v1/matchups/"+id+"/vote", "application/json", strings.NewReader(`{"choice":"a"}`))
	if err != nil {
		t.Error(err)
		return 0
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, res.Body)
	return res.StatusCode
}

// storedVotes reads arena_votes_stored from the instance's /metrics.
func storedVotes(t *testing.T, c *http.Client, base string) int {
	t.Helper()
	res, err := c.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	sc := bufio.NewScanner(res.Body)
	for sc.Scan() {
		var n int
		if _, err := fmt.Sscanf(sc.Text(), "arena_votes_stored %d", &n); err == nil {
			return n
		}
	}
	t.Fatalf("%s/metrics has no arena_votes_stored", base)
	return 0
}
