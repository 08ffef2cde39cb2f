package media

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"image"
	"image/jpeg"
	"testing"

	_ "golang.org/x/image/webp" // registers WebP with image.Decode
)

// jpegBytes encodes a small JPEG with a comment and an EXIF-like APP1 segment
// right after the start marker.
func jpegBytes(t *testing.T, w, h int, text string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, image.NewGray(image.Rect(0, 0, w, h)), nil); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	segment := func(marker byte, payload string) []byte {
		n := len(payload) + 2
		return append([]byte{0xFF, marker, byte(n >> 8), byte(n)}, payload...)
	}
	out := append([]byte{}, b[:2]...)
	out = append(out, segment(0xE1, "Exif\x00\x00"+text)...)
	out = append(out, segment(0xFE, text)...)
	return append(out, b[2:]...)
}

// webpWithMetadata turns a simple WebP file into the extended format with
// EXIF, XMP and an unknown chunk, each carrying text, after the picture.
func webpWithMetadata(t *testing.T, simple []byte, w, h int, text string) []byte {
	t.Helper()
	chunk := func(typ string, payload []byte) []byte {
		c := append([]byte(typ), 0, 0, 0, 0)
		binary.LittleEndian.PutUint32(c[4:], uint32(len(payload)))
		c = append(c, payload...)
		if len(payload)%2 == 1 {
			c = append(c, 0)
		}
		return c
	}
	vp8x := make([]byte, 10)
	vp8x[0] = webpFlagEXIF | webpFlagXMP
	vp8x[4], vp8x[5], vp8x[6] = byte(w-1), byte((w-1)>>8), byte((w-1)>>16)
	vp8x[7], vp8x[8], vp8x[9] = byte(h-1), byte((h-1)>>8), byte((h-1)>>16)
	body := []byte("WEBP")
	body = append(body, chunk("VP8X", vp8x)...)
	body = append(body, simple[12:]...) // the picture chunk
	body = append(body, chunk("EXIF", []byte("MM\x00*"+text))...)
	body = append(body, chunk("XMP ", []byte("<x:xmpmeta>"+text+"</x:xmpmeta>"))...)
	body = append(body, chunk("c2pa", []byte(text))...)
	out := append([]byte("RIFF"), 0, 0, 0, 0)
	binary.LittleEndian.PutUint32(out[4:], uint32(len(body)))
	return append(out, body...)
}

func TestPutImage(t *testing.T) {
	png := pngBytes(t, 48, 27, "Comment\x00made with veo-3")
	jpg := jpegBytes(t, 40, 30, "veo-3 by Google")
	webpPlain := fixture(t, "image.webp")
	webpMeta := webpWithMetadata(t, webpPlain, 64, 36, "veo-3 by Google")
	cases := []struct {
		name         string
		body         []byte
		wantMIME     string
		wantW, wantH int
		wantStripped bool
		wantErr      error
	}{
		{"PNG with a text chunk", png, MIMEPNG, 48, 27, true, nil},
		{"JPEG with EXIF and a comment", jpg, MIMEJPEG, 40, 30, true, nil},
		{"WebP", webpPlain, MIMEWebP, 64, 36, true, nil},
		{"WebP with EXIF, XMP and an unknown chunk", webpMeta, MIMEWebP, 64, 36, true, nil},
		{"WebP cut short", webpMeta[:len(webpMeta)-9], "", 0, 0, false, ErrCorrupt},
		{"PNG cut short", png[:len(png)-20], "", 0, 0, false, ErrCorrupt},
		{"JPEG cut short", jpg[:len(jpg)-10], "", 0, 0, false, ErrCorrupt},
		{"video", fixture(t, "clip.mp4"), "", 0, 0, false, ErrUnsupported},
		{"empty", nil, "", 0, 0, false, ErrEmpty},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, dir := newStore(t, false)
			got, err := s.PutImage(context.Background(), bytes.NewReader(tc.body), 1<<20)
			assertNoTemps(t, dir)
			if tc.wantErr != nil {
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("PutImage error = %v, want %v", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Info.MIME != tc.wantMIME || got.Info.Width != tc.wantW || got.Info.Height != tc.wantH || got.MetadataStripped != tc.wantStripped {
				t.Errorf("PutImage = %+v", got)
			}
			stored := readBlob(t, s, got.Key)
			if bytes.Contains(stored, []byte("veo")) {
				t.Error("the stored image still names a model")
			}
			if _, _, err := image.DecodeConfig(bytes.NewReader(stored)); err != nil {
				t.Errorf("the stored image's header does not decode: %v", err)
			}
			if _, _, err := image.Decode(bytes.NewReader(stored)); err != nil {
				t.Errorf("the stored image does not decode: %v", err)
			}
			if tc.wantMIME == MIMEWebP && stored[20]&(webpFlagEXIF|webpFlagXMP) != 0 && string(stored[12:16]) == "VP8X" {
				t.Error("the stored WebP still announces EXIF or XMP")
			}
		})
	}
}
