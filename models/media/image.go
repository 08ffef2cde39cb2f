package media

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"os"

	"golang.org/x/image/webp"
)

// maxImagePixels bounds a source image's picture size (about 8K x 6K), so a
// tiny file claiming a giant picture cannot make browsers or thumbnailers
// allocate gigabytes.
const maxImagePixels = 50_000_000

// PutImage stores a source image for an image-to-video prompt: PNG, JPEG or
// WebP, recognised by content. It reads only the image header for the
// picture size, never the whole picture. PNG text, time and unknown chunks,
// JPEG comments and APPn segments (EXIF, XMP, C2PA, maker notes), and WebP
// EXIF, XMP and unknown chunks are dropped without re-encoding; colour
// profiles are kept. EXIF orientation goes with EXIF, so images should be
// stored upright.
func (s *Store) PutImage(ctx context.Context, r io.Reader, maxBytes int64) (Stored, error) {
	var temps tempFiles
	defer temps.removeAll()

	up, err := s.receive(ctx, r, maxBytes, &temps)
	if err != nil {
		return Stored{}, err
	}
	mime, err := SniffImage(up.head)
	if err != nil {
		return Stored{}, err
	}
	info, err := imageInfo(up.path, mime)
	if err != nil {
		return Stored{}, err
	}

	st := Stored{SHA256: up.sha256, Key: up.sha256, Size: up.size, Info: info}
	final := up.path
	var strip func(io.Reader, io.Writer) error
	switch mime {
	case MIMEPNG:
		strip = stripPNG
	case MIMEJPEG:
		strip = stripJPEG
	case MIMEWebP:
		strip = stripWebP
	}
	if strip != nil {
		out, err := s.rewrite(up.path, strip, &temps)
		if err != nil {
			return Stored{}, err
		}
		if st.Key, st.Size, err = hashFile(out); err != nil {
			return Stored{}, err
		}
		final, st.MetadataStripped = out, true
	}
	if st.Existed, err = s.commit(ctx, final, st.Key, st.Size, &temps); err != nil {
		return Stored{}, err
	}
	return st, nil
}

// imageInfo reads the picture size from the image header.
func imageInfo(path, mime string) (Info, error) {
	f, err := os.Open(path)
	if err != nil {
		return Info{}, err
	}
	defer f.Close()
	var cfg image.Config
	switch mime {
	case MIMEPNG:
		cfg, err = png.DecodeConfig(f)
	case MIMEJPEG:
		cfg, err = jpeg.DecodeConfig(f)
	case MIMEWebP:
		cfg, err = webp.DecodeConfig(f)
	}
	if err != nil {
		return Info{}, fmt.Errorf("%w: unreadable image header: %v", ErrCorrupt, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return Info{}, fmt.Errorf("%w: the image has no picture size", ErrCorrupt)
	}
	if int64(cfg.Width)*int64(cfg.Height) > maxImagePixels {
		return Info{}, fmt.Errorf("%w: a %dx%d picture is more than %d pixels", ErrTooLarge, cfg.Width, cfg.Height, maxImagePixels)
	}
	return Info{MIME: mime, Width: cfg.Width, Height: cfg.Height}, nil
}

// rewrite copies the file at in through filter into a new temporary file.
func (s *Store) rewrite(in string, filter func(io.Reader, io.Writer) error, temps *tempFiles) (string, error) {
	src, err := os.Open(in)
	if err != nil {
		return "", err
	}
	defer src.Close()
	dst, err := os.CreateTemp(s.tmpDir, "strip-*")
	if err != nil {
		return "", err
	}
	temps.add(dst.Name())
	w := bufio.NewWriter(dst)
	err = filter(bufio.NewReader(src), w)
	if err == nil {
		err = w.Flush()
	}
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return "", err
	}
	return dst.Name(), nil
}

// keepPNGChunk reports whether a PNG chunk is kept: critical chunks and the
// ancillary ones that change how the picture looks or animates. Text, time,
// EXIF and unknown private chunks (C2PA's caBX among them) are dropped.
func keepPNGChunk(typ string) bool {
	if typ[0]&0x20 == 0 { // uppercase first letter: critical
		return true
	}
	switch typ {
	case "tRNS", "gAMA", "cHRM", "sRGB", "iCCP", "cICP", "sBIT", "pHYs", "bKGD", "acTL", "fcTL", "fdAT":
		return true
	}
	return false
}

