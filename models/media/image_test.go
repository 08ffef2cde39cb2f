package media

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/jpeg"
	"testing"
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

func TestPutImage(t *testing.T) {
	png := pngBytes(t, 48, 27, "Comment\x00made with veo-3")
	jpg := jpegBytes(t, 40, 30, "veo-3 by Google")
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
		{"WebP", fixture(t, "image.webp"), MIMEWebP, 64, 36, false, nil},
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
			if _, _, err := image.DecodeConfig(bytes.NewReader(stored)); err != nil && tc.wantMIME != MIMEWebP {
				t.Errorf("the stored image does not decode: %v", err)
			}
			if _, _, err := image.Decode(bytes.NewReader(stored)); err != nil && tc.wantMIME != MIMEWebP {
				t.Errorf("the stored image does not decode: %v", err)
			}
		})
	}
}
