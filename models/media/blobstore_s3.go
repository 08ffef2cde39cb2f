package media

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
)

// S3Options configures an S3Store.
type S3Options struct {
	// Bucket is the bucket's name; Prefix, when set, is put before every
	// key ("arena/clips" stores "arena/clips/<key>").
	Bucket, Prefix string
	// Endpoint is the S3 API's base URL for S3-compatible services (MinIO,
	// R2, GCS, a gateway); empty means AWS for Region.
	Endpoint string
	// Region defaults to us-east-1, which most S3-compatible services accept.
	Region string
	// PathStyle addresses the bucket as endpoint/bucket/key rather than
	// bucket.endpoint/key, as most self-hosted services need.
	PathStyle bool
	// AccessKey, SecretKey and SessionToken are the credentials.
	AccessKey, SecretKey, SessionToken string
	// PartSize is the size of one part of a multipart upload and the
	// largest blob sent in one request; zero means 16 MiB. It bounds the
	// memory one upload from a non-file reader takes.
	PartSize int64
	// HTTPClient sends the requests; nil means a client with timeouts
	// suited to serving clips (see newS3HTTPClient).
	HTTPClient *http.Client
}

// S3Store is the BlobStore in an S3-compatible bucket. Objects are named
// prefix/<key>, so neither a key nor an object name says anything about a
// model. It holds no mutable state.
type S3Store struct {
	client   *s3.Client
	presign  *s3.PresignClient
	bucket   string
	prefix   string // "" or ending in "/"
	partSize int64
	where    string
}

// minPartSize is S3's smallest part other than the last.
const minPartSize = 5 << 20

// NewS3Store makes a store for the bucket in opts. It sends nothing: call
// Check to find out whether the bucket is there and the credentials open it.
func NewS3Store(opts S3Options) (*S3Store, error) {
	if opts.Bucket == "" {
		return nil, errors.New("s3 blob store: no bucket named")
	}
	if opts.AccessKey == "" || opts.SecretKey == "" {
		return nil, errors.New("s3 blob store: no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
	}
	if opts.Region == "" {
		opts.Region = "us-east-1"
	}
	if opts.PartSize == 0 {
		opts.PartSize = 16 << 20
	}
	if opts.PartSize < minPartSize {
		return nil, fmt.Errorf("s3 blob store: part size %d is under S3's minimum of 5 MiB", opts.PartSize)
	}
	hc := opts.HTTPClient
	if hc == nil {
		hc = newS3HTTPClient()
	}
	client := s3.New(s3.Options{
		Region:       opts.Region,
		Credentials:  credentials.NewStaticCredentialsProvider(opts.AccessKey, opts.SecretKey, opts.SessionToken),
		UsePathStyle: opts.PathStyle,
		HTTPClient:   hc,
		// Only the checksums S3 requires: S3-compatible services differ in
		// which of the newer optional ones they accept, and keys are
		// content hashes checked on the way in and by migrate anyway.
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenRequired,
		ResponseChecksumValidation: aws.ResponseChecksumValidationWhenRequired,
	}, func(o *s3.Options) {
		if opts.Endpoint != "" {
			o.BaseEndpoint = aws.String(opts.Endpoint)
		}
	})
	prefix := strings.Trim(opts.Prefix, "/")
	where := "s3://" + opts.Bucket + "/" + prefix
	if prefix != "" {
		prefix += "/"
	}
	if opts.Endpoint != "" {
		where += " at " + opts.Endpoint
	}
	return &S3Store{client: client, presign: s3.NewPresignClient(client), bucket: opts.Bucket, prefix: prefix, partSize: opts.PartSize, where: where}, nil
}

// newS3HTTPClient bounds connecting and waiting for a response's headers,
// never the body: a 1 GB clip may take minutes to stream to a slow voter.
func newS3HTTPClient() *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.ResponseHeaderTimeout = 30 * time.Second
	tr.MaxIdleConnsPerHost = 64 // every /media request is a request to the bucket
	return &http.Client{Transport: tr}
}

// String names the bucket, prefix and endpoint.
func (s *S3Store) String() string { return s.where }

func (s *S3Store) object(key string) *string { return aws.String(s.prefix + key) }

