// Package static holds Arena's embedded assets.
package static

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
)

// demoFiles holds the demo clips, their source images and manifest. An
// embed.FS cannot be changed, so a package variable is safe here.
//
//go:embed demo/demo.json demo/clips demo/images
var demoFiles embed.FS

// Demo returns the demo content rooted at static/demo: demo.json (the
// manifest; see DemoManifest), clips/ and images/. Every clip is demo content
// made by static/demo/make-demo.sh from fictional models.
func Demo() fs.FS {
	sub, err := fs.Sub(demoFiles, "demo")
	if err != nil {
		panic(err) // "demo" is a valid path, so this cannot happen
	}
	return sub
}

// LoadDemoManifest reads and decodes demo.json from Demo().
func LoadDemoManifest() (DemoManifest, error) {
	var m DemoManifest
	b, err := fs.ReadFile(Demo(), "demo.json")
	if err != nil {
		return m, fmt.Errorf("read demo manifest: %w", err)
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("decode demo manifest: %w", err)
	}
	return m, nil
}

// DemoManifest is the shape of demo.json.
type DemoManifest struct {
	// Note says that the content is demo content.
	Note    string       `json:"note"`
	Models  []DemoModel  `json:"models"`
	Prompts []DemoPrompt `json:"prompts"`
	Clips   []DemoClip   `json:"clips"`
}

// DemoModel is a fictional model of the demo.
type DemoModel struct {
	Slug         string `json:"slug"`
	Name         string `json:"name"`
	Organization string `json:"organization"`
	ReleaseDate  string `json:"release_date"` // YYYY-MM-DD
	License      string `json:"license"`      // "open" (open weights) or "proprietary"
	Homepage     string `json:"homepage"`
}

// DemoPrompt is a demo prompt. Image is a path inside Demo() for
// image-to-video prompts and "" otherwise; Audio marks the prompts whose
// clips have sound.
type DemoPrompt struct {
	Key      string `json:"key"`
	Text     string `json:"text"`
	Category string `json:"category"`
	Modality string `json:"modality"` // "t2v" or "i2v"
	Image    string `json:"image"`
	Audio    bool   `json:"audio"`
}

// DemoClip says which model made which clip for which prompt; File is a path
// inside Demo() whose name does not reveal the model. Features, when
// present, are the clip's style features as ffmpeg measures them, shipped so
// that seeding needs no ffmpeg run per clip.
type DemoClip struct {
	Model    string        `json:"model"`
	Prompt   string        `json:"prompt"`
	File     string        `json:"file"`
	Features *DemoFeatures `json:"features,omitempty"`
}

// DemoFeatures are a demo clip's measured style features (see the media
// package's Features).
type DemoFeatures struct {
	Motion     float64 `json:"motion"`
	Brightness float64 `json:"brightness"`
	Saturation float64 `json:"saturation"`
}
