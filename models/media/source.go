package media

import (
	"context"
	"fmt"
	"io"
)

// Limits bounds what an original may be. Zero fields mean the defaults.
type Limits struct {
	// MaxSeconds is the longest clip accepted; 0 means 60 (ARENA_MAX_CLIP_SECONDS).
	MaxSeconds int
	// MaxSide bounds each side of the frame in pixels; 0 means 8192, past
	// 8K, which no video model makes, and which keeps a 16K×16K frame from
	// costing gigabytes of memory per decoded picture.
	MaxSide int
}

func (l Limits) withDefaults() Limits {
	if l.MaxSeconds <= 0 {
		l.MaxSeconds = 60
	}
	if l.MaxSide <= 0 {
		l.MaxSide = 8192
	}
	return l
}

// check refuses a source outside the limits with ErrRejected.
func (l Limits) check(src Source) error {
	l = l.withDefaults()
	if src.DurationMS > int64(l.MaxSeconds)*1000 {
		return fmt.Errorf("%w: the clip lasts %.1f s and the limit is %d s (ARENA_MAX_CLIP_SECONDS); trim it, e.g. ffmpeg -i in.mp4 -t %d out.mp4",
			ErrRejected, float64(src.DurationMS)/1000, l.MaxSeconds, l.MaxSeconds)
	}
	if src.Width > l.MaxSide || src.Height > l.MaxSide {
		return fmt.Errorf("%w: the frame is %d×%d and neither side may exceed %d pixels; scale it down first",
			ErrRejected, src.Width, src.Height, l.MaxSide)
	}
	return nil
}

// Original is an upload kept as sent, for admins only.
type Original struct {
	// SHA256 is the hash of the uploaded bytes and the blob's key.
	SHA256 string
	Size   int64
	Source Source
	// Existed is true when these bytes were already stored (see
	// Stored.Existed).
	Existed bool
}

// PutOriginal receives an upload, checks that it is a complete video of an
// accepted type within the store's Limits, probes it and keeps it unchanged under its
// SHA-256. Voters never get these bytes: they get the rendition Render makes.
// Without ffmpeg it refuses with ErrNoFFmpeg before reading a byte, so nothing
// is stored that could not be transcoded.
func (s *Store) PutOriginal(ctx context.Context, r io.Reader, maxBytes int64) (Original, error) {
	if !s.CanTranscode() {
		return Original{}, ErrNoFFmpeg
	}
	var temps tempFiles
	defer temps.removeAll()
	up, src, err := s.receiveClip(ctx, r, maxBytes, &temps)
	if err != nil {
		return Original{}, err
	}
	if src.DurationMS <= 0 {
		return Original{}, fmt.Errorf("%w: the container gives no duration (a live recording?); remux it, e.g. ffmpeg -i in.webm -c copy out.webm", ErrCorrupt)
	}
	if err := s.limits.check(src); err != nil {
		return Original{}, err
	}
	existed, err := s.commit(ctx, up.path, up.sha256, up.size, &temps)
	if err != nil {
		return Original{}, err
	}
	return Original{SHA256: up.sha256, Size: up.size, Source: src, Existed: existed}, nil
}

// receiveClip receives an upload into a temporary file and checks that it
// is a complete video of an accepted type, recognised by content, and
// probes it.
func (s *Store) receiveClip(ctx context.Context, r io.Reader, maxBytes int64, temps *tempFiles) (upload, Source, error) {
	up, err := s.receive(ctx, r, maxBytes, temps)
	if err != nil {
		return upload{}, Source{}, err
	}
	mime, err := Sniff(up.head)
	if err != nil {
		return upload{}, Source{}, err
	}
	if err := checkCompleteFile(up.path, up.size, mime); err != nil {
		return upload{}, Source{}, err
	}
	src, err := s.probe(ctx, up.path, mime, up.size)
	if err != nil {
		return upload{}, Source{}, err
	}
	return up, src, nil
}

// PutRendition stores a clip that is already a canonical rendition exactly
// as it is, probing it for what voters will measure: the demo clips, which
// static/demo/make-demo.sh encodes to one profile without metadata. Nothing
// uploaded goes this way; uploads are PutOriginal and Render.
func (s *Store) PutRendition(ctx context.Context, r io.Reader, maxBytes int64) (Stored, error) {
	var temps tempFiles
	defer temps.removeAll()
	up, src, err := s.receiveClip(ctx, r, maxBytes, &temps)
	if err != nil {
		return Stored{}, err
	}
	if src.DurationMS <= 0 {
		return Stored{}, fmt.Errorf("%w: the container gives no duration", ErrCorrupt)
	}
	st := Stored{SHA256: up.sha256, Key: up.sha256, Size: up.size, Info: src.info(), MetadataStripped: true}
	if st.Existed, err = s.commit(ctx, up.path, up.sha256, up.size, &temps); err != nil {
		return Stored{}, err
	}
	return st, nil
}
