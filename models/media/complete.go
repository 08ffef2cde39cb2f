package media

import (
	"errors"
	"fmt"
	"io"
	"math"
	"os"

	"github.com/abema/go-mp4"
)

// checkCompleteFile runs checkComplete on the file at path.
func checkCompleteFile(path string, size int64, mime string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return checkComplete(f, size, mime)
}

// checkComplete rejects truncated uploads from the container's own sizes:
// probes read only the index, which can be intact while the media data after
// it is cut off.
func checkComplete(r io.ReadSeeker, size int64, mime string) error {
	switch mime {
	case MIMEWebM, MIMEMatroska:
		return checkCompleteEBML(r, size)
	}
	return checkCompleteBMFF(r, size)
}

// checkCompleteBMFF walks the top-level boxes: each must end inside the file,
// and one of them must be the moov index without which nothing plays.
func checkCompleteBMFF(r io.ReadSeeker, size int64) error {
	var off uint64
	sawMoov := false
	for n := 0; off < uint64(size); n++ {
		if n == maxTopLevelBoxes {
			return fmt.Errorf("%w: more than %d top-level boxes", ErrCorrupt, maxTopLevelBoxes)
		}
		if _, err := r.Seek(int64(off), io.SeekStart); err != nil {
			return err
		}
		bi, err := mp4.ReadBoxInfo(r)
		if err != nil {
			return fmt.Errorf("%w: unreadable box header at byte %d (the file may be truncated)", ErrCorrupt, off)
		}
		if bi.Size < bi.HeaderSize {
			return fmt.Errorf("%w: box %q at byte %d has an impossible size %d", ErrCorrupt, bi.Type, off, bi.Size)
		}
		if bi.Size > uint64(size)-off {
			return fmt.Errorf("%w: box %q at byte %d needs %d bytes but the file ends after %d: the upload is truncated",
				ErrCorrupt, bi.Type, off, bi.Size, uint64(size)-off)
		}
		if bi.Type == mp4.BoxTypeMoov() {
			sawMoov = true
		}
		off += bi.Size
	}
	if !sawMoov {
		return fmt.Errorf("%w: no moov box (the index that makes an MP4 playable); the file is incomplete or was still being written", ErrCorrupt)
	}
	return nil
}

// EBML element IDs checkCompleteEBML needs.
const (
	ebmlIDHeader  = 0x1A45DFA3
	ebmlIDSegment = 0x18538067
)

// checkCompleteEBML checks that the Segment, which holds everything in a WebM
// or Matroska file, fits in the file. Live recordings write an unknown size,
// which is allowed.
func checkCompleteEBML(r io.ReadSeeker, size int64) error {
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return err
	}
	br := &countingReader{r: r}
	for range 16 { // the Segment follows the header, perhaps after Void elements
		id, err := readVint(br, false)
		if err != nil {
			return fmt.Errorf("%w: unreadable EBML element at byte %d (the file may be truncated)", ErrCorrupt, br.n)
		}
		n, err := readVint(br, true)
		if err != nil {
			return fmt.Errorf("%w: unreadable EBML element size at byte %d", ErrCorrupt, br.n)
		}
		if id == ebmlIDSegment {
			if n == vintUnknown {
				return nil
			}
			if n > uint64(size-br.n) {
				return fmt.Errorf("%w: the Segment needs %d bytes but the file ends after %d: the upload is truncated",
					ErrCorrupt, n, size-br.n)
			}
			return nil
		}
		if n == vintUnknown || n > uint64(size-br.n) {
			return fmt.Errorf("%w: EBML element %#x at byte %d runs past the end of the file", ErrCorrupt, id, br.n)
		}
		if _, err := r.Seek(int64(n), io.SeekCurrent); err != nil {
			return err
		}
		br.n += int64(n)
	}
	return fmt.Errorf("%w: no Segment element", ErrCorrupt)
}

// vintUnknown is the value readVint returns for an all-ones size: "unknown".
const vintUnknown = math.MaxUint64

// readVint reads an EBML variable-length integer. IDs keep their length
// marker bit; sizes drop it, and an all-ones size reads as vintUnknown.
func readVint(r io.Reader, isSize bool) (uint64, error) {
	var b [8]byte
	if _, err := io.ReadFull(r, b[:1]); err != nil {
		return 0, err
	}
	length := 1
	for mask := byte(0x80); b[0]&mask == 0; mask >>= 1 {
		length++
		if length > 8 {
			return 0, errors.New("invalid EBML variable-length integer")
		}
	}
	if _, err := io.ReadFull(r, b[1:length]); err != nil {
		return 0, err
	}
	v := uint64(b[0])
	if isSize {
		v &= uint64(0xFF >> length)
	}
	allOnes := v == uint64(0xFF>>length)
	for _, c := range b[1:length] {
		v = v<<8 | uint64(c)
		allOnes = allOnes && c == 0xFF
	}
	if isSize && allOnes {
		return vintUnknown, nil
	}
	return v, nil
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
