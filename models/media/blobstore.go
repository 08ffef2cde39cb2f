package media

import (
	"context"
	"crypto/sha256"
	"errors"
	"io"
)

// BlobStore keeps immutable blobs under content keys: a key is the lowercase
// hex SHA-256 of the blob's bytes, so nothing in a key names a model and the
// same bytes are stored once. Clips, source images and whatever else Arena
// serves under /media go through one BlobStore. Implementations are safe for
// concurrent use; two instances sharing one store may Put the same key at the
// same time, which is harmless because both write the same bytes.
//
// Every method refuses a key that is not 64 lowercase hex digits with
// ErrInvalidKey, so no key can name anything outside the store. A missing
// blob is an error matching fs.ErrNotExist. A store that cannot be reached
// (a network error, a full disk) answers errors matching ErrUnavailable, so a
// server can answer 503 for that request and keep serving the rest.
type BlobStore interface {
	// Put stores size bytes read from r under key, which must be their
	// SHA-256 (callers hash as they receive; Put does not read the bytes
	// twice). It streams: memory use does not depend on size. When a blob
	// with key already exists Put reads nothing and reports existed. A Put
	// that fails leaves no blob and nothing half-written behind.
	Put(ctx context.Context, key string, r io.Reader, size int64) (existed bool, err error)
	// Open returns the blob for reading from any offset: http.ServeContent
	// serves Range requests from it.
	Open(ctx context.Context, key string) (Blob, error)
	// Stat returns the blob's size without reading it.
	Stat(ctx context.Context, key string) (BlobInfo, error)
	// Exists reports whether a blob is stored under key.
	Exists(ctx context.Context, key string) (bool, error)
	// Delete removes the blob; deleting a missing blob is not an error.
	Delete(ctx context.Context, key string) error
	// Walk calls fn for every stored blob, in no particular order, and stops
	// at the first error fn returns.
	Walk(ctx context.Context, fn func(BlobInfo) error) error
	// Check reports whether the store can be used now: the directory is
	// writable, the bucket exists and the credentials open it.
	Check(ctx context.Context) error
	// String names the store for logs and /healthz, never with credentials.
	String() string
}

// Blob is one stored blob opened for reading. Seek and ReadAt never fail for
// offsets within Size; reading past the end gives io.EOF.
type Blob interface {
	io.ReadSeekCloser
	io.ReaderAt
	// Size is the blob's length in bytes.
	Size() int64
}

// BlobInfo describes a stored blob.
type BlobInfo struct {
	Key  string
	Size int64
}

// ErrUnavailable means the blob store failed to answer: an endpoint that is
// down, a timeout, credentials that stopped working. It says nothing about
// the blob itself, so a handler answers 503, not 404.
var ErrUnavailable = errors.New("the blob store is unavailable")

// filePutter is implemented by blob stores that can take a finished local
// file by renaming it, which saves copying a large upload once more.
type filePutter interface {
	putFile(ctx context.Context, key, path string) (existed bool, err error)
}

// validKey reports whether key is a lowercase hex SHA-256.
func validKey(key string) bool {
	if len(key) != sha256.Size*2 {
		return false
	}
	for _, c := range []byte(key) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}
