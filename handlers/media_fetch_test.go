package handlers

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/arena-video/arena/models"
)

func withClipFetch() appOption { return func(o *models.Options) { o.RequireClipFetch = true } }

// TestClipFetch_AVoteCountsOnlyWithBothClipsFetched runs on both databases:
// a vote on clips the voter never downloaded is stored invalid and reveals
// nothing; a one-byte Range or a HEAD does not count; the clips fetched in
// halves by Range requests do; and a clip fetched in an earlier matchup
// (served from the browser's cache later) still counts. The media URL and
// its caching headers stay as they were.
func TestClipFetch_AVoteCountsOnlyWithBothClipsFetched(t *testing.T) {
	a := newTestApp(t, "", true, withClipFetch())
	v := a.newVoter()
	m := v.matchup()
	res := v.vote(m.ID, "a")
	var out voteJSON
	res.json(t, &out)
	if out.A != nil {
		t.Fatal("a vote without its clips revealed the models")
	}

	m = v.matchup()
	for _, url := range []string{m.A.VideoURL, m.B.VideoURL} {
		if r := v.do(http.MethodHead, url, "", nil); r.status != http.StatusOK {
			t.Fatalf("HEAD %s = %d", url, r.status)
		}
		r := v.get(url, "Range", "bytes=0-0")
		if r.status != http.StatusPartialContent || len(r.body) != 1 {
			t.Fatalf("one-byte range = %d, %d bytes", r.status, len(r.body))
		}
	}
	res = v.vote(m.ID, "a")
	res.json(t, &out)
	if out.A != nil {
		t.Fatal("a vote after a HEAD and one byte of each clip revealed the models")
	}

	m = v.matchup()
	for _, url := range []string{m.A.VideoURL, m.B.VideoURL} {
		full := v.get(url)
		if full.status != http.StatusOK || full.header.Get("Cache-Control") != immutableCache || full.header.Get("ETag") == "" {
			t.Fatalf("GET %s = %d, headers %v", url, full.status, full.header)
		}
		if len(full.body) < 4 {
			t.Fatalf("clip of %d bytes", len(full.body))
		}
	}
	res = v.vote(m.ID, "b")
	res.json(t, &out)
	if out.A == nil || out.B == nil {
		t.Fatalf("a vote after fetching both clips revealed nothing: %s", res.body)
	}

	w := a.newVoter()
	m = w.matchup()
	for _, url := range []string{m.A.VideoURL, m.B.VideoURL} {
		size := len(v.get(url).body)
		half := size / 2
		w.get(url, "Range", fmt.Sprintf("bytes=0-%d", half/2))
		w.get(url, "Range", fmt.Sprintf("bytes=%d-%d", half/2+1, half+1))
	}
	res = w.vote(m.ID, "a")
	res.json(t, &out)
	if out.A == nil {
		t.Fatal("clips fetched in two ranges did not count")
	}
	// A clip fetched in an earlier matchup counts later without a new
	// fetch: find a matchup that reuses one of w's clips, fetch only the
	// other, and vote.
	fetched := map[string]bool{m.A.VideoURL: true, m.B.VideoURL: true}
	reused := false
	for i := 0; i < 200 && !reused; i++ {
		m = w.matchup()
		reused = fetched[m.A.VideoURL] != fetched[m.B.VideoURL]
	}
	if !reused {
		t.Fatal("no matchup reused a fetched clip in 200 tries")
	}
	for _, url := range []string{m.A.VideoURL, m.B.VideoURL} {
		if !fetched[url] {
			w.get(url)
		}
	}
	res = w.vote(m.ID, "tie")
	res.json(t, &out)
	if out.A == nil {
		t.Fatal("a clip fetched in an earlier matchup did not count")
	}
	counts, _ := a.store.InvalidVoteCounts(t.Context())
	if counts[models.ReasonUnfetched] != 2 {
		t.Errorf("invalid votes %v, want 2 %s", counts, models.ReasonUnfetched)
	}
}

// TestFetchWriter_RecordsBeforeTheBytesThatCompleteTheFetch: the fetch is
// stored before the write that crosses the threshold goes out, so a client
// that has received the bytes and votes at once always finds it stored.
// Noted after the response, it could still be on its way to the store when
// the vote arrived, and the vote was kept as clips_not_fetched.
func TestFetchWriter_RecordsBeforeTheBytesThatCompleteTheFetch(t *testing.T) {
	for _, tc := range []struct {
		name        string
		size, chunk int
		writes      int // of chunk bytes each
		wantRecords int
	}{
		{"whole clip in small writes", 10_000, 1000, 10, 1},
		{"whole clip in one write", 10_000, 10_000, 1, 1},
		{"large clip, capped threshold", 4 << 20, 32 << 10, 128, 1},
		{"less than the share", 10_000, 1000, 4, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			var records, sentAtRecord int
			w := &fetchWriter{ResponseWriter: rec, tracker: newFetchTracker(), voter: "v", clip: 7,
				threshold: fetchThreshold(int64(tc.size)),
				record:    func() { records++; sentAtRecord = rec.Body.Len() }}
			for range tc.writes {
				if _, err := w.Write(make([]byte, tc.chunk)); err != nil {
					t.Fatal(err)
				}
			}
			if records != tc.wantRecords {
				t.Fatalf("recorded %d times, want %d", records, tc.wantRecords)
			}
			if records == 1 && int64(sentAtRecord) >= w.threshold {
				t.Errorf("recorded after %d bytes had gone out, threshold %d: the client could have had them first", sentAtRecord, w.threshold)
			}
			if rec.Body.Len() != tc.chunk*tc.writes {
				t.Errorf("passed %d bytes through, want %d", rec.Body.Len(), tc.chunk*tc.writes)
			}
		})
	}
}
