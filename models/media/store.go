package media

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// StoreOptions configures a Store. The zero value finds ffmpeg and ffprobe in
// PATH and uses them when they are there.
type StoreOptions struct {
	// FFmpeg and FFprobe are the programs to run, as paths or names looked up
	// in PATH; empty means "ffmpeg" and "ffprobe". A program that cannot be
	// found is not used: the store then probes in Go and refuses originals
	// (ErrNoFFmpeg), since it cannot render them.
	FFmpeg, FFprobe string
	// DisableFFmpeg uses neither program even when installed, which is how
	// tests exercise the pure-Go path and a demo server runs without them.
	DisableFFmpeg bool
	// Timeout bounds one ffmpeg or ffprobe run; zero means 30 minutes, enough
	// to transcode a one-minute 4K clip on two slow cores.
	Timeout time.Duration
	// Limits bounds the originals PutOriginal accepts.
	Limits Limits
	// Blobs is where finished files are kept; nil means a DirStore in the
	// data directory. Uploads are received and processed in the data
	// directory's tmp/ either way, since ffmpeg works on local files.
	Blobs BlobStore
}

// Store turns uploads into stored clip and image files: it receives them into
// dataDir/tmp, checks and probes them there, renders clips and strips images,
// and hands the result to its BlobStore under the SHA-256 of the stored
// bytes. A Store holds no
// mutable state and is safe for concurrent use.
type Store struct {
	blobs           BlobStore
	tmpDir          string
	ffmpeg, ffprobe string // resolved paths, "" when not used
	timeout         time.Duration
	limits          Limits
}

// Stored describes a file the store has kept.
type Stored struct {
	// SHA256 is the hash of the bytes as uploaded, for spotting duplicate
	// uploads.
	SHA256 string
	// Key is the hash of the bytes as stored (after metadata stripping, for
	// images): the blob's file name and a natural ETag.
	Key string
	// Size is the stored size in bytes.
	Size int64
	// Info is what probing the stored bytes found.
	Info Info
	// MetadataStripped is true when the stored bytes carry no metadata of the
	// upload: an image stripped in Go, or a rendition.
	MetadataStripped bool
	// Existed is true when a blob with this Key was already stored before
	// this call. A caller rolling back a failed insert must not Remove such a
	// blob: another record may use it.
	Existed bool
}

// staleTemp is how old a file under tmp must be before NewStore removes it as
// left over from a crash; uploads in progress on other instances sharing the
// directory are far younger.
const staleTemp = 24 * time.Hour

// NewStore opens (creating if needed) the store under dataDir and looks up
// ffmpeg and ffprobe as opts say.
func NewStore(dataDir string, opts StoreOptions) (*Store, error) {
	s := &Store{
		blobs:   opts.Blobs,
		tmpDir:  filepath.Join(dataDir, "tmp"),
		timeout: opts.Timeout,
		limits:  opts.Limits.withDefaults(),
	}
	if s.timeout <= 0 {
		s.timeout = 30 * time.Minute
	}
	if s.blobs == nil {
		dir, err := NewDirStore(dataDir)
		if err != nil {
			return nil, fmt.Errorf("media store: %w", err)
		}
		s.blobs = dir
	}
	if err := os.MkdirAll(s.tmpDir, 0o755); err != nil {
		return nil, fmt.Errorf("media store: %w", err)
	}
	if !opts.DisableFFmpeg {
		s.ffmpeg = lookPath(opts.FFmpeg, "ffmpeg")
		s.ffprobe = lookPath(opts.FFprobe, "ffprobe")
	}
	s.removeStaleTemps()
	return s, nil
}

// lookPath resolves a configured program name, or "" when it is not there.
func lookPath(name, def string) string {
	if name == "" {
		name = def
	}
	path, err := exec.LookPath(name)
	if err != nil {
		return ""
	}
	return path
}

// removeStaleTemps deletes temporary files a crashed process left behind.
// Failing to is harmless, so errors are ignored.
func (s *Store) removeStaleTemps() {
	entries, err := os.ReadDir(s.tmpDir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > staleTemp {
			os.Remove(filepath.Join(s.tmpDir, e.Name()))
		}
	}
}

// CanTranscode reports whether clips can be ingested: both ffmpeg and
// ffprobe were found.
func (s *Store) CanTranscode() bool { return s.ffmpeg != "" && s.ffprobe != "" }

// Blobs returns the blob store finished files go to.
func (s *Store) Blobs() BlobStore { return s.blobs }

// Open opens the blob stored under key for reading. A key that is not 64
// lowercase hex digits gets ErrInvalidKey, so no key can reach outside the
// store; a missing blob gets an error matching fs.ErrNotExist.
func (s *Store) Open(ctx context.Context, key string) (Blob, error) {
	return s.blobs.Open(ctx, key)
}

