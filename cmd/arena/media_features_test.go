package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/arena-video/arena/models"
	"github.com/arena-video/arena/models/media"
)

func TestMediaFeaturesCommand_MeasuresUnmeasuredClips(t *testing.T) {
	ffmpeg, err := exec.LookPath("ffmpeg")
	if err != nil {
		t.Skip("ffmpeg is not installed")
	}
	ctx := context.Background()
	dir := t.TempDir()
	clipPath := filepath.Join(t.TempDir(), "red.mp4")
	if out, err := exec.Command(ffmpeg, "-v", "error", "-nostdin", "-f", "lavfi", "-i", "color=c=red:size=64x48:rate=10:duration=1",
		"-c:v", "libx264", "-pix_fmt", "yuv420p", clipPath).CombinedOutput(); err != nil {
		t.Fatalf("ffmpeg: %v\n%s", err, out)
	}
	// Store a rendition the way a database from before style features has
	// it: ready, unmeasured.
	st, err := models.Open(ctx, models.Options{DSN: filepath.Join(dir, "arena.db")})
	if err != nil {
		t.Fatal(err)
	}
	blobs, err := media.NewStore(dir, media.StoreOptions{DisableFFmpeg: true})
	if err != nil {
		t.Fatal(err)
	}
	m := models.Model{Slug: "red", Name: "Red"}
	p := models.Prompt{Text: "red", Modality: models.ModalityT2V}
	if err := st.CreateModel(ctx, &m); err != nil {
		t.Fatal(err)
	}
	if err := st.CreatePrompt(ctx, &p); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(clipPath)
	if err != nil {
		t.Fatal(err)
	}
	stored, err := blobs.PutRendition(ctx, f, 1<<20)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	c := models.ClipFromStored(stored)
	c.ModelID, c.PromptID = m.ID, p.ID
	if err := st.CreateClip(ctx, &c); err != nil {
		t.Fatal(err)
	}
	if c.FeaturesMeasured {
		t.Fatal("a clip stored without measuring says it was measured")
	}
	st.Close()

	code, out, errOut := runArena(t, ctx, nil, "media", "features", "--data-dir", dir)
	if code != 0 || !strings.Contains(out, "measured 1 clips, failed 0") {
		t.Fatalf("first run: exit %d, %q %q", code, out, errOut)
	}
	code, out, _ = runArena(t, ctx, nil, "media", "features", "--data-dir", dir)
	if code != 0 || !strings.Contains(out, "measured 0 clips") {
		t.Errorf("second run should find nothing to measure: exit %d, %q", code, out)
	}
	st, err = models.Open(ctx, models.Options{DSN: filepath.Join(dir, "arena.db")})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	all, err := st.ClipsToMeasure(ctx, true)
	if err != nil || len(all) != 1 {
		t.Fatalf("clips %v, %v", all, err)
	}
	if got := all[0]; !got.FeaturesMeasured || got.Saturation < 80 || got.Motion != 0 {
		t.Errorf("stored features: saturation %.1f motion %.1f measured %v; want a still, saturated red clip", got.Saturation, got.Motion, got.FeaturesMeasured)
	}
}
