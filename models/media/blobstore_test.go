package media

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"slices"
	"strings"
	"testing"
)

// blobStores are the implementations the store suite runs on. An
// implementation that needs a server it cannot find skips itself.
var blobStores = []struct {
	name string
	open func(t *testing.T) BlobStore
}{
	{"dir", func(t *testing.T) BlobStore {
		s, err := NewDirStore(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		return s
	}},
}

// eachBlobStore runs test on every implementation.
func eachBlobStore(t *testing.T, test func(t *testing.T, s BlobStore)) {
	for _, impl := range blobStores {
		t.Run(impl.name, func(t *testing.T) { test(t, impl.open(t)) })
	}
}

// blobOf returns bytes of the given size and their key.
func blobOf(size int, seed byte) ([]byte, string) {
	b := make([]byte, size)
	for i := range b {
		b[i] = byte(i*7) ^ seed
	}
	sum := sha256.Sum256(b)
	return b, hex.EncodeToString(sum[:])
}

func putBlob(t *testing.T, s BlobStore, b []byte, key string) {
	t.Helper()
	existed, err := s.Put(context.Background(), key, bytes.NewReader(b), int64(len(b)))
	if err != nil || existed {
		t.Fatalf("Put = %v, %v; want stored anew", existed, err)
	}
}

func TestBlobStore_PutOpenStatDelete(t *testing.T) {
	eachBlobStore(t, func(t *testing.T, s BlobStore) {
		ctx := context.Background()
		b, key := blobOf(300_000, 1)
		if ok, err := s.Exists(ctx, key); ok || err != nil {
			t.Fatalf("Exists before Put = %v, %v", ok, err)
		}
		putBlob(t, s, b, key)
		if existed, err := s.Put(ctx, key, failingReader{}, int64(len(b))); !existed || err != nil {
			t.Fatalf("second Put = %v, %v; want existed without reading", existed, err)
		}
		if ok, err := s.Exists(ctx, key); !ok || err != nil {
			t.Fatalf("Exists after Put = %v, %v", ok, err)
		}
		if info, err := s.Stat(ctx, key); err != nil || info != (BlobInfo{Key: key, Size: int64(len(b))}) {
			t.Fatalf("Stat = %+v, %v", info, err)
		}
		blob, err := s.Open(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(blob)
		blob.Close()
		if err != nil || !bytes.Equal(got, b) || blob.Size() != int64(len(b)) {
			t.Fatalf("read %d bytes (size %d), %v; want the %d stored", len(got), blob.Size(), err, len(b))
		}
		if err := s.Delete(ctx, key); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Open(ctx, key); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Open after Delete: %v, want fs.ErrNotExist", err)
		}
		if _, err := s.Stat(ctx, key); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Stat after Delete: %v, want fs.ErrNotExist", err)
		}
		if err := s.Delete(ctx, key); err != nil {
			t.Errorf("second Delete: %v, want nil", err)
		}
	})
}

