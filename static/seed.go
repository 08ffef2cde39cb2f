package static

import (
	"context"
	"fmt"
	"io"
	"io/fs"

	"github.com/arena-video/arena/models"
	"github.com/arena-video/arena/models/media"
)

// demoUploadLimit bounds a demo file; the real ones are tiny.
const demoUploadLimit = 64 << 20

// SeedDemo fills the empty database behind s with the embedded demo models, prompts
// and clips. It reports whether it seeded anything: a database that already
// has models is left alone.
func SeedDemo(ctx context.Context, s *models.Store, blobs *media.Store) (bool, error) {
	n, err := s.CountModels(ctx)
	if err != nil || n > 0 {
		return false, err
	}
	man, err := LoadDemoManifest()
	if err != nil {
		return false, err
	}
	demo := Demo()
	modelIDs := make(map[string]uint)
	for _, m := range man.Models {
		row := models.Model{Slug: m.Slug, Name: m.Name, Organization: m.Organization, ReleaseDate: m.ReleaseDate, License: m.License, Homepage: m.Homepage}
		if err := s.CreateModel(ctx, &row); err != nil {
			return false, err
		}
		modelIDs[m.Slug] = row.ID
	}
	promptIDs := make(map[string]uint)
	for _, p := range man.Prompts {
		row := models.Prompt{Text: p.Text, Category: p.Category, Modality: p.Modality}
		if p.Image != "" {
			st, err := putFile(ctx, demo, p.Image, blobs.PutImage)
			if err != nil {
				return false, err
			}
			row.ImageKey, row.ImageMIME = st.Key, st.Info.MIME
		}
		if err := s.CreatePrompt(ctx, &row); err != nil {
			return false, err
		}
		promptIDs[p.Key] = row.ID
	}
	for _, c := range man.Clips {
		mid, okM := modelIDs[c.Model]
		pid, okP := promptIDs[c.Prompt]
		if !okM || !okP {
			return false, fmt.Errorf("demo.json: clip %s names an unknown model or prompt", c.File)
		}
		st, err := putFile(ctx, demo, c.File, blobs.PutRendition)
		if err != nil {
			return false, err
		}
		clip := models.ClipFromStored(st)
		clip.ModelID, clip.PromptID = mid, pid
		if f := c.Features; f != nil {
			clip.Motion, clip.Brightness, clip.Saturation, clip.FeaturesMeasured = f.Motion, f.Brightness, f.Saturation, true
		}
		if err := s.CreateClip(ctx, &clip); err != nil {
			return false, err
		}
	}
	return true, nil
}

type putFunc func(ctx context.Context, r io.Reader, maxBytes int64) (media.Stored, error)

func putFile(ctx context.Context, fsys fs.FS, name string, put putFunc) (media.Stored, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return media.Stored{}, err
	}
	defer f.Close()
	st, err := put(ctx, f, demoUploadLimit)
	if err != nil {
		return media.Stored{}, fmt.Errorf("store demo file %s: %w", name, err)
	}
	return st, nil
}
