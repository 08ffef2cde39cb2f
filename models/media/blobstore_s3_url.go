package media

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// ParseS3URL reads a blob store location of the form
// s3://bucket/prefix?endpoint=URL&region=NAME&path_style=true into options
// without credentials. Credentials never go in the URL (it shows up in logs
// and process lists); an URL carrying any is refused.
func ParseS3URL(raw string) (S3Options, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return S3Options{}, fmt.Errorf("blob store URL: %w", err)
	}
	if u.Scheme != "s3" {
		return S3Options{}, fmt.Errorf("blob store URL %q: want s3://bucket/prefix", raw)
	}
	if u.User != nil {
		return S3Options{}, errors.New("blob store URL: credentials do not go in the URL; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY")
	}
	o := S3Options{Bucket: u.Host, Prefix: strings.Trim(u.Path, "/")}
	if o.Bucket == "" {
		return S3Options{}, fmt.Errorf("blob store URL %q names no bucket", raw)
	}
	for name, vals := range u.Query() {
		v := vals[len(vals)-1]
		switch name {
		case "endpoint":
			e, err := url.Parse(v)
			if err != nil || (e.Scheme != "http" && e.Scheme != "https") || e.Host == "" {
				return S3Options{}, fmt.Errorf("blob store URL: endpoint %q is not an http(s) URL", v)
			}
			o.Endpoint = v
		case "region":
			o.Region = v
		case "path_style":
			if o.PathStyle, err = strconv.ParseBool(v); err != nil {
				return S3Options{}, fmt.Errorf("blob store URL: path_style=%q is not true or false", v)
			}
		default:
			return S3Options{}, fmt.Errorf("blob store URL: unknown setting %q (endpoint, region and path_style are known)", name)
		}
	}
	return o, nil
}

// CreateBucket creates the store's bucket unless it exists already. Arena
// never calls it on its own: a missing bucket at start-up is an error, not
// something to paper over. Tests and first set-ups use it.
func (s *S3Store) CreateBucket(ctx context.Context) error {
	_, err := s.client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(s.bucket)})
	var owned *types.BucketAlreadyOwnedByYou
	var exists *types.BucketAlreadyExists
	if err == nil || errors.As(err, &owned) || errors.As(err, &exists) {
		return nil
	}
	return fmt.Errorf("create bucket %s: %w", s.bucket, err)
}