func TestBlobStore_SeekAndReadAt(t *testing.T) {
	eachBlobStore(t, func(t *testing.T, s BlobStore) {
		ctx := context.Background()
		b, key := blobOf(1<<20+123, 2)
		putBlob(t, s, b, key)
		blob, err := s.Open(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		defer blob.Close()
		cases := []struct {
			name   string
			off, n int64
		}{
			{"first two bytes", 0, 2},
			{"middle", 500_000, 70_000},
			{"last ten bytes", int64(len(b)) - 10, 10},
			{"back to the start", 0, 100},
			{"to the end", 1 << 20, int64(len(b)) - 1<<20},
		}
		for _, tc := range cases {
			if pos, err := blob.Seek(tc.off, io.SeekStart); err != nil || pos != tc.off {
				t.Fatalf("%s: Seek = %d, %v", tc.name, pos, err)
			}
			got := make([]byte, tc.n)
			if _, err := io.ReadFull(blob, got); err != nil || !bytes.Equal(got, b[tc.off:tc.off+tc.n]) {
				t.Errorf("%s: Read after Seek: %v or wrong bytes", tc.name, err)
			}
			at := make([]byte, tc.n)
			if n, err := blob.ReadAt(at, tc.off); int64(n) != tc.n || (err != nil && err != io.EOF) || !bytes.Equal(at, b[tc.off:tc.off+tc.n]) {
				t.Errorf("%s: ReadAt = %d, %v or wrong bytes", tc.name, n, err)
			}
		}
		if end, err := blob.Seek(0, io.SeekEnd); err != nil || end != int64(len(b)) {
			t.Errorf("Seek to end = %d, %v", end, err)
		}
		if n, err := blob.Read(make([]byte, 10)); n != 0 || err != io.EOF {
			t.Errorf("Read at the end = %d, %v; want 0, io.EOF", n, err)
		}
		if n, err := blob.ReadAt(make([]byte, 20), int64(len(b))-5); n != 5 || err != io.EOF {
			t.Errorf("ReadAt over the end = %d, %v; want 5, io.EOF", n, err)
		}
	})
}

func TestBlobStore_FailedPutLeavesNothing(t *testing.T) {
	eachBlobStore(t, func(t *testing.T, s BlobStore) {
		ctx := context.Background()
		b, key := blobOf(12<<20, 3) // large enough to be sent in parts
		cases := []struct {
			name string
			r    io.Reader
			size int64
		}{
			{"reader fails midway", io.MultiReader(bytes.NewReader(b[:7<<20]), failingReader{}), int64(len(b))},
			{"fewer bytes than announced", bytes.NewReader(b[:1000]), int64(len(b))},
		}
		for _, tc := range cases {
			if _, err := s.Put(ctx, key, tc.r, tc.size); err == nil {
				t.Errorf("%s: Put succeeded", tc.name)
			}
			if ok, err := s.Exists(ctx, key); ok || err != nil {
				t.Errorf("%s: Exists after a failed Put = %v, %v", tc.name, ok, err)
			}
		}
		cancelled, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := s.Put(cancelled, key, bytes.NewReader(b), int64(len(b))); err == nil {
			t.Error("Put with a cancelled context succeeded")
		}
		if ok, _ := s.Exists(ctx, key); ok {
			t.Error("a cancelled Put left a blob")
		}
		assertNoPartialUploads(t, s)
	})
}

func TestBlobStore_WalkListsEveryBlob(t *testing.T) {
	eachBlobStore(t, func(t *testing.T, s BlobStore) {
		var want []BlobInfo
		for i := range 3 {
			b, key := blobOf(1000+i, byte(10+i))
			putBlob(t, s, b, key)
			want = append(want, BlobInfo{Key: key, Size: int64(len(b))})
		}
		var got []BlobInfo
		if err := s.Walk(context.Background(), func(bi BlobInfo) error { got = append(got, bi); return nil }); err != nil {
			t.Fatal(err)
		}
		byKey := func(a, b BlobInfo) int { return strings.Compare(a.Key, b.Key) }
		slices.SortFunc(got, byKey)
		slices.SortFunc(want, byKey)
		if !slices.Equal(got, want) {
			t.Errorf("Walk = %v, want %v", got, want)
		}
		stop := errors.New("stop")
		n := 0
		if err := s.Walk(context.Background(), func(BlobInfo) error { n++; return stop }); !errors.Is(err, stop) || n != 1 {
			t.Errorf("Walk stopped after %d with %v, want 1 and the callback's error", n, err)
		}
	})
}

func TestBlobStore_RefusesBadKeys(t *testing.T) {
	eachBlobStore(t, func(t *testing.T, s BlobStore) {
		ctx := context.Background()
		for _, key := range []string{"", "../x", "..", "/etc/passwd", strings.Repeat("A", 64), strings.Repeat("a", 63), strings.Repeat("g", 64), strings.Repeat("a", 62) + "/."} {
			if _, err := s.Open(ctx, key); !errors.Is(err, ErrInvalidKey) {
				t.Errorf("Open(%q) = %v", key, err)
			}
			if _, err := s.Stat(ctx, key); !errors.Is(err, ErrInvalidKey) {
				t.Errorf("Stat(%q) = %v", key, err)
			}
			if _, err := s.Exists(ctx, key); !errors.Is(err, ErrInvalidKey) {
				t.Errorf("Exists(%q) = %v", key, err)
			}
			if err := s.Delete(ctx, key); !errors.Is(err, ErrInvalidKey) {
				t.Errorf("Delete(%q) = %v", key, err)
			}
			if _, err := s.Put(ctx, key, strings.NewReader("x"), 1); !errors.Is(err, ErrInvalidKey) {
				t.Errorf("Put(%q) = %v", key, err)
			}
		}
		if err := s.Check(ctx); err != nil {
			t.Errorf("Check = %v", err)
		}
		if strings.Contains(s.String(), "secret") {
			t.Errorf("String() = %q names a credential", s.String())
		}
	})
}

// assertNoPartialUploads fails when the store kept half-written data: a
// temporary file or an unfinished multipart upload.
func assertNoPartialUploads(t *testing.T, s BlobStore) {
	t.Helper()
	switch s := s.(type) {
	case *DirStore:
		assertNoTemps(t, s.root)
	default:
		if p, ok := s.(interface {
			partialUploads(context.Context) (int, error)
		}); ok {
			if n, err := p.partialUploads(context.Background()); err != nil || n != 0 {
				t.Errorf("%d unfinished uploads left (%v)", n, err)
			}
		}
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("read failed") }
