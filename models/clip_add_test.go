package models

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/arena-video/arena/models/media"
)

// cancelAfterPut stores the file, then cancels the request, as a client
// that disconnects just before the database insert would.
type cancelAfterPut struct {
	*media.Store
	cancel context.CancelFunc
}

func (c cancelAfterPut) PutOriginal(ctx context.Context, r io.Reader, maxBytes int64) (media.Original, error) {
	o, err := c.Store.PutOriginal(ctx, r, maxBytes)
	c.cancel()
	return o, err
}

func TestAddClip_FailureAfterStoringLeavesNoBlob(t *testing.T) {
	dir := t.TempDir()
	ctx := context.Background()
	s, err := Open(ctx, Options{DSN: filepath.Join(dir, "a.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	blobs, err := media.NewStore(dir, media.StoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !blobs.CanTranscode() {
		t.Skip("ffmpeg is not installed (CI installs it)")
	}
	m := Model{Slug: "alpha", Name: "Alpha"}
	p := Prompt{Text: "x", Modality: ModalityT2V}
	if err := s.CreateModel(ctx, &m); err != nil {
		t.Fatal(err)
	}
	if err := s.CreatePrompt(ctx, &p); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join("media", "testdata", "clip.mp4"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()

	reqCtx, cancel := context.WithCancel(ctx)
	_, err = s.AddClip(reqCtx, cancelAfterPut{blobs, cancel}, m.ID, p.ID, f, 0)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("AddClip = %v, want the cancellation", err)
	}
	var left []string
	filepath.WalkDir(filepath.Join(dir, "blobs"), func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			left = append(left, p)
		}
		return nil
	})
	if len(left) != 0 {
		t.Errorf("blobs left after the request failed: %v", left)
	}
	if cs, _ := s.ListClips(ctx, 0); len(cs) != 0 {
		t.Errorf("clip rows after the request failed: %d", len(cs))
	}
}
