package media

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"strings"
	"testing"
)

// probeReads counts what a probe reads: bytes and calls.
type probeReads struct {
	io.ReadSeeker
	n, calls int
}

func (c *probeReads) Read(p []byte) (int, error) {
	n, err := c.ReadSeeker.Read(p)
	c.n += n
	c.calls++
	return n, err
}

// box is an ISO BMFF box with the given type around payload.
func box(typ string, payload []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(8+len(payload)))
	return append(append(b, typ...), payload...)
}

// ftypMP4 is the file-type box every MP4 starts with.
func ftypMP4() []byte { return box("ftyp", []byte("isom\x00\x00\x02\x00isomiso2mp41")) }

// hostileBMFF is a small file whose index nests trak boxes depth deep.
func nestedTraks(depth int) []byte {
	inner := box("trak", nil)
	for range depth - 1 {
		inner = box("trak", inner)
	}
	return append(ftypMP4(), box("moov", inner)...)
}

// manyTraks is a small file with n empty tracks.
func manyTraks(n int) []byte {
	return append(ftypMP4(), box("moov", bytes.Repeat(box("trak", nil), n))...)
}

// A few kilobytes must not make the Go probe recurse or allocate without
// bound: nesting and track counts past any real clip fail fast.
func TestProbeGo_HostileIndexesFailFast(t *testing.T) {
	cases := []struct {
		name string
		body []byte
		want string
	}{
		{"trak nested 20000 deep", nestedTraks(20000), "nested"},
		{"5000 tracks", manyTraks(5000), "tracks"},
		{"200000 boxes", append(ftypMP4(), box("moov", bytes.Repeat(box("free", nil), 200000))...), "boxes"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := &probeReads{ReadSeeker: bytes.NewReader(c.body)}
			_, err := probeGo(r, MIMEMP4)
			if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want ErrCorrupt about %s", err, c.want)
			}
			// Fast is counted in reads, not seconds, which a busy machine
			// stretches: no byte is read twice, and the probe stops at its
			// box limit, about a read a box.
			if r.n > len(c.body) || r.calls > maxIndexBoxes+100 {
				t.Errorf("read %d bytes of %d in %d reads, want each byte at most once and at most %d reads", r.n, len(c.body), r.calls, maxIndexBoxes+100)
			}
		})
	}
	// The same shapes within the limits are still read (and then refused
	// only for what they lack).
	if _, err := probeGo(bytes.NewReader(manyTraks(3)), MIMEMP4); err == nil || strings.Contains(err.Error(), "tracks") {
		t.Errorf("three tracks: err = %v, want only the missing video stream", err)
	}
}
