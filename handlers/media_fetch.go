package handlers

import (
	"net/http"
	"sync"

	"github.com/labstack/echo/v4"
)

// A vote counts only when its voter's client fetched both clips (when the
// store requires it). A clip counts as fetched once the server has sent
// that voter fetchShare of its bytes, or fetchCap bytes of a large clip, in
// any number of Range requests: a browser that plays a clip downloads that
// much at once, and a script must download it too. The media URLs, their
// ETags and their immutable caching stay as they are: the fetch is tied to
// the voter's cookie, not to the URL, so a clip cached by the browser in an
// earlier matchup already counts.
const (
	fetchShare = 0.5
	fetchCap   = 1 << 20
	// fetchTrackerMax bounds the tracker's memory; when full it starts
	// afresh, which only means some voters fetch a clip's bytes again.
	fetchTrackerMax = 200_000
)

// fetchThreshold is how many bytes of a clip of size bytes make a fetch.
func fetchThreshold(size int64) int64 {
	return max(1, min(int64(float64(size)*fetchShare), fetchCap))
}

type fetchKey struct {
	voter string
	clip  uint
}

// fetchTracker adds up the bytes sent per (voter, clip) until the clip
// counts as fetched.
type fetchTracker struct {
	mu   sync.Mutex
	sent map[fetchKey]int64 // -1 once recorded
}

func newFetchTracker() *fetchTracker {
	return &fetchTracker{sent: make(map[fetchKey]int64)}
}

// add counts n more bytes and reports whether the clip has just become
// fetched (true once per key).
func (t *fetchTracker) add(voter string, clip uint, n, threshold int64) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	k := fetchKey{voter, clip}
	got := t.sent[k]
	if got < 0 || n <= 0 {
		return false
	}
	if len(t.sent) >= fetchTrackerMax {
		t.sent = make(map[fetchKey]int64)
	}
	got += n
	if got >= threshold {
		t.sent[k] = -1
		return true
	}
	t.sent[k] = got
	return false
}

// fetchWriter passes a clip's body through and records the voter's fetch
// just before the write that makes the clip count as fetched goes out, not
// after the response: a client that has the bytes and votes at once must
// find its fetch stored, and a fetch noted after the last write could
// still be on its way to the store when the vote arrives. The price is that
// a client that hangs up during that one write (at most a copy buffer)
// counts as having fetched bytes it did not get, far less than the
// threshold itself.
type fetchWriter struct {
	http.ResponseWriter
	tracker   *fetchTracker
	voter     string
	clip      uint
	threshold int64
	record    func() // stores the fetch; called at most once
}

func (w *fetchWriter) Write(p []byte) (int, error) {
	if w.tracker.add(w.voter, w.clip, int64(len(p)), w.threshold) {
		w.record()
	}
	return w.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the real writer.
func (w *fetchWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// fetchWriterFor wraps the response of a GET of clip by voter.
func (s *Server) fetchWriterFor(c echo.Context, voter string, clipID uint, size int64) *fetchWriter {
	return &fetchWriter{
		ResponseWriter: c.Response().Writer,
		tracker:        s.fetches,
		voter:          voter,
		clip:           clipID,
		threshold:      fetchThreshold(size),
		record: func() {
			if err := s.store.RecordClipFetch(c.Request().Context(), voter, clipID); err != nil {
				s.log.Error("record clip fetch", "err", err)
			}
		},
	}
}
