package media

import (
	"errors"
	"testing"
)

func TestSniff(t *testing.T) {
	cases := []struct {
		name    string
		head    []byte
		want    string
		wantErr error
	}{
		{"MP4", fixture(t, "clip.mp4"), MIMEMP4, nil},
		{"WebM", fixture(t, "clip.webm"), MIMEWebM, nil},
		{"QuickTime brand", []byte("\x00\x00\x00\x14ftypqt  \x00\x00\x02\x00qt  "), MIMEQuickTime, nil},
		{"QuickTime without ftyp", []byte("\x00\x00\x00\x08wide\x00\x00\x10\x00mdat"), MIMEQuickTime, nil},
		{"Matroska", []byte("\x1a\x45\xdf\xa3\x8f\x42\x82\x88matroska\x42\x87\x81\x04"), MIMEMatroska, nil},
		{"EBML of another kind", []byte("\x1a\x45\xdf\xa3\x8a\x42\x82\x85hello\x42\x87\x81\x01"), "", ErrUnsupported},
		{"EBML cut before DocType", []byte("\x1a\x45\xdf\xa3\x9f"), "", ErrCorrupt},
		{"AVIF", []byte("\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf"), "", ErrUnsupported},
		{"M4A audio", []byte("\x00\x00\x00\x18ftypM4A \x00\x00\x02\x00M4A isom"), "", ErrUnsupported},
		{"PNG", pngBytes(t, 8, 8, ""), "", ErrUnsupported},
		{"GIF", []byte("GIF89a\x01\x00\x01\x00"), "", ErrUnsupported},
		{"empty", nil, "", ErrEmpty},
		{"short", []byte("ab"), "", ErrUnsupported},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			head := tc.head[:min(len(tc.head), SniffLen)]
			got, err := Sniff(head)
			if got != tc.want || !errors.Is(err, tc.wantErr) || (err == nil) != (tc.wantErr == nil) {
				t.Errorf("Sniff = %q, %v; want %q, %v", got, err, tc.want, tc.wantErr)
			}
		})
	}
}

func TestSniffImage(t *testing.T) {
	cases := []struct {
		name    string
		head    []byte
		want    string
		wantErr error
	}{
		{"PNG", pngBytes(t, 8, 8, ""), MIMEPNG, nil},
		{"JPEG", []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00"), MIMEJPEG, nil},
		{"WebP", fixture(t, "image.webp"), MIMEWebP, nil},
		{"MP4", fixture(t, "clip.mp4"), "", ErrUnsupported},
		{"empty", nil, "", ErrEmpty},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := SniffImage(tc.head[:min(len(tc.head), SniffLen)])
			if got != tc.want || !errors.Is(err, tc.wantErr) || (err == nil) != (tc.wantErr == nil) {
				t.Errorf("SniffImage = %q, %v; want %q, %v", got, err, tc.want, tc.wantErr)
			}
		})
	}
}

// FuzzSniff checks that Sniff never panics and always answers with either a
// type or an error.
func FuzzSniff(f *testing.F) {
	f.Add(fixture(f, "clip.mp4")[:SniffLen])
	f.Add(fixture(f, "clip.webm")[:SniffLen])
	f.Fuzz(func(t *testing.T, head []byte) {
		mime, err := Sniff(head)
		if (mime == "") == (err == nil) {
			t.Fatalf("Sniff = %q, %v: want exactly one of a type and an error", mime, err)
		}
		if _, err := SniffImage(head); err != nil && !errors.Is(err, ErrUnsupported) && !errors.Is(err, ErrEmpty) {
			t.Fatalf("SniffImage error %v is neither ErrUnsupported nor ErrEmpty", err)
		}
	})
}
