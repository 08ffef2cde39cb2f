package handlers

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

func TestMedia_RangeETagAndCaching(t *testing.T) {
	for _, store := range []string{"dir", "s3"} {
		t.Run(store, func(t *testing.T) {
			app := newTestApp(t, "", true)
			if store == "s3" {
				app = newBucketApp(t, nil)
			}
			testMediaRanges(t, app)
		})
	}
}

// testMediaRanges checks a clip's headers, ranges and revalidation.
func testMediaRanges(t *testing.T, app *testApp) {
	v := app.newVoter()
	m := v.matchup()
	full := v.get(m.A.VideoURL)
	if full.status != http.StatusOK {
		t.Fatalf("GET clip = %d", full.status)
	}
	size := len(full.body)
	etag := full.header.Get("ETag")
	for header, want := range map[string]string{
		"Content-Type":  "video/",
		"Cache-Control": "immutable",
		"Accept-Ranges": "bytes",
	} {
		if !strings.Contains(full.header.Get(header), want) {
			t.Errorf("%s = %q, want %q", header, full.header.Get(header), want)
		}
	}
	if len(etag) < 10 || full.header.Get("Content-Disposition") != "" || full.header.Get("Last-Modified") != "" {
		t.Errorf("headers %v: want an ETag and no file name or date", full.header)
	}

	cases := []struct {
		name       string
		rangeHdr   string
		wantStatus int
		wantLen    int
		wantRange  string
	}{
		{"first 100 bytes", "bytes=0-99", 206, 100, "bytes 0-99/" + strconv.Itoa(size)},
		{"last 10 bytes", "bytes=-10", 206, 10, "bytes " + strconv.Itoa(size-10) + "-" + strconv.Itoa(size-1) + "/" + strconv.Itoa(size)},
		{"open-ended", "bytes=50-", 206, size - 50, "bytes 50-" + strconv.Itoa(size-1) + "/" + strconv.Itoa(size)},
		{"beyond the end", "bytes=" + strconv.Itoa(size+10) + "-", 416, -1, ""},
		{"last byte past the end", "bytes=100-" + strconv.Itoa(size+1000), 206, size - 100, "bytes 100-" + strconv.Itoa(size-1) + "/" + strconv.Itoa(size)},
		{"one byte from the middle", "bytes=" + strconv.Itoa(size/2) + "-" + strconv.Itoa(size/2), 206, 1, "bytes " + strconv.Itoa(size/2) + "-" + strconv.Itoa(size/2) + "/" + strconv.Itoa(size)},
		{"open-ended from the middle", "bytes=" + strconv.Itoa(size/3) + "-", 206, size - size/3, "bytes " + strconv.Itoa(size/3) + "-" + strconv.Itoa(size-1) + "/" + strconv.Itoa(size)},
		{"last before first", "bytes=90-10", 416, -1, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := v.get(m.A.VideoURL, "Range", tc.rangeHdr)
			if r.status != tc.wantStatus {
				t.Fatalf("status %d, want %d", r.status, tc.wantStatus)
			}
			if tc.wantLen >= 0 && len(r.body) != tc.wantLen {
				t.Errorf("got %d bytes, want %d", len(r.body), tc.wantLen)
			}
			if tc.wantRange != "" && r.header.Get("Content-Range") != tc.wantRange {
				t.Errorf("Content-Range %q, want %q", r.header.Get("Content-Range"), tc.wantRange)
			}
			start := offset(tc.rangeHdr, size)
			if tc.wantStatus == 206 && !bytes.Equal(r.body, full.body[start:start+len(r.body)]) {
				t.Errorf("range bytes differ from the file")
			}
		})
	}
	if r := v.get(m.A.VideoURL, "If-None-Match", etag); r.status != http.StatusNotModified {
		t.Errorf("If-None-Match = %d, want 304", r.status)
	}
	if r := v.get(m.A.VideoURL, "Range", "bytes=0-9", "If-None-Match", etag); r.status != http.StatusNotModified {
		t.Errorf("Range with a matching If-None-Match = %d, want 304", r.status)
	}
	if r := v.get(m.A.VideoURL, "Range", "bytes=0-9", "If-Range", `"other"`); r.status != http.StatusOK || len(r.body) != size {
		t.Errorf("Range with a stale If-Range = %d, %d bytes; want 200 and the whole clip", r.status, len(r.body))
	}
	if r := v.get(m.A.VideoURL, "Range", "bytes=0-9,20-29"); r.status != http.StatusPartialContent || !strings.HasPrefix(r.header.Get("Content-Type"), "multipart/byteranges") {
		t.Errorf("two ranges = %d, %s; want 206 multipart/byteranges", r.status, r.header.Get("Content-Type"))
	}
}

// offset returns where a Range header starts in a file of the given size.
func offset(rangeHdr string, size int) int {
	spec := strings.TrimPrefix(rangeHdr, "bytes=")
	if strings.HasPrefix(spec, "-") {
		n, _ := strconv.Atoi(spec[1:])
		return size - n
	}
	n, _ := strconv.Atoi(strings.SplitN(spec, "-", 2)[0])
	return n
}
