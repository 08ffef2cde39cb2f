package media

import (
	"bytes"
	"context"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// fixture reads a file under testdata.
func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// needFFmpeg returns the ffmpeg path or skips the test, saying why.
func needFFmpeg(t testing.TB) string {
	t.Helper()
	path, err := exec.LookPath("ffmpeg")
	if err != nil {
		t.Skip("ffmpeg is not installed: skipping the checks that need it (install the ffmpeg package to run them)")
	}
	if _, err := exec.LookPath("ffprobe"); err != nil {
		t.Skip("ffprobe is not installed: skipping the checks that need it (install the ffmpeg package to run them)")
	}
	return path
}

// makeClip runs ffmpeg with args and the output path last, and returns the
// file's bytes. Sources are lavfi test patterns, so nothing is downloaded.
func makeClip(t testing.TB, name string, args ...string) []byte {
	t.Helper()
	ffmpeg := needFFmpeg(t)
	out := filepath.Join(t.TempDir(), name)
	cmd := exec.Command(ffmpeg, append(append([]string{"-v", "error", "-nostdin", "-y"}, args...), out)...)
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg %v: %v\n%s", args, err, msg)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// newStore makes a store in a temporary directory, with or without ffmpeg.
func newStore(t testing.TB, withFFmpeg bool) (*Store, string) {
	t.Helper()
	if withFFmpeg {
		needFFmpeg(t)
	}
	dir := t.TempDir()
	s, err := NewStore(dir, StoreOptions{DisableFFmpeg: !withFFmpeg})
	if err != nil {
		t.Fatal(err)
	}
	if s.CanTranscode() != withFFmpeg {
		t.Fatalf("CanTranscode() = %v, want %v", s.CanTranscode(), withFFmpeg)
	}
	return s, dir
}

// assertNoTemps fails when a call left anything in the store's tmp directory.
func assertNoTemps(t testing.TB, dataDir string) {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(dataDir, "tmp"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Errorf("temporary file left behind: %s", e.Name())
	}
}

// readBlob returns the stored bytes for key.
func readBlob(t testing.TB, s *Store, key string) []byte {
	t.Helper()
	f, err := s.Open(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(f); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// put stores b as a rendition with a generous limit.
func put(t testing.TB, s *Store, b []byte) (Stored, error) {
	t.Helper()
	return s.PutRendition(context.Background(), bytes.NewReader(b), 1<<30)
}

// pngBytes encodes a small PNG, optionally with a tEXt chunk after IHDR.
func pngBytes(t testing.TB, w, h int, text string) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range w {
		img.Set(i, i%h, color.RGBA{R: 200, A: 255})
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	if text == "" {
		return b
	}
	// The signature (8) and IHDR (4+4+13+4) come first.
	chunk := binary.BigEndian.AppendUint32(nil, uint32(len(text)))
	chunk = append(chunk, "tEXt"+text...)
	chunk = binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(chunk[4:]))
	return append(append(append([]byte{}, b[:33]...), chunk...), b[33:]...)
}

// uuidBox is a top-level ISO BMFF uuid box carrying text, the way C2PA and
// XMP manifests are attached to MP4 files.
func uuidBox(text string) []byte {
	box := binary.BigEndian.AppendUint32(nil, uint32(8+16+len(text)))
	box = append(box, "uuid"...)
	box = append(box, bytes.Repeat([]byte{0xD8}, 16)...)
	return append(box, text...)
}
