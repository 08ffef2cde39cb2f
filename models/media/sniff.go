package media

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"net/http"

	"github.com/at-wat/ebml-go"
)

// MIME types of the clips and source images the store accepts.
const (
	MIMEMP4       = "video/mp4"
	MIMEQuickTime = "video/quicktime"
	MIMEWebM      = "video/webm"
	MIMEMatroska  = "video/x-matroska"
	MIMEPNG       = "image/png"
	MIMEJPEG      = "image/jpeg"
	MIMEWebP      = "image/webp"
)

// SniffLen is how many leading bytes Sniff and SniffImage need to decide;
// fewer are fine when the file is shorter.
const SniffLen = 512

const (
	acceptedVideo = "accepted are MP4 (video/mp4), QuickTime (video/quicktime), WebM (video/webm) and Matroska (video/x-matroska)"
	acceptedImage = "accepted are PNG (image/png), JPEG (image/jpeg) and WebP (image/webp)"
)

// ebmlMagic is the EBML header element ID that starts WebM and Matroska files.
const ebmlMagic = "\x1A\x45\xDF\xA3"

// nonVideoBrand names what an ISO BMFF major brand of a still image or an
// audio-only file holds, and returns "" for any other brand: such files share
// the container with MP4 but are not clips.
func nonVideoBrand(brand string) string {
	switch brand {
	case "heic", "heix", "heim", "heis", "mif1":
		return "a HEIF image"
	case "hevc", "hevx", "msf1":
		return "a HEIF image sequence"
	case "avif", "avis":
		return "an AVIF image"
	case "crx ":
		return "a camera raw image"
	case "M4A ", "M4B ", "M4P ", "F4A ":
		return "an audio file"
	}
	return ""
}

// Sniff tells the clip type from the first bytes of a file (at least SniffLen
// when the file is that long), never from its name: a PNG renamed to .mp4 is
// still a PNG and gets ErrUnsupported. It recognises ISO BMFF (MP4, and
// QuickTime by its "qt  " brand or a classic QuickTime file without ftyp) and
// EBML (WebM and Matroska by their DocType).
func Sniff(head []byte) (string, error) {
	if len(head) == 0 {
		return "", ErrEmpty
	}
	if len(head) >= 12 {
		switch string(head[4:8]) {
		case "ftyp":
			brand := string(head[8:12])
			if what := nonVideoBrand(brand); what != "" {
				return "", fmt.Errorf("%w: this is %s (brand %q); %s", ErrUnsupported, what, brand, acceptedVideo)
			}
			if brand == "qt  " {
				return MIMEQuickTime, nil
			}
			return MIMEMP4, nil
		case "moov", "mdat", "wide", "free", "skip", "pnot":
			// QuickTime files from before ftyp existed start straight with
			// these atoms; an atom size below 8 cannot be one.
			if binary.BigEndian.Uint32(head[0:4]) >= 8 {
				return MIMEQuickTime, nil
			}
		}
	}
	if bytes.HasPrefix(head, []byte(ebmlMagic)) {
		docType, err := ebmlDocType(head)
		if err != nil {
			return "", fmt.Errorf("%w: unreadable EBML header: %v", ErrCorrupt, err)
		}
		switch docType {
		case "webm":
			return MIMEWebM, nil
		case "matroska":
			return MIMEMatroska, nil
		}
		return "", fmt.Errorf("%w: EBML document type %q; %s", ErrUnsupported, docType, acceptedVideo)
	}
	return "", fmt.Errorf("%w: this looks like %s; %s", ErrUnsupported, http.DetectContentType(head), acceptedVideo)
}

// SniffImage tells a source image's type (PNG, JPEG or WebP) from its first
// bytes, the same way Sniff does for clips.
func SniffImage(head []byte) (string, error) {
	switch {
	case len(head) == 0:
		return "", ErrEmpty
	case bytes.HasPrefix(head, []byte("\x89PNG\r\n\x1a\n")):
		return MIMEPNG, nil
	case bytes.HasPrefix(head, []byte{0xFF, 0xD8, 0xFF}):
		return MIMEJPEG, nil
	case len(head) >= 12 && string(head[0:4]) == "RIFF" && string(head[8:12]) == "WEBP":
		return MIMEWebP, nil
	}
	return "", fmt.Errorf("%w: this looks like %s; %s", ErrUnsupported, http.DetectContentType(head), acceptedImage)
}

// ebmlDocType reads the DocType out of the EBML header at the start of head.
func ebmlDocType(head []byte) (string, error) {
	var hdr struct {
		EBML struct {
			DocType string `ebml:"EBMLDocType"`
		} `ebml:"EBML,stop"`
	}
	if len(head) > SniffLen {
		head = head[:SniffLen] // the header is tiny; don't scan a whole file for it
	}
	err := ebml.Unmarshal(bytes.NewReader(head), &hdr,
		ebml.WithIgnoreUnknown(true), ebml.WithMaxLeafElementSize(SniffLen))
	if err != nil && !errors.Is(err, ebml.ErrReadStopped) {
		return "", err
	}
	if hdr.EBML.DocType == "" {
		return "", errors.New("no DocType in the first bytes")
	}
	return hdr.EBML.DocType, nil
}
