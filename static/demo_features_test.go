package static

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/arena-video/arena/models/media"
)

// demoManifestPath is demo.json in the source tree, for rewriting.
const demoManifestPath = "demo/demo.json"

// TestDemoFeatures_MatchMeasurement measures demo clips with ffmpeg and
// compares them with the features demo.json ships. Every clip is checked
// with ARENA_UPDATE_DEMO_FEATURES=1, which also rewrites demo.json with the
// fresh measurements (make-demo.sh runs it); otherwise the first three
// are, which keeps the test short.
func TestDemoFeatures_MatchMeasurement(t *testing.T) {
	blobs, err := media.NewStore(t.TempDir(), media.StoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !blobs.CanTranscode() || testing.Short() {
		t.Skip("needs ffmpeg and runs it per clip; skipped without it or with -short")
	}
	update := os.Getenv("ARENA_UPDATE_DEMO_FEATURES") == "1"
	man, err := LoadDemoManifest()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	measured := map[string]media.Features{}
	for _, c := range man.Clips {
		if !update && len(measured) == 3 {
			break
		}
		f, err := Demo().Open(c.File)
		if err != nil {
			t.Fatal(err)
		}
		st, err := blobs.PutRendition(ctx, f.(fs.File), demoUploadLimit)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		got, err := blobs.MeasureFeatures(ctx, st.Key, st.Info.MIME)
		if err != nil {
			t.Fatalf("%s: %v", c.File, err)
		}
		measured[c.File] = got
		if update {
			continue
		}
		want := c.Features
		if want == nil {
			t.Errorf("%s has no features in demo.json; run make-demo.sh or ARENA_UPDATE_DEMO_FEATURES=1", c.File)
			continue
		}
		if math.Abs(got.Motion-want.Motion) > 0.01 || math.Abs(got.Brightness-want.Brightness) > 0.01 || math.Abs(got.Saturation-want.Saturation) > 0.01 {
			t.Errorf("%s: measured %+v, demo.json says %+v", c.File, got, *want)
		}
	}
	if !update {
		return
	}
	// Rewrite each clip line in place, keeping the file's one-clip-a-line
	// layout.
	b, err := os.ReadFile(demoManifestPath)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	for i, line := range lines {
		for file, f := range measured {
			marker := fmt.Sprintf(`"file": %q`, file)
			at := strings.Index(line, marker)
			if at < 0 {
				continue
			}
			end := strings.LastIndex(line, "}")
			tail := line[end:]
			lines[i] = line[:at+len(marker)] + fmt.Sprintf(`, "features": {"motion": %.3f, "brightness": %.3f, "saturation": %.3f}`, f.Motion, f.Brightness, f.Saturation) + tail
		}
	}
	out := []byte(strings.Join(lines, "\n"))
	if bytes.Equal(out, b) {
		return
	}
	if err := os.WriteFile(filepath.Clean(demoManifestPath), out, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("rewrote %s with the features of %d clips", demoManifestPath, len(measured))
}
