package media

import (
	"encoding/binary"
	"fmt"
	"io"
)

// maxWebPBytes bounds the WebP file stripWebP holds in memory. A WebP file
// states its total size in its first bytes, before the chunks that decide
// it, so the stripped file is assembled in memory; source images are far
// smaller (the admin upload allows 20 MB).
const maxWebPBytes = 64 << 20

// keepWebPChunk reports whether a WebP chunk is kept: the picture, its alpha,
// animation and colour profile. EXIF, XMP and unknown chunks are dropped.
func keepWebPChunk(typ string) bool {
	switch typ {
	case "VP8 ", "VP8L", "VP8X", "ALPH", "ANIM", "ANMF", "ICCP":
		return true
	}
	return false
}

// VP8X feature flags for the metadata chunks that stripWebP drops.
const (
	webpFlagEXIF = 0x08
	webpFlagXMP  = 0x04
)

// stripWebP copies a WebP file, dropping its metadata chunks, clearing the
// extended header's EXIF and XMP flags to match, and dropping anything after
// the RIFF container.
func stripWebP(r io.Reader, w io.Writer) error {
	data, err := io.ReadAll(io.LimitReader(r, maxWebPBytes+1))
	if err != nil {
		return err
	}
	if len(data) > maxWebPBytes {
		return fmt.Errorf("%w: a WebP image over %d bytes", ErrTooLarge, maxWebPBytes)
	}
	if len(data) < 12 || string(data[0:4]) != "RIFF" || string(data[8:12]) != "WEBP" {
		return fmt.Errorf("%w: no WebP header", ErrCorrupt)
	}
	end := 8 + int64(binary.LittleEndian.Uint32(data[4:8]))
	if end > int64(len(data)) {
		return fmt.Errorf("%w: the WebP file is shorter than its header says (truncated)", ErrCorrupt)
	}
	var kept [][]byte
	size := 4 // "WEBP"
	for pos := int64(12); pos < end; {
		if end-pos < 8 {
			return fmt.Errorf("%w: the WebP file ends inside a chunk header", ErrCorrupt)
		}
		typ := string(data[pos : pos+4])
		n := int64(binary.LittleEndian.Uint32(data[pos+4 : pos+8]))
		next := pos + 8 + n + n&1 // chunks are padded to an even size
		if next > end {
			return fmt.Errorf("%w: the WebP file ends inside chunk %q (truncated)", ErrCorrupt, typ)
		}
		if keepWebPChunk(typ) {
			chunk := data[pos:next]
			if typ == "VP8X" && n >= 1 {
				chunk[8] &^= webpFlagEXIF | webpFlagXMP
			}
			kept = append(kept, chunk)
			size += len(chunk)
		}
		pos = next
	}
	var hdr [12]byte
	copy(hdr[0:4], "RIFF")
	binary.LittleEndian.PutUint32(hdr[4:8], uint32(size))
	copy(hdr[8:12], "WEBP")
	if _, err := w.Write(hdr[:]); err != nil {
		return err
	}
	for _, c := range kept {
		if _, err := w.Write(c); err != nil {
			return err
		}
	}
	return nil
}
