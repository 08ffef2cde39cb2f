// Package static holds Arena's CSS, JavaScript and icons, embedded in the
// binary so that one file runs the whole arena. Pages need no build step.
package static

import (
	"embed"
	"io/fs"
)

//go:embed css js img
var assets embed.FS

// Assets returns the files served under /static/.
func Assets() fs.FS { return assets }
