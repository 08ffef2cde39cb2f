package media

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// firstWindow is how much of an object the first read from a position asks
// for. Browsers often probe a clip with a tiny range (bytes=0-1) before
// asking for the rest, so a first request for the whole remainder would make
// the bucket send megabytes that are then thrown away with the connection.
// Reads that go on past the window ask for everything up to the end.
const firstWindow = 64 << 10

// Open asks for the object's size; bytes are fetched as they are read, with
// ranged GETs, so serving a Range of a 1 GB clip fetches only that range.
func (s *S3Store) Open(ctx context.Context, key string) (Blob, error) {
	info, err := s.Stat(ctx, key)
	if err != nil {
		return nil, err
	}
	return &s3Blob{s: s, ctx: ctx, key: key, size: info.Size}, nil
}

// OpenRange opens the blob for a read that starts at start and, unless last
// is negative, ends at byte last, as a single Range request asks: one GET
// for those bytes both opens the blob and learns its size (from
// Content-Range), where Open's HEAD and then a GET cost two round trips to
// the bucket, and a GET that asks for no more than the range is read to its
// end, so its connection goes back to the pool. Reads outside the range
// still work, with GETs of their own. A range the object does not hold
// falls back to Open, so the caller answers it as it answers any other.
func (s *S3Store) OpenRange(ctx context.Context, key string, start, last int64) (Blob, error) {
	if !validKey(key) {
		return nil, ErrInvalidKey
	}
	if start < 0 || last >= 0 && last < start {
		return s.Open(ctx, key)
	}
	end := start + firstWindow
	if last >= 0 {
		end = last + 1
	}
	out, err := s.getRange(ctx, key, start, end)
	if err != nil {
		if httpStatus(err) == http.StatusRequestedRangeNotSatisfiable {
			return s.Open(ctx, key)
		}
		return nil, s3Error("read blob", err)
	}
	first, lastGot, size, ok := parseContentRange(aws.ToString(out.ContentRange))
	if !ok || first != start || lastGot < first || lastGot >= size {
		out.Body.Close()
		return s.Open(ctx, key)
	}
	return &s3Blob{s: s, ctx: ctx, key: key, size: size, off: start, body: out.Body, bodyOff: start, bodyEnd: lastGot + 1}, nil
}

// parseContentRange reads "bytes first-last/size".
func parseContentRange(v string) (first, last, size int64, ok bool) {
	v, found := strings.CutPrefix(v, "bytes ")
	if !found {
		return 0, 0, 0, false
	}
	span, total, found := strings.Cut(v, "/")
	if !found {
		return 0, 0, 0, false
	}
	a, b, found := strings.Cut(span, "-")
	if !found {
		return 0, 0, 0, false
	}
	var err1, err2, err3 error
	first, err1 = strconv.ParseInt(a, 10, 64)
	last, err2 = strconv.ParseInt(b, 10, 64)
	size, err3 = strconv.ParseInt(total, 10, 64)
	return first, last, size, err1 == nil && err2 == nil && err3 == nil
}

// s3Blob reads one object. Read and Seek share a position and an open
// response body, as a file does, so they are not safe for concurrent use;
// ReadAt is, since each call is a request of its own.
type s3Blob struct {
	s    *S3Store
	ctx  context.Context
	key  string
	size int64

	off     int64         // the position Read reads from next
	body    io.ReadCloser // an open GET whose next byte is at bodyOff, or nil
	bodyOff int64
	bodyEnd int64 // one past the last byte the open GET delivers
}

func (b *s3Blob) Size() int64 { return b.size }

func (b *s3Blob) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += b.off
	case io.SeekEnd:
		offset += b.size
	default:
		return 0, fmt.Errorf("seek blob: bad whence %d", whence)
	}
	if offset < 0 {
		return 0, fmt.Errorf("seek blob: negative position %d", offset)
	}
	b.off = offset
	return offset, nil
}

