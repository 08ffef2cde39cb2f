package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/arena-video/arena/models/media"
)

// blobConfig says where clip and image bytes live.
type blobConfig struct {
	// BlobStore is "file" (or empty) for the data directory, or an
	// s3://bucket/prefix?endpoint=…&region=…&path_style=true URL.
	BlobStore string
	// MediaRedirect is "" (Arena streams every clip) or "presigned".
	MediaRedirect string
}

// presignTTL is how long a presigned clip URL works: long enough to watch
// a clip and vote, short enough that a URL passed around soon stops working.
const presignTTL = 10 * time.Minute

func (c *blobConfig) register(fs *flag.FlagSet, e env) {
	fs.StringVar(&c.BlobStore, "blob-store", envOr(e, "ARENA_BLOB_STORE", "file"), "where clips and images live: file (the data dir's blobs/) or s3://bucket/prefix?endpoint=URL&region=NAME&path_style=true, with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY set (ARENA_BLOB_STORE)")
	fs.StringVar(&c.MediaRedirect, "media-redirect", e.getenv("ARENA_MEDIA_REDIRECT"), "presigned: /media answers with a 10-minute presigned URL of the bucket instead of streaming (S3 only); empty streams through Arena (ARENA_MEDIA_REDIRECT)")
}

// presign returns how long presigned media URLs last, or 0 for streaming.
func (c *blobConfig) presign() (time.Duration, error) {
	switch c.MediaRedirect {
	case "", "stream":
		return 0, nil
	case "presigned":
		if !strings.HasPrefix(c.BlobStore, "s3://") {
			return 0, fmt.Errorf("--media-redirect=presigned needs an s3:// blob store, not %q", c.BlobStore)
		}
		return presignTTL, nil
	}
	return 0, fmt.Errorf("--media-redirect=%q: want presigned or nothing", c.MediaRedirect)
}

// startupCheckTimeout bounds the first request to a bucket: an endpoint
// that does not answer must stop the start-up, not hang it.
const startupCheckTimeout = 15 * time.Second

// openBlobStore opens the store loc names in dataDir's context and checks
// that it can be used now: a missing bucket, refused credentials or an
// endpoint that is down are errors, so `arena serve` exits non-zero at once
// instead of failing every clip request later.
func openBlobStore(ctx context.Context, e env, loc, dataDir string) (media.BlobStore, error) {
	var bs media.BlobStore
	switch {
	case loc == "" || loc == "file":
		dir, err := media.NewDirStore(dataDir)
		if err != nil {
			return nil, err
		}
		bs = dir
	case strings.HasPrefix(loc, "s3://"):
		opts, err := media.ParseS3URL(loc)
		if err != nil {
			return nil, err
		}
		opts.AccessKey, opts.SecretKey = e.getenv("AWS_ACCESS_KEY_ID"), e.getenv("AWS_SECRET_ACCESS_KEY")
		opts.SessionToken = e.getenv("AWS_SESSION_TOKEN")
		if opts.Region == "" {
			opts.Region = e.getenv("AWS_REGION")
		}
		s, err := media.NewS3Store(opts)
		if err != nil {
			return nil, err
		}
		bs = s
	default:
		return nil, fmt.Errorf("blob store %q: want file or s3://bucket/prefix", loc)
	}
	cctx, cancel := context.WithTimeout(ctx, startupCheckTimeout)
	defer cancel()
	if err := bs.Check(cctx); err != nil {
		return nil, fmt.Errorf("blob store %s: %w", bs, err)
	}
	return bs, nil
}
