package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/arena-video/arena/models/media"
	"github.com/arena-video/arena/models/media/s3test"
)

func TestServe_RefusesABlobStoreItCannotUse(t *testing.T) {
	dir := t.TempDir()
	good := s3test.URL(t) // skips without an S3 server
	creds := map[string]string{"AWS_ACCESS_KEY_ID": os.Getenv("AWS_ACCESS_KEY_ID"), "AWS_SECRET_ACCESS_KEY": os.Getenv("AWS_SECRET_ACCESS_KEY")}
	query := good[strings.IndexByte(good, '?'):]
	with := func(extra map[string]string) map[string]string {
		m := map[string]string{}
		for k, v := range creds {
			m[k] = v
		}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}
	for _, tc := range []struct {
		name string
		env  map[string]string
		want string
	}{
		{"missing bucket", with(map[string]string{"ARENA_BLOB_STORE": "s3://no-such-bucket-here/x" + query}), "does not exist"},
		{"wrong secret", with(map[string]string{"ARENA_BLOB_STORE": good, "AWS_SECRET_ACCESS_KEY": "wrong"}), "access denied"},
		{"no credentials", map[string]string{"ARENA_BLOB_STORE": good}, "AWS_ACCESS_KEY_ID"},
		{"endpoint down", with(map[string]string{"ARENA_BLOB_STORE": "s3://arena-test/x?endpoint=http://127.0.0.1:1&path_style=true"}), "unavailable"},
		{"credentials in the URL", with(map[string]string{"ARENA_BLOB_STORE": "s3://key:secret@arena-test/x"}), "do not go in the URL"},
		{"unknown scheme", with(map[string]string{"ARENA_BLOB_STORE": "gs://bucket"}), "s3://"},
		{"presigned on files", map[string]string{"ARENA_MEDIA_REDIRECT": "presigned"}, "needs an s3://"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runArena(t, context.Background(), tc.env, "serve", "--data-dir", dir, "--addr", "127.0.0.1:0")
			if code == 0 || !strings.Contains(stderr, tc.want) {
				t.Fatalf("exit %d, stderr %q: want a failure naming %q", code, stderr, tc.want)
			}
		})
	}
}

func TestMediaMigrate_CopiesVerifiesAndResumes(t *testing.T) {
	dest := s3test.URL(t)
	env := map[string]string{"AWS_ACCESS_KEY_ID": os.Getenv("AWS_ACCESS_KEY_ID"), "AWS_SECRET_ACCESS_KEY": os.Getenv("AWS_SECRET_ACCESS_KEY")}
	dir := t.TempDir()
	files, err := media.NewDirStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for i := range 3 {
		b := bytes.Repeat([]byte{byte('a' + i)}, 1000*(i+1))
		sum := sha256.Sum256(b)
		key := hex.EncodeToString(sum[:])
		if _, err := files.Put(context.Background(), key, bytes.NewReader(b), int64(len(b))); err != nil {
			t.Fatal(err)
		}
		keys = append(keys, key)
	}
	code, out, stderr := runArena(t, context.Background(), env, "media", "migrate", "--data-dir", dir, "--to", dest)
	if code != 0 || !strings.Contains(out, "copied 3 (0 MB), already there 0, failed 0") {
		t.Fatalf("first migrate: exit %d\n%s%s", code, out, stderr)
	}
	code, out, stderr = runArena(t, context.Background(), env, "media", "migrate", "--data-dir", dir, "--to", dest)
	if code != 0 || !strings.Contains(out, "copied 0 (0 MB), already there 3, failed 0") {
		t.Fatalf("second migrate: exit %d\n%s%s", code, out, stderr)
	}

	// A blob whose bytes no longer match its key is refused, named, and
	// not left in the destination.
	bad := bytes.Repeat([]byte{'z'}, 500)
	sum := sha256.Sum256([]byte("something else"))
	badKey := hex.EncodeToString(sum[:])
	if err := os.MkdirAll(filepath.Join(dir, "blobs", badKey[:2]), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "blobs", badKey[:2], badKey), bad, 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, _ = runArena(t, context.Background(), env, "media", "migrate", "--data-dir", dir, "--to", dest)
	if code == 0 || !strings.Contains(out, "failed 1") || !strings.Contains(out, badKey) || !strings.Contains(out, "damaged") {
		t.Fatalf("migrate with a damaged blob: exit %d\n%s", code, out)
	}

	// Back again: everything the bucket holds comes home verified.
	home := t.TempDir()
	code, out, stderr = runArena(t, context.Background(), map[string]string{"AWS_ACCESS_KEY_ID": env["AWS_ACCESS_KEY_ID"], "AWS_SECRET_ACCESS_KEY": env["AWS_SECRET_ACCESS_KEY"], "ARENA_BLOB_STORE": dest},
		"media", "migrate", "--data-dir", home, "--to", "file")
	if code != 0 || !strings.Contains(out, "copied 3") {
		t.Fatalf("migrate back: exit %d\n%s%s", code, out, stderr)
	}
	back, err := media.NewDirStore(home)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		if err := media.Verify(context.Background(), back, k); err != nil {
			t.Error(err)
		}
	}
}
