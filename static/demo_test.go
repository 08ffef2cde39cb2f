package static

import (
	"bytes"
	"io/fs"
	"path"
	"strings"
	"testing"

	"github.com/arena-video/arena/models/media"
)

// maxDemoBytes keeps the demo small enough to embed in every build.
const maxDemoBytes = 5 << 20

func TestDemo_ManifestMatchesFiles(t *testing.T) {
	m, err := LoadDemoManifest()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.ToLower(m.Note), "demo") {
		t.Errorf("the manifest note %q should say this is demo content", m.Note)
	}
	if len(m.Models) < 5 || len(m.Prompts) < 8 {
		t.Errorf("%d models and %d prompts; want at least 5 and 8", len(m.Models), len(m.Prompts))
	}
	models := map[string]bool{}
	for _, mod := range m.Models {
		if !strings.HasPrefix(mod.Name, "Demo ") || !strings.HasPrefix(mod.Organization, "Demo ") {
			t.Errorf("model %+v is not labelled as demo", mod)
		}
		models[mod.Slug] = true
	}
	prompts := map[string]DemoPrompt{}
	for _, p := range m.Prompts {
		prompts[p.Key] = p
		switch {
		case p.Modality == "i2v" && p.Image == "":
			t.Errorf("image-to-video prompt %s has no image", p.Key)
		case p.Modality == "t2v" && p.Image != "":
			t.Errorf("text-to-video prompt %s has an image", p.Key)
		case p.Modality != "t2v" && p.Modality != "i2v":
			t.Errorf("prompt %s has modality %q", p.Key, p.Modality)
		}
		if p.Image != "" {
			head := readHead(t, p.Image)
			if _, err := media.SniffImage(head); err != nil {
				t.Errorf("prompt %s image: %v", p.Key, err)
			}
		}
	}

	made := map[string]map[string]bool{} // prompt -> models with a clip
	for _, c := range m.Clips {
		_, ok := prompts[c.Prompt]
		if !ok || !models[c.Model] {
			t.Errorf("clip %+v names an unknown model or prompt", c)
			continue
		}
		if made[c.Prompt] == nil {
			made[c.Prompt] = map[string]bool{}
		}
		if made[c.Prompt][c.Model] {
			t.Errorf("model %s has two clips for prompt %s", c.Model, c.Prompt)
		}
		made[c.Prompt][c.Model] = true
		if _, err := media.Sniff(readHead(t, c.File)); err != nil {
			t.Errorf("clip %s: %v", c.File, err)
		}
	}
	for key := range prompts {
		if len(made[key]) < 2 {
			t.Errorf("prompt %s has clips from %d models; a matchup needs 2", key, len(made[key]))
		}
	}
}

// TestDemo_ClipsDoNotNameTheirModel is the blindness check for the demo:
// neither a clip's name nor its bytes may contain a model's name, slug or
// organisation, or an encoder string that could fingerprint it.
func TestDemo_ClipsDoNotNameTheirModel(t *testing.T) {
	m, err := LoadDemoManifest()
	if err != nil {
		t.Fatal(err)
	}
	var words []string
	for _, mod := range m.Models {
		words = append(words, mod.Slug, mod.Name, mod.Organization)
	}
	for _, c := range m.Clips {
		b, err := fs.ReadFile(Demo(), c.File)
		if err != nil {
			t.Fatal(err)
		}
		lower := bytes.ToLower(b)
		forbidden := append([]string{"lavc", "x264"}, words...)
		if path.Ext(c.File) != ".webm" {
			// ffmpeg's WebM muxer always writes a bare "Lavf"; the same in
			// every WebM, it tells no model apart.
			forbidden = append(forbidden, "lavf")
		}
		for _, w := range forbidden {
			if bytes.Contains(lower, []byte(strings.ToLower(w))) {
				t.Errorf("clip %s contains %q", c.File, w)
			}
			if strings.Contains(strings.ToLower(c.File), strings.ToLower(w)) {
				t.Errorf("clip name %s contains %q", c.File, w)
			}
		}
	}
}

func TestDemo_IsSmall(t *testing.T) {
	var total int64
	err := fs.WalkDir(Demo(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		total += info.Size()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if total > maxDemoBytes {
		t.Errorf("demo content is %d bytes; keep it under %d", total, maxDemoBytes)
	}
	t.Logf("demo content: %d bytes", total)
}

// readHead returns the first bytes of a file in Demo(), enough to sniff.
func readHead(t *testing.T, name string) []byte {
	t.Helper()
	b, err := fs.ReadFile(Demo(), name)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return b[:min(len(b), media.SniffLen)]
}
