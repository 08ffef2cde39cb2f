package media

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// DirStore is the BlobStore in a data directory, Arena's default:
// dir/blobs/<first 2 hex digits>/<key>, with writes in progress under dir/tmp
// on the same file system so that finishing one is an atomic rename. It holds
// no mutable state.
type DirStore struct {
	root, blobDir, tmpDir string
}

// NewDirStore opens (creating if needed) the blob store in the data directory
// dir.
func NewDirStore(dir string) (*DirStore, error) {
	s := &DirStore{root: dir, blobDir: filepath.Join(dir, "blobs"), tmpDir: filepath.Join(dir, "tmp")}
	for _, d := range []string{s.blobDir, s.tmpDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			return nil, fmt.Errorf("blob store: %w", err)
		}
	}
	return s, nil
}

// String names the directory.
func (s *DirStore) String() string { return "file://" + filepath.ToSlash(s.root) }

// Put streams r into a temporary file, flushes it and renames it into place.
func (s *DirStore) Put(ctx context.Context, key string, r io.Reader, size int64) (bool, error) {
	if !validKey(key) {
		return false, ErrInvalidKey
	}
	if _, err := os.Stat(s.path(key)); err == nil {
		return true, nil
	}
	f, err := os.CreateTemp(s.tmpDir, "put-*")
	if err != nil {
		return false, unavailable("store blob", err)
	}
	defer os.Remove(f.Name()) // a no-op once renamed
	n, err := io.Copy(f, ctxReader{ctx: ctx, r: r})
	if err == nil && n != size {
		err = fmt.Errorf("got %d bytes, want %d", n, size)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return false, fmt.Errorf("store blob: %w", err)
	}
	return s.putFile(ctx, key, f.Name())
}

// putFile moves the finished file at path, which must be on the data
// directory's file system, to the blob for key unless that blob exists.
// The caller removes path when it was not moved.
func (s *DirStore) putFile(_ context.Context, key, path string) (existed bool, err error) {
	if !validKey(key) {
		return false, ErrInvalidKey
	}
	dest := s.path(key)
	if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
		return false, unavailable("store blob", err)
	}
	if _, err := os.Stat(dest); err == nil {
		return true, nil
	}
	// Flush before the rename so a crash cannot leave a named but empty blob
	// that the database already points at.
	f, err := os.Open(path)
	if err != nil {
		return false, fmt.Errorf("store blob: %w", err)
	}
	err = f.Sync()
	f.Close()
	if err != nil {
		return false, unavailable("store blob", err)
	}
	if err := os.Rename(path, dest); err != nil {
		return false, unavailable("store blob", err)
	}
	return false, nil
}

// Open opens the blob's file.
func (s *DirStore) Open(_ context.Context, key string) (Blob, error) {
	if !validKey(key) {
		return nil, ErrInvalidKey
	}
	f, err := os.Open(s.path(key))
	if err != nil {
		return nil, dirError("open blob", err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, unavailable("open blob", err)
	}
	return fileBlob{File: f, size: fi.Size()}, nil
}

// Stat returns the size of the blob's file.
func (s *DirStore) Stat(_ context.Context, key string) (BlobInfo, error) {
	if !validKey(key) {
		return BlobInfo{}, ErrInvalidKey
	}
	fi, err := os.Stat(s.path(key))
	if err != nil {
		return BlobInfo{}, dirError("stat blob", err)
	}
	return BlobInfo{Key: key, Size: fi.Size()}, nil
}

// Exists reports whether the blob's file exists.
func (s *DirStore) Exists(ctx context.Context, key string) (bool, error) {
	_, err := s.Stat(ctx, key)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

// Delete removes the blob's file.
func (s *DirStore) Delete(_ context.Context, key string) error {
	if !validKey(key) {
		return ErrInvalidKey
	}
	if err := os.Remove(s.path(key)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return unavailable("remove blob", err)
	}
	return nil
}

// Walk visits every file under blobs/ whose name is a key; anything else
// there (an editor's backup, a stray file) is not a blob and is skipped.
func (s *DirStore) Walk(ctx context.Context, fn func(BlobInfo) error) error {
	return filepath.WalkDir(s.blobDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return unavailable("list blobs", err)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if d.IsDir() || !validKey(d.Name()) || filepath.Base(filepath.Dir(path)) != d.Name()[:2] {
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return unavailable("list blobs", err)
		}
		return fn(BlobInfo{Key: d.Name(), Size: fi.Size()})
	})
}

// Check writes and removes a file in tmp/, which fails on a read-only or
// vanished directory.
func (s *DirStore) Check(context.Context) error {
	f, err := os.CreateTemp(s.tmpDir, "check-*")
	if err != nil {
		return unavailable("blob directory", err)
	}
	f.Close()
	os.Remove(f.Name())
	return nil
}

func (s *DirStore) path(key string) string {
	return filepath.Join(s.blobDir, key[:2], key)
}

// fileBlob is an open blob file that knows its size.
type fileBlob struct {
	*os.File
	size int64
}

func (b fileBlob) Size() int64 { return b.size }

// dirError keeps "not found" recognisable and calls every other file system
// failure unavailable.
func dirError(what string, err error) error {
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s: %w", what, err)
	}
	return unavailable(what, err)
}

// unavailable wraps err so that it matches ErrUnavailable and keeps its cause.
func unavailable(what string, err error) error {
	return fmt.Errorf("%s: %w: %w", what, ErrUnavailable, err)
}
