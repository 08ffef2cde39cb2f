package e2e

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/arena-video/arena/models"
	"github.com/arena-video/arena/models/media/testclips"
)

// TestRenditions_EveryVendorShapePlaysInChromium uploads one clip of every
// shape vendors deliver (HEVC, ProRes, AV1, MPEG-4 Part 2, ... in MP4, MOV,
// WebM and MKV) and plays what voters are served in real Chromium: each
// decodes (readyState ≥ 2) with no MediaError. HEVC and ProRes as uploaded
// do not play in Chromium at all; their renditions must.
func TestRenditions_EveryVendorShapePlaysInChromium(t *testing.T) {
	if why := testclips.Available(); why != "" {
		t.Skip(why)
	}
	s := startSite(t, false)
	b := newBrowser(t)
	ctx := context.Background()
	m := models.Model{Slug: "vendor", Name: "Vendor"}
	if err := s.Store.CreateModel(ctx, &m); err != nil {
		t.Fatal(err)
	}
	for _, spec := range testclips.Vendors {
		t.Run(spec.Name, func(t *testing.T) {
			p := models.Prompt{Text: "shape " + spec.Name, Modality: models.ModalityT2V}
			if err := s.Store.CreatePrompt(ctx, &p); err != nil {
				t.Fatal(err)
			}
			f, err := os.Open(testclips.Make(t, spec))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			clip, err := s.Store.AddClip(ctx, s.Blobs, m.ID, p.ID, f, 1<<30)
			if err != nil {
				t.Fatalf("add %s: %v", spec.Name, err)
			}
			deadline := time.Now().Add(3 * time.Minute)
			for clip.Status != models.ClipReady {
				if clip.Status == models.ClipFailed || time.Now().After(deadline) {
					t.Fatalf("clip %s is %s (%d%%): %s", spec.Name, clip.Status, clip.Progress, clip.Error)
				}
				time.Sleep(100 * time.Millisecond)
				if clip, err = s.Store.ClipStatus(ctx, clip.PublicID); err != nil {
					t.Fatal(err)
				}
			}
			b.open(s.URL + "/media/" + clip.PublicID)
			b.waitFor(spec.Name+" to decode", `(() => { const v = document.querySelector("video"); return v && (v.error !== null || v.readyState >= 2); })()`, 30*time.Second)
			if code := b.evalFloat(`(() => { const v = document.querySelector("video"); return v.error ? v.error.code : 0; })()`); code != 0 {
				t.Errorf("%s: MediaError %v", spec.Name, code)
			}
			if w := b.evalFloat(`document.querySelector("video").videoWidth`); w <= 0 {
				t.Errorf("%s: videoWidth %v", spec.Name, w)
			}
		})
	}
}
