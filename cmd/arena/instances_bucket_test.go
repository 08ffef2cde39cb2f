package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/arena-video/arena/models"
	"github.com/arena-video/arena/models/media/s3test"
	"github.com/arena-video/arena/models/testdb"
)

// TestInstances_NoSharedDataDir runs two `arena serve` processes with data
// dirs of their own, one PostgreSQL database and one bucket: an admin
// uploads a clip through the first, a voter fetches it from the second
// with Range, and votes go through either.
func TestInstances_NoSharedDataDir(t *testing.T) {
	bucket := s3test.URL(t)   // skips without an S3 server
	dsn := testdb.Postgres(t) // skips without PostgreSQL
	bin := buildArena(t)
	base := []string{
		"ARENA_DB=" + dsn,
		"ARENA_BLOB_STORE=" + bucket,
		"AWS_ACCESS_KEY_ID=" + os.Getenv("AWS_ACCESS_KEY_ID"),
		"AWS_SECRET_ACCESS_KEY=" + os.Getenv("AWS_SECRET_ACCESS_KEY"),
		"ARENA_DEMO=true",
		"ARENA_SESSION_KEYS=" + strings.Repeat("33", 32) + "," + strings.Repeat("44", 32),
		"ARENA_MIN_WATCH_MS=0",
		"ARENA_RATE_LIMIT=off",
		"ARENA_NEW_VOTERS_PER_HOUR=off", "ARENA_ADDRESS_VOTES_PER_DAY=off", "ARENA_REQUIRE_CLIP_FETCH=false",
		// Uploads are transcoded, so these instances need ffmpeg.
		"PATH=" + os.Getenv("PATH"),
	}
	var urls [2]string
	var wg sync.WaitGroup
	for i := range urls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			urls[i] = startInstance(t, bin, append([]string{"ARENA_DATA_DIR=" + t.TempDir()}, base...))
		}()
	}
	wg.Wait()
	if urls[0] == "" || urls[1] == "" {
		t.FailNow()
	}

	// An admin uploads a new clip through instance 1.
	code, token, stderr := runArena(t, context.Background(), map[string]string{"ARENA_DB": dsn, "ARENA_DATA_DIR": t.TempDir()}, "admin", "token", "--username", "admin")
	if code != 0 {
		t.Fatalf("admin token: %s", stderr)
	}
	model, promptID := demoModelAndPrompt(t, dsn)
	clip := uniqueClip(t)
	publicID := uploadClip(t, urls[0], strings.TrimSpace(token), model, promptID, clip)
	waitReady(t, urls[1], strings.TrimSpace(token), publicID)

	// A voter gets it from instance 2, whole and in ranges.
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, Timeout: 20 * time.Second}
	get := func(rangeHdr string) (int, []byte) {
		req, _ := http.NewRequest(http.MethodGet, urls[1]+"/media/"+publicID, nil)
		if rangeHdr != "" {
			req.Header.Set("Range", rangeHdr)
		}
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, b
	}
	// Voters get the rendition, not the upload: instance 2 must serve the
	// same bytes instance 1 rendered into the bucket.
	st, rendition := get("")
	if st != http.StatusOK || len(rendition) < 300 || bytes.Equal(rendition, clip) {
		t.Fatalf("clip from instance 2 = %d, %d bytes; want 200 and a rendition", st, len(rendition))
	}
	if st, b := get("bytes=100-299"); st != http.StatusPartialContent || !bytes.Equal(b, rendition[100:300]) {
		t.Fatalf("range from instance 2 = %d, %d bytes; want 206 and bytes 100-299", st, len(b))
	}

	// Votes through either instance; the demo clips came from the bucket
	// too, since neither data dir holds a blob.
	for i := range 4 {
		id := issue(t, c, urls[i%2])
		if st := vote(t, c, urls[(i+1)%2], id); st != http.StatusOK {
			t.Fatalf("vote = %d, want 200", st)
		}
	}
	want := models.DemoVotes + 4
	for _, u := range urls {
		if n := storedVotes(t, c, u); n != want {
			t.Errorf("%s reports %d votes stored, want %d", u, n, want)
		}
	}
}

// demoModelAndPrompt returns a demo model's slug and a t2v prompt's id.
func demoModelAndPrompt(t *testing.T, dsn string) (string, uint) {
	t.Helper()
	st, err := models.Open(context.Background(), models.Options{DSN: dsn})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ms, err := st.ListModels(context.Background())
	if err != nil || len(ms) == 0 {
		t.Fatalf("models: %v", err)
	}
	ps, err := st.ListPrompts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if p.Modality == models.ModalityT2V {
			return ms[0].Slug, p.ID
		}
	}
	t.Fatal("no t2v prompt in the demo data")
	return "", 0
}

// uniqueClip is the test clip with a free box of random bytes after it, so
// its hash differs from every demo clip's.
func uniqueClip(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/clip.mp4")
	if err != nil {
		t.Fatal(err)
	}
	pad := make([]byte, 64)
	rand.Read(pad)
	box := binary.BigEndian.AppendUint32(nil, uint32(8+len(pad)))
	return append(append(append(b, box...), "free"...), pad...)
}

// uploadClip uploads a clip through the admin API and returns its public id.
func uploadClip(t *testing.T, base, token, model string, promptID uint, clip []byte) string {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("model", model)
	mw.WriteField("prompt_id", strconv.FormatUint(uint64(promptID), 10))
	fw, _ := mw.CreateFormFile("file", "clip.mp4")
	fw.Write(clip)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/admin/clips", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out struct {
		PublicID string `json:"public_id"`
	}
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusAccepted || json.Unmarshal(b, &out) != nil || out.PublicID == "" {
		t.Fatalf("upload through %s = %d %s", base, res.StatusCode, b)
	}
	return out.PublicID
}

// waitReady polls the admin API of base until the clip's rendition is ready.
func waitReady(t *testing.T, base, token, publicID string) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		req, _ := http.NewRequest(http.MethodGet, base+"/api/v1/admin/clips/"+publicID, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var out struct {
			Status, Error string
		}
		b, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatalf("clip status = %d %s", res.StatusCode, b)
		}
		switch {
		case out.Status == "ready":
			return
		case out.Status == "failed":
			t.Fatalf("rendition failed: %s", out.Error)
		case time.Now().After(deadline):
			t.Fatalf("clip still %q after 2 minutes", out.Status)
		}
		time.Sleep(200 * time.Millisecond)
	}
}
