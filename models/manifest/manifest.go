// Package manifest reads the CSV manifest of a bulk clip import: one row per
// clip, naming its model, its prompt (text, category, modality) and its file,
// and for image-to-video prompts the source image. Parsing is pure: no files
// are opened and nothing is stored, so it can be fuzzed.
package manifest

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// Columns every manifest has, in any order; source_image is optional.
var required = []string{"model", "prompt", "category", "modality", "file"}

const optionalImage = "source_image"

// optional columns a manifest may have: the source image, and the model's
// family and version, which are set on the model when given.
var optional = []string{optionalImage, "family", "version"}

// Row is one clip to import. Err says what is wrong with the row, if
// anything; such a row is reported as failed and the others still import.
type Row struct {
	Line        int // line of the row in the manifest, for messages
	Model       string
	Slug        string // the model's slug, made from Model
	Prompt      string
	Category    string
	Modality    string
	File        string // as written: relative to the manifest's directory
	SourceImage string
	Family      string // the model's family ("HappyHorse"), or empty
	Version     string // the model's version ("1.1"), or empty
	Err         error
}

// maxRows bounds a manifest so a runaway file is refused early.
const maxRows = 1_000_000

// Parse reads a manifest. It fails as a whole only when the file is not a CSV
// with the required header; problems with single rows go into Row.Err.
func Parse(r io.Reader) ([]Row, error) {
	cr := csv.NewReader(r)
	cr.TrimLeadingSpace = true
	cr.ReuseRecord = false
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, errors.New("the manifest is empty: it needs a header line model,prompt,category,modality,file")
	}
	if err != nil {
		return nil, fmt.Errorf("manifest header: %w", err)
	}
	col, err := columns(header)
	if err != nil {
		return nil, err
	}
	var rows []Row
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if err != nil {
			return nil, fmt.Errorf("manifest: %w", err)
		}
		if len(rows) == maxRows {
			return nil, fmt.Errorf("manifest: more than %d rows; split it", maxRows)
		}
		line, _ := cr.FieldPos(0)
		get := func(name string) string {
			i, ok := col[name]
			if !ok {
				return ""
			}
			return strings.TrimSpace(rec[i])
		}
		row := Row{
			Line:        line,
			Model:       get("model"),
			Prompt:      get("prompt"),
			Category:    get("category"),
			Modality:    strings.ToLower(get("modality")),
			File:        get("file"),
			SourceImage: get(optionalImage),
			Family:      get("family"),
			Version:     get("version"),
		}
		row.Slug = Slug(row.Model)
		row.Err = check(row)
		rows = append(rows, row)
	}
}

// columns maps header names to positions and checks that the required ones
// are there and that no unknown one is.
func columns(header []string) (map[string]int, error) {
	col := make(map[string]int, len(header))
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\uFEFF")))
		known := false
		for _, o := range optional {
			known = known || h == o
		}
		for _, r := range required {
			known = known || h == r
		}
		if !known {
			return nil, fmt.Errorf("manifest header: unknown column %q; the columns are %s and optionally %s", h, strings.Join(required, ","), strings.Join(optional, ","))
		}
		if _, dup := col[h]; dup {
			return nil, fmt.Errorf("manifest header: column %q appears twice", h)
		}
		col[h] = i
	}
	for _, r := range required {
		if _, ok := col[r]; !ok {
			return nil, fmt.Errorf("manifest header: missing column %q; the columns are %s and optionally %s", r, strings.Join(required, ","), optionalImage)
		}
	}
	return col, nil
}

// check says what is wrong with a row, or nil.
func check(r Row) error {
	var problems []string
	for _, f := range []struct{ name, v string }{
		{"model", r.Model}, {"prompt", r.Prompt}, {"category", r.Category}, {"file", r.File}, {"source_image", r.SourceImage},
		{"family", r.Family}, {"version", r.Version},
	} {
		if !utf8.ValidString(f.v) || strings.ContainsRune(f.v, 0) {
			problems = append(problems, f.name+" is not valid UTF-8 text")
		}
	}
	switch {
	case r.Model == "":
		problems = append(problems, "model is empty")
	case r.Slug == "" || len(r.Model) > 128:
		problems = append(problems, "model must be a name of at most 128 characters with at least one letter or digit")
	}
	if r.Prompt == "" || len(r.Prompt) > 4000 {
		problems = append(problems, "prompt must have 1 to 4000 characters")
	}
	if len(r.Category) > 64 {
		problems = append(problems, "category must have at most 64 characters")
	}
	if len(r.Family) > 64 || len(r.Version) > 32 {
		problems = append(problems, "family must have at most 64 characters and version at most 32")
	}
	switch r.Modality {
	case "t2v":
		if r.SourceImage != "" {
			problems = append(problems, "source_image is only for i2v prompts")
		}
	case "i2v":
		if r.SourceImage == "" {
			problems = append(problems, "an i2v row needs a source_image")
		}
	default:
		problems = append(problems, "modality must be t2v or i2v")
	}
	if r.File == "" {
		problems = append(problems, "file is empty")
	}
	for _, f := range []struct{ name, v string }{{"file", r.File}, {"source_image", r.SourceImage}} {
		if f.v != "" && !LocalPath(f.v) {
			problems = append(problems, f.name+" must be a relative path inside the manifest's folder (no absolute path, no ..)")
		}
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}

// LocalPath reports whether p, a manifest path with forward slashes, stays
// inside the manifest's folder: not absolute, no ".." that climbs out, no
// backslash, which another system would read as a separator.
func LocalPath(p string) bool {
	return !strings.Contains(p, "\\") && filepath.IsLocal(filepath.FromSlash(p))
}

// Slug makes a model slug from a model name: lowercase ASCII letters and
// digits, other runs of characters turned into one dash, at most 64 long.
// "Kling 2.1 Master" becomes "kling-2-1-master". It returns "" when the
// name has no ASCII letter or digit.
func Slug(name string) string {
	var b strings.Builder
	dash := false
	for _, c := range strings.ToLower(name) {
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' {
			need := 1
			if dash && b.Len() > 0 {
				need = 2
			}
			if b.Len()+need > 64 {
				break
			}
			if need == 2 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(c)
			continue
		}
		dash = true
	}
	return b.String()
}