// rangeOpener is a BlobStore that opens a blob more cheaply when it knows
// which bytes the caller reads first (see S3Store.OpenRange).
type rangeOpener interface {
	OpenRange(ctx context.Context, key string, start, last int64) (Blob, error)
}

// OpenRange is Open for a caller that will read from start to last (to the
// end when last is negative) first, as serving one Range request does. The
// blob may still be read anywhere.
func (s *Store) OpenRange(ctx context.Context, key string, start, last int64) (Blob, error) {
	if r, ok := s.blobs.(rangeOpener); ok {
		return r.OpenRange(ctx, key, start, last)
	}
	return s.blobs.Open(ctx, key)
}

// localFile returns a path on this machine holding the blob's bytes, for
// programs such as ffmpeg that read files: the blob's own file in a data
// directory, else a temporary copy that done removes.
func (s *Store) localFile(ctx context.Context, key string) (path string, done func(), err error) {
	if d, ok := s.blobs.(*DirStore); ok {
		if !validKey(key) {
			return "", nil, ErrInvalidKey
		}
		return d.path(key), func() {}, nil
	}
	b, err := s.blobs.Open(ctx, key)
	if err != nil {
		return "", nil, err
	}
	defer b.Close()
	f, err := os.CreateTemp(s.tmpDir, "blob-*")
	if err != nil {
		return "", nil, fmt.Errorf("copy blob: %w", err)
	}
	done = func() { os.Remove(f.Name()) }
	_, err = io.Copy(f, b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		done()
		return "", nil, fmt.Errorf("copy blob: %w", err)
	}
	return f.Name(), done, nil
}

// Remove deletes the blob stored under key. It exists to roll back a failed
// insert (see Stored.Existed); removing a missing blob is not an error.
func (s *Store) Remove(ctx context.Context, key string) error {
	return s.blobs.Delete(ctx, key)
}

// upload is a received file waiting in the temporary directory.
type upload struct {
	path   string
	size   int64
	sha256 string
	head   []byte // the first SniffLen bytes, or all of a shorter file
}

// receive streams r into a new temporary file, hashing it on the way and
// enforcing maxBytes.
func (s *Store) receive(ctx context.Context, r io.Reader, maxBytes int64, temps *tempFiles) (upload, error) {
	f, err := os.CreateTemp(s.tmpDir, "upload-*")
	if err != nil {
		return upload{}, fmt.Errorf("receive upload: %w", err)
	}
	temps.add(f.Name())
	defer f.Close()

	if maxBytes > 0 {
		r = io.LimitReader(r, maxBytes+1) // one byte more tells "too large" from "exactly the limit"
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), ctxReader{ctx: ctx, r: r})
	if err != nil {
		return upload{}, fmt.Errorf("receive upload: %w", err)
	}
	if maxBytes > 0 && n > maxBytes {
		return upload{}, fmt.Errorf("%w: the limit is %d bytes", ErrTooLarge, maxBytes)
	}
	if n == 0 {
		return upload{}, ErrEmpty
	}
	head := make([]byte, min(n, SniffLen))
	if _, err := f.ReadAt(head, 0); err != nil {
		return upload{}, fmt.Errorf("receive upload: %w", err)
	}
	return upload{path: f.Name(), size: n, sha256: hex.EncodeToString(h.Sum(nil)), head: head}, nil
}

// commit hands the finished temporary file at path to the blob store under
// key, by rename when the store is a directory on this file system, else by
// streaming it. It reports whether the blob already existed.
func (s *Store) commit(ctx context.Context, path, key string, size int64, temps *tempFiles) (existed bool, err error) {
	if fp, ok := s.blobs.(filePutter); ok {
		if existed, err = fp.putFile(ctx, key, path); err == nil && !existed {
			temps.forget(path)
		}
		return existed, err
	}
	f, err := os.Open(path)
	if err != nil {
		return false, fmt.Errorf("store blob: %w", err)
	}
	defer f.Close()
	return s.blobs.Put(ctx, key, f, size)
}

// hashFile returns the SHA-256 and size of the file at path.
func hashFile(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, fmt.Errorf("hash %s: %w", filepath.Base(path), err)
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// ctxReader stops a copy when the request behind it is cancelled.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// tempFiles lists the temporary files one call created, so that every return
// path removes them.
type tempFiles []string

func (t *tempFiles) add(path string) { *t = append(*t, path) }

// forget drops a path that has become a blob.
func (t *tempFiles) forget(path string) {
	for i, p := range *t {
		if p == path {
			*t = append((*t)[:i], (*t)[i+1:]...)
			return
		}
	}
}

func (t *tempFiles) removeAll() {
	for _, p := range *t {
		os.Remove(p)
	}
}
