package models

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/arena-video/arena/models/media"
)

// fakeMeasurer returns fixed features per blob key, or err.
type fakeMeasurer struct {
	features map[string]media.Features
	err      error
	calls    int
}

func (f *fakeMeasurer) MeasureFeatures(_ context.Context, key, _ string) (media.Features, error) {
	f.calls++
	if f.err != nil {
		return media.Features{}, f.err
	}
	return f.features[key], nil
}

func TestClipFeatures_MeasuredOnceThenStored(t *testing.T) {
	s, _ := openClocked(t, Options{}, 5000, 6000)
	ctx := context.Background()
	todo, err := s.ClipsToMeasure(ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(todo) != 2 {
		t.Fatalf("%d clips to measure, want both new clips", len(todo))
	}
	m := &fakeMeasurer{features: map[string]media.Features{
		todo[0].BlobKey: {Motion: 3.5, Brightness: 120.25, Saturation: 40, Frames: 10},
		todo[1].BlobKey: {Motion: 0, Brightness: 16, Saturation: 0.5, Frames: 1},
	}}
	for _, c := range todo {
		if _, err := s.MeasureClipFeatures(ctx, m, c); err != nil {
			t.Fatal(err)
		}
	}
	if left, _ := s.ClipsToMeasure(ctx, false); len(left) != 0 {
		t.Errorf("%d clips still to measure after measuring all", len(left))
	}
	all, _ := s.ClipsToMeasure(ctx, true)
	if len(all) != 2 {
		t.Fatalf("--all lists %d clips, want 2", len(all))
	}
	for _, c := range all {
		want := m.features[c.BlobKey]
		if !c.FeaturesMeasured || c.Motion != want.Motion || c.Brightness != want.Brightness || c.Saturation != want.Saturation {
			t.Errorf("clip %s stored %v/%v/%v measured=%v, want %+v", c.PublicID, c.Motion, c.Brightness, c.Saturation, c.FeaturesMeasured, want)
		}
	}
	if err := s.SetClipFeatures(ctx, 9999, media.Features{}); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown clip: err = %v, want ErrNotFound", err)
	}
}

func TestClipFeatures_FailedMeasurementLeavesClipUnmeasured(t *testing.T) {
	s, _ := openClocked(t, Options{}, 5000)
	ctx := context.Background()
	todo, _ := s.ClipsToMeasure(ctx, false)
	m := &fakeMeasurer{err: media.ErrCorrupt}
	if _, err := s.MeasureClipFeatures(ctx, m, todo[0]); !errors.Is(err, media.ErrCorrupt) {
		t.Fatalf("err = %v, want the measurer's", err)
	}
	if left, _ := s.ClipsToMeasure(ctx, false); len(left) != 1 {
		t.Errorf("%d clips to measure after a failure, want 1", len(left))
	}
}

// TestMigrate_ClipStyleFeaturesUpgradesAnOldDatabase removes the columns
// migration 0600 adds and opens the database again, as an old one would be.
func TestMigrate_ClipStyleFeaturesUpgradesAnOldDatabase(t *testing.T) {
	dir := t.TempDir()
	s := openTestStore(t, filepath.Join(dir, "a.db"))
	for _, col := range []string{"motion", "brightness", "saturation", "features_measured"} {
		if err := s.db.w.Migrator().DropColumn(&Clip{}, col); err != nil {
			t.Fatalf("drop %s: %v", col, err)
		}
	}
	if err := s.db.w.Exec(`DELETE FROM ` + migrationTable + ` WHERE id = '0600_clip_style_features'`).Error; err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = openTestStore(t, filepath.Join(dir, "a.db"))
	for _, col := range []string{"motion", "brightness", "saturation", "features_measured"} {
		if !s.db.w.Migrator().HasColumn(&Clip{}, col) {
			t.Errorf("clips.%s missing after upgrade", col)
		}
	}
}
