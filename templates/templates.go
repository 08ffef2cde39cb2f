// Package templates holds Arena's html/template pages, embedded in the
// binary. Every page is the layout plus one page file.
package templates

import (
	"embed"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"strings"
)

//go:embed *.html
var files embed.FS

// Set is the parsed pages, keyed by page name (the file name without .html).
type Set struct {
	pages map[string]*template.Template
}

// Parse parses every page with the layout. asset maps an asset path to its
// versioned URL.
func Parse(asset func(string) string) (*Set, error) {
	funcs := template.FuncMap{
		"asset": asset,
		"upper": strings.ToUpper,
		"pct":   func(share float64) float64 { return 100 * share },
	}
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(files, "layout.html")
	if err != nil {
		return nil, fmt.Errorf("parse layout: %w", err)
	}
	names, err := fs.Glob(files, "*.html")
	if err != nil {
		return nil, err
	}
	s := &Set{pages: make(map[string]*template.Template)}
	for _, n := range names {
		if n == "layout.html" {
			continue
		}
		t, err := template.Must(base.Clone()).ParseFS(files, n)
		if err != nil {
			return nil, fmt.Errorf("parse %s: %w", n, err)
		}
		s.pages[strings.TrimSuffix(n, ".html")] = t
	}
	return s, nil
}

// Render writes the named page.
func (s *Set) Render(w io.Writer, name string, data any) error {
	t, ok := s.pages[name]
	if !ok {
		return fmt.Errorf("no page %q", name)
	}
	return t.ExecuteTemplate(w, "layout.html", data)
}