// Check asks for the bucket: a bucket that does not exist, credentials it
// refuses and an endpoint that does not answer each get their own message.
func (s *S3Store) Check(ctx context.Context) error {
	_, err := s.client.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(s.bucket)})
	if err == nil {
		return nil
	}
	switch httpStatus(err) {
	case http.StatusNotFound:
		return fmt.Errorf("%s: %w: the bucket %q does not exist", s.where, ErrUnavailable, s.bucket)
	case http.StatusForbidden, http.StatusUnauthorized:
		return fmt.Errorf("%s: %w: access denied; check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", s.where, ErrUnavailable)
	}
	return fmt.Errorf("%s: %w: %w", s.where, ErrUnavailable, err)
}

// Stat asks for the object's size.
func (s *S3Store) Stat(ctx context.Context, key string) (BlobInfo, error) {
	if !validKey(key) {
		return BlobInfo{}, ErrInvalidKey
	}
	out, err := s.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String(s.bucket), Key: s.object(key)})
	if err != nil {
		return BlobInfo{}, s3Error("stat blob", err)
	}
	return BlobInfo{Key: key, Size: aws.ToInt64(out.ContentLength)}, nil
}

// Exists asks for the object.
func (s *S3Store) Exists(ctx context.Context, key string) (bool, error) {
	_, err := s.Stat(ctx, key)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	return err == nil, err
}

// Delete removes the object.
func (s *S3Store) Delete(ctx context.Context, key string) error {
	if !validKey(key) {
		return ErrInvalidKey
	}
	_, err := s.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(s.bucket), Key: s.object(key)})
	if err != nil && !errors.Is(s3Error("", err), fs.ErrNotExist) {
		return s3Error("remove blob", err)
	}
	return nil
}

// Walk lists the objects under the prefix whose names are keys.
func (s *S3Store) Walk(ctx context.Context, fn func(BlobInfo) error) error {
	p := s3.NewListObjectsV2Paginator(s.client, &s3.ListObjectsV2Input{Bucket: aws.String(s.bucket), Prefix: aws.String(s.prefix)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return s3Error("list blobs", err)
		}
		for _, o := range page.Contents {
			key := strings.TrimPrefix(aws.ToString(o.Key), s.prefix)
			if !validKey(key) {
				continue
			}
			if err := fn(BlobInfo{Key: key, Size: aws.ToInt64(o.Size)}); err != nil {
				return err
			}
		}
	}
	return nil
}

// Put sends a blob up to PartSize in one request, signed with its key as
// the payload hash so the service itself refuses bytes that do not match
// it; larger blobs go as a multipart upload (see putMultipart).
func (s *S3Store) Put(ctx context.Context, key string, r io.Reader, size int64) (bool, error) {
	if !validKey(key) {
		return false, ErrInvalidKey
	}
	if ok, err := s.Exists(ctx, key); err != nil || ok {
		return ok, err
	}
	if size > s.partSize {
		return false, s.putMultipart(ctx, key, r, size)
	}
	body := make([]byte, size)
	if _, err := io.ReadFull(ctxReader{ctx: ctx, r: r}, body); err != nil {
		return false, fmt.Errorf("store blob: reading %d bytes: %w", size, err)
	}
	if n, _ := io.CopyN(io.Discard, r, 1); n > 0 {
		return false, fmt.Errorf("store blob: more than the %d bytes announced", size)
	}
	// Over plain HTTP the SDK signs a hash of the payload; the key is that
	// hash, which saves hashing the bytes again and lets the service check
	// them. Over HTTPS the SDK sends the payload unsigned and TLS protects it.
	_, err := s.client.PutObject(v4.SetPayloadHash(ctx, key), &s3.PutObjectInput{
		Bucket:        aws.String(s.bucket),
		Key:           s.object(key),
		Body:          bytes.NewReader(body),
		ContentLength: aws.Int64(size),
	})
	if err != nil {
		return false, s3Error("store blob", err)
	}
	return false, nil
}

