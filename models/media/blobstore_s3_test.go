package media

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
)

// The store suite's S3 half runs against the bucket ARENA_TEST_S3_URL names
// (.ci/run starts a versitygw gateway for it); package s3test does the same
// for other packages but cannot be imported here, as it imports this one.
func init() {
	blobStores = append(blobStores, struct {
		name string
		open func(t *testing.T) BlobStore
	}{"s3", func(t *testing.T) BlobStore { return testS3Store(t) }})
}

// testS3Store opens a store on a prefix of its own in the test bucket, with
// the smallest part size S3 allows so multipart uploads are exercised by
// blobs of a few MB. configure, if given, changes the options further.
func testS3Store(t *testing.T, configure ...func(*S3Options)) *S3Store {
	t.Helper()
	raw := os.Getenv("ARENA_TEST_S3_URL")
	if raw == "" {
		t.Skip("ARENA_TEST_S3_URL is not set: no S3 server to test against")
	}
	opts, err := ParseS3URL(raw)
	if err != nil {
		t.Fatal(err)
	}
	var id [6]byte
	rand.Read(id[:])
	opts.Prefix += "/t-" + hex.EncodeToString(id[:])
	opts.AccessKey, opts.SecretKey = os.Getenv("AWS_ACCESS_KEY_ID"), os.Getenv("AWS_SECRET_ACCESS_KEY")
	opts.PartSize = minPartSize
	for _, c := range configure {
		c(&opts)
	}
	s, err := NewS3Store(opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.CreateBucket(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}