func (b *s3Blob) Read(p []byte) (int, error) {
	if b.off >= b.size {
		return 0, io.EOF
	}
	if b.body != nil && (b.bodyOff != b.off || b.bodyOff >= b.bodyEnd) {
		b.closeBody()
	}
	if b.body == nil {
		end := b.size
		if b.off == 0 || b.off != b.bodyEnd {
			// A read from a new position: start small (see firstWindow).
			// A read that continues where the last window ended asks for
			// the rest.
			end = min(b.size, b.off+firstWindow)
		}
		body, err := b.get(b.ctx, b.off, end)
		if err != nil {
			return 0, err
		}
		b.body, b.bodyOff, b.bodyEnd = body, b.off, end
	}
	n, err := b.body.Read(p[:min(int64(len(p)), b.bodyEnd-b.bodyOff)])
	b.off += int64(n)
	b.bodyOff += int64(n)
	if err == io.EOF {
		if b.bodyOff < b.bodyEnd {
			return n, fmt.Errorf("read blob: %w: the response ended %d bytes early", ErrUnavailable, b.bodyEnd-b.bodyOff)
		}
		err = nil
	}
	if err != nil {
		return n, fmt.Errorf("read blob: %w: %w", ErrUnavailable, err)
	}
	return n, nil
}

func (b *s3Blob) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, fmt.Errorf("read blob: negative offset %d", off)
	}
	if len(p) == 0 {
		return 0, nil
	}
	if off >= b.size {
		return 0, io.EOF
	}
	end := min(b.size, off+int64(len(p)))
	body, err := b.get(b.ctx, off, end)
	if err != nil {
		return 0, err
	}
	defer body.Close()
	n, err := io.ReadFull(body, p[:end-off])
	if err != nil {
		return n, fmt.Errorf("read blob: %w: %w", ErrUnavailable, err)
	}
	if end < off+int64(len(p)) {
		return n, io.EOF
	}
	return n, nil
}

// Close ends the open GET. A body with little left is read to its end so
// the connection goes back to the pool instead of being torn down.
func (b *s3Blob) Close() error {
	b.closeBody()
	return nil
}

func (b *s3Blob) closeBody() {
	if b.body == nil {
		return
	}
	if b.bodyEnd-b.bodyOff <= firstWindow {
		io.Copy(io.Discard, b.body)
	}
	b.body.Close()
	b.body = nil
}

// get asks for bytes [start, end) of the object.
func (b *s3Blob) get(ctx context.Context, start, end int64) (io.ReadCloser, error) {
	out, err := b.s.getRange(ctx, b.key, start, end)
	if err != nil {
		return nil, s3Error("read blob", err)
	}
	return out.Body, nil
}

// getRange asks for bytes [start, end) of the object under key, returning
// the client's error as it is so callers can tell a range the object does
// not hold (416) from a failure.
func (s *S3Store) getRange(ctx context.Context, key string, start, end int64) (*s3.GetObjectOutput, error) {
	return s.client.GetObject(ctx, &s3.GetObjectInput{
		Bucket: aws.String(s.bucket),
		Key:    s.object(key),
		Range:  aws.String(fmt.Sprintf("bytes=%d-%d", start, end-1)),
	})
}

// PresignGet returns a URL that fetches the blob directly from the bucket
// until ttl has passed, with the given Content-Type and Cache-Control set on
// the response.
func (s *S3Store) PresignGet(ctx context.Context, key, mimeType, cacheControl string, ttl time.Duration) (*url.URL, error) {
	if !validKey(key) {
		return nil, ErrInvalidKey
	}
	req, err := s.presign.PresignGetObject(ctx, &s3.GetObjectInput{
		Bucket:               aws.String(s.bucket),
		Key:                  s.object(key),
		ResponseContentType:  aws.String(mimeType),
		ResponseCacheControl: aws.String(cacheControl),
	}, s3.WithPresignExpires(ttl))
	if err != nil {
		return nil, fmt.Errorf("presign blob: %w", err)
	}
	return url.Parse(req.URL)
}
