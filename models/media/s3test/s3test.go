// Package s3test gives tests a real S3-compatible bucket: the one named by
// ARENA_TEST_S3_URL (s3://bucket?endpoint=…&path_style=true, with
// AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY set), under a prefix of the
// test's own, so tests never see each other's blobs. .ci/run starts a
// versitygw gateway and sets these; without them the S3 half of a test skips.
package s3test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"strings"
	"testing"

	"github.com/arena-video/arena/models/media"
)

// URL returns an s3:// URL for a fresh prefix in the test bucket, creating
// the bucket when needed, or skips the test when no bucket is configured.
func URL(t testing.TB) string {
	t.Helper()
	base := os.Getenv("ARENA_TEST_S3_URL")
	if base == "" {
		t.Skip("ARENA_TEST_S3_URL is not set: no S3 server to test against")
	}
	opts, err := media.ParseS3URL(base)
	if err != nil {
		t.Fatalf("ARENA_TEST_S3_URL: %v", err)
	}
	s := open(t, opts)
	if err := s.CreateBucket(context.Background()); err != nil {
		t.Fatal(err)
	}
	var id [6]byte
	rand.Read(id[:])
	prefix := strings.Trim(opts.Prefix+"/t-"+hex.EncodeToString(id[:]), "/")
	query := ""
	if i := strings.IndexByte(base, '?'); i >= 0 {
		query = base[i:]
	}
	return "s3://" + opts.Bucket + "/" + prefix + query
}

// Options returns the options for a fresh prefix in the test bucket, with
// the credentials from the environment, or skips the test.
func Options(t testing.TB) media.S3Options {
	t.Helper()
	opts, err := media.ParseS3URL(URL(t))
	if err != nil {
		t.Fatal(err)
	}
	opts.AccessKey, opts.SecretKey = os.Getenv("AWS_ACCESS_KEY_ID"), os.Getenv("AWS_SECRET_ACCESS_KEY")
	return opts
}

// Store returns a store on a fresh prefix in the test bucket, or skips.
func Store(t testing.TB) *media.S3Store {
	t.Helper()
	return open(t, Options(t))
}

func open(t testing.TB, opts media.S3Options) *media.S3Store {
	t.Helper()
	if opts.AccessKey == "" {
		opts.AccessKey, opts.SecretKey = os.Getenv("AWS_ACCESS_KEY_ID"), os.Getenv("AWS_SECRET_ACCESS_KEY")
	}
	s, err := media.NewS3Store(opts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
