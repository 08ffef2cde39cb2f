package models

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/arena-video/arena/models/media"
	"github.com/arena-video/arena/models/testclock"
)

// Two Stores on one database, as two instances are: the catalog of one is
// read again only when the other (or anything) changed the tables.
func TestCatalog_ReloadsOnlyWhenAnotherProcessChangedIt(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "a.db")
	clock := testclock.New(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	open := func() *Store {
		s, err := Open(ctx, Options{DSN: testDSN(t, path), Now: clock.Now, CatalogMaxAge: time.Second})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	a, b := open(), open()
	version := func() uint64 {
		t.Helper()
		v, err := a.CatalogVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	first := version()
	clock.Advance(time.Minute)
	if v := version(); v != first {
		t.Errorf("catalog reloaded (version %d → %d) though nothing changed", first, v)
	}
	if err := b.CreateModel(ctx, &Model{Slug: "alpha", Name: "Alpha"}); err != nil {
		t.Fatal(err)
	}
	if v := version(); v != first {
		t.Errorf("catalog reloaded before CatalogMaxAge passed (version %d → %d)", first, v)
	}
	clock.Advance(time.Minute)
	if v := version(); v == first {
		t.Error("a model created by another Store did not reload the catalog after CatalogMaxAge")
	}
	cv, err := a.LoadCoverage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(cv.Models) != 1 || cv.Models[0].Model.Slug != "alpha" {
		t.Errorf("coverage models = %+v, want alpha", cv.Models)
	}
}

// A clip another instance has just rendered is served at once: a catalog
// loaded while the clip was still processing must not answer "not ready"
// until it is next reloaded.
func TestClipByPublicID_ReadyOnAnotherStoreBeforeTheCatalogReloads(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "a.db")
	open := func() *Store {
		s, err := Open(ctx, Options{DSN: testDSN(t, path), CatalogMaxAge: time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}
	a, b := open(), open()
	clip := queueClips(t, b, 1)[0]
	if got, err := a.ClipByPublicID(ctx, clip.PublicID); err != nil || got.Status != ClipProcessing {
		t.Fatalf("before the render: %q, %v; want processing", got.Status, err)
	}
	job, _, ok, err := b.ClaimClipJob(ctx, "b", time.Minute)
	if err != nil || !ok {
		t.Fatalf("claim = %v %v", ok, err)
	}
	if err := b.FinishClipJob(ctx, job, "b", media.Rendition{Key: strings.Repeat("b", 64)}, media.DefaultProfile()); err != nil {
		t.Fatal(err)
	}
	got, err := a.ClipByPublicID(ctx, clip.PublicID)
	if err != nil || got.Status != ClipReady || got.BlobKey != strings.Repeat("b", 64) {
		t.Fatalf("after the render on the other store: %q %q, %v; want ready with its rendition", got.Status, got.BlobKey, err)
	}
}
