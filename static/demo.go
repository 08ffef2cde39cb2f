package static

import (
	"embed"
	"io/fs"
)

//go:embed demo
var demo embed.FS

// Demo returns the demo models, prompts and clips: demo.json and the files
// it names. It is never served over HTTP.
func Demo() fs.FS {
	f, err := fs.Sub(demo, "demo")
	if err != nil {
		panic(err) // the embedded tree always has demo/
	}
	return f
}
