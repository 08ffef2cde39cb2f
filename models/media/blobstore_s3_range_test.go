package media

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"sync/atomic"
	"testing"
)

// countingTransport counts the requests a store sends.
type countingTransport struct {
	next http.RoundTripper
	n    atomic.Int64
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.next.RoundTrip(r)
}

// TestS3Store_OpenRange checks that a blob opened for a range reads the
// right bytes, knows its size, can still be read anywhere, and that a
// bounded range costs the bucket one request (Open's HEAD and then a GET
// cost two, and a GET that ran to the end of the object was cut off, with
// its connection, once the range had been served).
func TestS3Store_OpenRange(t *testing.T) {
	ct := &countingTransport{next: newS3HTTPClient().Transport}
	s := testS3Store(t, func(o *S3Options) { o.HTTPClient = &http.Client{Transport: ct} })
	ctx := context.Background()
	b, key := blobOf(300_000, 3)
	putBlob(t, s, b, key)
	size := int64(len(b))
	cases := []struct {
		name        string
		start, last int64
		want        []byte
		requests    int64
	}{
		{"first 100 bytes", 0, 99, b[:100], 1},
		{"a range in the middle", 100_000, 199_999, b[100_000:200_000], 1},
		{"the last byte", size - 1, size - 1, b[size-1:], 1},
		{"last past the end", 250_000, size + 5000, b[250_000:], 1},
		{"open-ended, within the first window", size - 1000, -1, b[size-1000:], 1},
		{"open-ended, past the first window", 1000, -1, b[1000:], 2},
		{"from past the end", size + 10, -1, nil, 1 + 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := ct.n.Load()
			blob, err := s.OpenRange(ctx, key, tc.start, tc.last)
			if err != nil {
				t.Fatal(err)
			}
			defer blob.Close()
			if blob.Size() != size {
				t.Errorf("Size = %d, want %d", blob.Size(), size)
			}
			if tc.want != nil {
				if _, err := blob.Seek(tc.start, io.SeekStart); err != nil {
					t.Fatal(err)
				}
				got := make([]byte, len(tc.want))
				if _, err := io.ReadFull(blob, got); err != nil || !bytes.Equal(got, tc.want) {
					t.Fatalf("read %v or wrong bytes", err)
				}
			}
			if n := ct.n.Load() - before; n != tc.requests {
				t.Errorf("%d requests to the bucket, want %d", n, tc.requests)
			}
			// The blob reads anywhere else too.
			got := make([]byte, 50)
			if n, err := blob.ReadAt(got, 10); n != 50 || err != nil || !bytes.Equal(got, b[10:60]) {
				t.Errorf("ReadAt elsewhere = %d, %v or wrong bytes", n, err)
			}
		})
	}
	if _, err := s.OpenRange(ctx, key[:63]+"0", 0, 99); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("OpenRange of a missing blob: %v, want fs.ErrNotExist", err)
	}
	if _, err := s.OpenRange(ctx, "../x", 0, 99); !errors.Is(err, ErrInvalidKey) {
		t.Errorf("OpenRange of a bad key: %v, want ErrInvalidKey", err)
	}
}

func TestParseContentRange(t *testing.T) {
	cases := []struct {
		in                string
		first, last, size int64
		ok                bool
	}{
		{"bytes 0-99/300", 0, 99, 300, true},
		{"bytes 5-5/6", 5, 5, 6, true},
		{"bytes 0-99/*", 0, 0, 0, false},
		{"bytes */300", 0, 0, 0, false},
		{"0-99/300", 0, 0, 0, false},
		{"", 0, 0, 0, false},
	}
	for _, tc := range cases {
		first, last, size, ok := parseContentRange(tc.in)
		if ok != tc.ok || ok && (first != tc.first || last != tc.last || size != tc.size) {
			t.Errorf("parseContentRange(%q) = %d, %d, %d, %v", tc.in, first, last, size, ok)
		}
	}
}