// putMultipart streams r in parts of PartSize, reading each from the file
// in place when r is a file at its start, else through one part-sized
// buffer. Whatever fails, the upload is aborted, so the bucket keeps
// neither an object nor its parts.
func (s *S3Store) putMultipart(ctx context.Context, key string, r io.Reader, size int64) (err error) {
	up, err := s.client.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String(s.bucket), Key: s.object(key)})
	if err != nil {
		return s3Error("store blob", err)
	}
	defer func() {
		if err == nil {
			return
		}
		// The abort must run even when ctx was cancelled, which is often
		// why the upload failed.
		actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		if _, aerr := s.client.AbortMultipartUpload(actx, &s3.AbortMultipartUploadInput{Bucket: aws.String(s.bucket), Key: s.object(key), UploadId: up.UploadId}); aerr != nil {
			err = fmt.Errorf("%w (and aborting the upload failed: %v)", err, aerr)
		}
	}()
	ra := fileAtStart(r)
	var buf []byte
	if ra == nil {
		buf = make([]byte, s.partSize)
	}
	var parts []types.CompletedPart
	for off, num := int64(0), int32(1); off < size; off, num = off+s.partSize, num+1 {
		n := min(s.partSize, size-off)
		var body io.ReadSeeker
		if ra != nil {
			body = io.NewSectionReader(ra, off, n)
		} else {
			if _, err := io.ReadFull(ctxReader{ctx: ctx, r: r}, buf[:n]); err != nil {
				return fmt.Errorf("store blob: reading part %d: %w", num, err)
			}
			body = bytes.NewReader(buf[:n])
		}
		out, err := s.client.UploadPart(ctx, &s3.UploadPartInput{
			Bucket: aws.String(s.bucket), Key: s.object(key), UploadId: up.UploadId,
			PartNumber: aws.Int32(num), Body: body, ContentLength: aws.Int64(n),
		})
		if err != nil {
			return s3Error(fmt.Sprintf("store blob part %d", num), err)
		}
		parts = append(parts, types.CompletedPart{ETag: out.ETag, PartNumber: aws.Int32(num)})
	}
	if ra == nil {
		if n, _ := io.CopyN(io.Discard, r, 1); n > 0 {
			return fmt.Errorf("store blob: more than the %d bytes announced", size)
		}
	}
	_, err = s.client.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{
		Bucket: aws.String(s.bucket), Key: s.object(key), UploadId: up.UploadId,
		MultipartUpload: &types.CompletedMultipartUpload{Parts: parts},
	})
	if err != nil {
		return s3Error("store blob", err)
	}
	return nil
}

// fileAtStart returns r as a ReaderAt when it is a file positioned at its
// start, whose parts can then be read (and re-read on a retry) in place.
func fileAtStart(r io.Reader) io.ReaderAt {
	f, ok := r.(interface {
		io.ReaderAt
		io.Seeker
	})
	if !ok {
		return nil
	}
	if pos, err := f.Seek(0, io.SeekCurrent); err != nil || pos != 0 {
		return nil
	}
	return f
}

// partialUploads counts multipart uploads under the prefix that were
// neither completed nor aborted; the store suite expects none.
func (s *S3Store) partialUploads(ctx context.Context) (int, error) {
	out, err := s.client.ListMultipartUploads(ctx, &s3.ListMultipartUploadsInput{Bucket: aws.String(s.bucket), Prefix: aws.String(s.prefix)})
	if err != nil {
		return 0, err
	}
	return len(out.Uploads), nil
}

// httpStatus is the HTTP status of a failed S3 call, or 0 when none came.
func httpStatus(err error) int {
	var re interface{ HTTPStatusCode() int }
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	return 0
}

// s3Error maps a failed call: a missing object (404, NoSuchKey) matches
// fs.ErrNotExist, a cancelled request keeps its context error, anything else
// (a missing bucket included) is unavailable.
func s3Error(what string, err error) error {
	var apiErr smithy.APIError
	code := ""
	if errors.As(err, &apiErr) {
		code = apiErr.ErrorCode()
	}
	notFound := code == "NoSuchKey" || code == "NotFound" || httpStatus(err) == http.StatusNotFound && code != "NoSuchBucket"
	switch {
	case notFound:
		return fmt.Errorf("%s: %w", what, fs.ErrNotExist)
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("%s: %w", what, err)
	}
	return unavailable(what, err)
}
