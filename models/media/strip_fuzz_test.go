package media

import (
	"bytes"
	"testing"
)

// FuzzStripImage feeds arbitrary bytes to the PNG, JPEG and WebP metadata
// strippers that every uploaded source image passes through. They must
// never panic, never grow the input, and stripping their output again must
// change nothing: what was dropped once is gone.
func FuzzStripImage(f *testing.F) {
	png := []byte("\x89PNG\r\n\x1a\n" +
		"\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90\x77\x53\xde" +
		"\x00\x00\x00\x05tEXtmodel\x00\x00\x00\x00" +
		"\x00\x00\x00\x00IEND\xae\x42\x60\x82")
	jpeg := []byte("\xff\xd8" +
		"\xff\xe1\x00\x08Exif\x00\x00" +
		"\xff\xfe\x00\x07model" +
		"\xff\xda\x00\x08\x01\x01\x00\x00\x3f\x00" +
		"\x12\x34\xff\xd9")
	webp := []byte("RIFF\x24\x00\x00\x00WEBP" +
		"VP8X\x0a\x00\x00\x00\x0c\x00\x00\x00\x00\x00\x00\x00\x00\x00" +
		"EXIF\x05\x00\x00\x00model\x00")
	f.Add(png)
	f.Add(jpeg)
	f.Add(webp)
	f.Add(png[:20])
	f.Add([]byte("\xff\xd8\xff\xc0\x00\x01"))
	f.Add([]byte("\x89PNG\r\n\x1a\n\xff\xff\xff\xffIDAT"))
	f.Fuzz(func(t *testing.T, in []byte) {
		for name, strip := range map[string]func(*bytes.Reader, *bytes.Buffer) error{
			"png":  func(r *bytes.Reader, w *bytes.Buffer) error { return stripPNG(r, w) },
			"jpeg": func(r *bytes.Reader, w *bytes.Buffer) error { return stripJPEG(r, w) },
			"webp": func(r *bytes.Reader, w *bytes.Buffer) error { return stripWebP(r, w) },
		} {
			var out bytes.Buffer
			if err := strip(bytes.NewReader(in), &out); err != nil {
				continue
			}
			if out.Len() > len(in) {
				t.Fatalf("%s: stripping grew %d bytes to %d", name, len(in), out.Len())
			}
			var again bytes.Buffer
			if err := strip(bytes.NewReader(out.Bytes()), &again); err != nil {
				t.Fatalf("%s: stripped output is refused when stripped again: %v", name, err)
			}
			if !bytes.Equal(again.Bytes(), out.Bytes()) {
				t.Fatalf("%s: stripping is not idempotent", name)
			}
		}
	})
}
