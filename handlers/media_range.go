package handlers

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/arena-video/arena/models/media"
)

// rangeOpener is a blob store that opens a blob more cheaply when told the
// bytes a request reads first (media.Store does, for a bucket).
type rangeOpener interface {
	OpenRange(ctx context.Context, key string, start, last int64) (media.Blob, error)
}

// openForRequest opens the blob under key for serving r. A plain GET for one
// range (what a video element sends, also while seeking) tells the store
// that range, so a bucket is asked once, for those bytes only; anything
// else (no Range, several ranges, a suffix range, a conditional request,
// which may be answered without the bytes) opens the blob as it is.
// http.ServeContent then answers either way, with the same headers.
func (s *Server) openForRequest(ctx context.Context, r *http.Request, key string) (media.Blob, error) {
	ro, ok := s.blobs.(rangeOpener)
	if !ok || r.Method != http.MethodGet {
		return s.blobs.Open(ctx, key)
	}
	for _, h := range []string{"If-Match", "If-None-Match", "If-Modified-Since", "If-Unmodified-Since", "If-Range"} {
		if r.Header.Get(h) != "" {
			return s.blobs.Open(ctx, key)
		}
	}
	start, last, ok := singleRange(r.Header.Get("Range"))
	if !ok {
		return s.blobs.Open(ctx, key)
	}
	return ro.OpenRange(ctx, key, start, last)
}

// singleRange reads a Range header naming one range from a given byte,
// "bytes=START-LAST" or "bytes=START-" (last is then -1). Every other form
// is left to http.ServeContent.
func singleRange(h string) (start, last int64, ok bool) {
	spec, found := strings.CutPrefix(h, "bytes=")
	if !found || strings.Contains(spec, ",") {
		return 0, 0, false
	}
	a, b, found := strings.Cut(strings.TrimSpace(spec), "-")
	if !found || a == "" {
		return 0, 0, false
	}
	start, err := strconv.ParseInt(a, 10, 64)
	if err != nil || start < 0 {
		return 0, 0, false
	}
	if b == "" {
		return start, -1, true
	}
	last, err = strconv.ParseInt(b, 10, 64)
	if err != nil || last < start {
		return 0, 0, false
	}
	return start, last, true
}