// stripPNG copies a PNG up to its IEND chunk, dropping metadata chunks.
func stripPNG(r io.Reader, w io.Writer) error {
	var sig [8]byte
	if _, err := io.ReadFull(r, sig[:]); err != nil {
		return fmt.Errorf("%w: truncated PNG", ErrCorrupt)
	}
	if _, err := w.Write(sig[:]); err != nil {
		return err
	}
	for {
		var hdr [8]byte
		if _, err := io.ReadFull(r, hdr[:]); err != nil {
			return fmt.Errorf("%w: the PNG ends before its IEND chunk (truncated)", ErrCorrupt)
		}
		length := int64(binary.BigEndian.Uint32(hdr[:4]))
		typ := string(hdr[4:8])
		dst := io.Discard
		if keepPNGChunk(typ) {
			dst = w
			if _, err := w.Write(hdr[:]); err != nil {
				return err
			}
		}
		if _, err := io.CopyN(dst, r, length+4); err != nil { // data and CRC
			if errors.Is(err, io.EOF) {
				return fmt.Errorf("%w: the PNG ends inside chunk %q (truncated)", ErrCorrupt, typ)
			}
			return err
		}
		if typ == "IEND" {
			return nil
		}
	}
}

// keepJPEGSegment reports whether a JPEG marker segment is kept. APP1-APP15
// and COM hold EXIF, XMP, C2PA, maker notes and comments, and are dropped,
// except the ICC profile (APP2) and the Adobe colour transform (APP14), which
// decide the colours.
func keepJPEGSegment(marker byte, payload []byte) bool {
	switch {
	case marker == 0xFE:
		return false
	case marker == 0xE2:
		return bytes.HasPrefix(payload, []byte("ICC_PROFILE\x00"))
	case marker == 0xEE:
		return bytes.HasPrefix(payload, []byte("Adobe"))
	case marker > 0xE0 && marker <= 0xEF:
		return false
	}
	return true
}

// stripJPEG copies a JPEG, dropping metadata segments before the first scan
// and keeping the entropy-coded data after it as is.
func stripJPEG(r io.Reader, w io.Writer) error {
	br := bufio.NewReader(r)
	var soi [2]byte
	if _, err := io.ReadFull(br, soi[:]); err != nil || soi != [2]byte{0xFF, 0xD8} {
		return fmt.Errorf("%w: no JPEG start marker", ErrCorrupt)
	}
	if _, err := w.Write(soi[:]); err != nil {
		return err
	}
	truncated := fmt.Errorf("%w: the JPEG ends before its image data (truncated)", ErrCorrupt)
	for {
		b, err := br.ReadByte()
		if err != nil {
			return truncated
		}
		if b != 0xFF {
			return fmt.Errorf("%w: malformed JPEG marker", ErrCorrupt)
		}
		marker := byte(0xFF)
		for marker == 0xFF { // fill bytes
			if marker, err = br.ReadByte(); err != nil {
				return truncated
			}
		}
		if marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7) { // no payload
			if _, err := w.Write([]byte{0xFF, marker}); err != nil {
				return err
			}
			continue
		}
		if marker == 0xD9 {
			return truncated
		}
		var lenBuf [2]byte
		if _, err := io.ReadFull(br, lenBuf[:]); err != nil {
			return truncated
		}
		n := int(binary.BigEndian.Uint16(lenBuf[:]))
		if n < 2 {
			return fmt.Errorf("%w: malformed JPEG segment length", ErrCorrupt)
		}
		payload := make([]byte, n-2)
		if _, err := io.ReadFull(br, payload); err != nil {
			return truncated
		}
		if !keepJPEGSegment(marker, payload) {
			continue
		}
		for _, part := range [][]byte{{0xFF, marker}, lenBuf[:], payload} {
			if _, err := w.Write(part); err != nil {
				return err
			}
		}
		if marker == 0xDA { // start of scan: the rest is image data
			tail := &lastTwo{}
			if _, err := io.Copy(io.MultiWriter(w, tail), br); err != nil {
				return err
			}
			if tail.b != [2]byte{0xFF, 0xD9} {
				return fmt.Errorf("%w: the JPEG has no end marker (truncated, or data appended after the picture)", ErrCorrupt)
			}
			return nil
		}
	}
}

// lastTwo remembers the last two bytes written to it.
type lastTwo struct{ b [2]byte }

func (l *lastTwo) Write(p []byte) (int, error) {
	switch len(p) {
	case 0:
	case 1:
		l.b = [2]byte{l.b[1], p[0]}
	default:
		l.b = [2]byte{p[len(p)-2], p[len(p)-1]}
	}
	return len(p), nil
}
