package e2e

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/color/palette"
	"image/png"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/chromedp/chromedp"
	"golang.org/x/image/draw"
)

// shot saves a screenshot of the viewport as name.png in the artifacts
// directory (ARENA_E2E_ARTIFACTS, or a temp dir) and, for the pictures the
// README shows, also in ARENA_E2E_SCREENSHOTS when that is set, shrunk to
// keep the repository small.
func (b *browser) shot(name string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	raw, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	writePNG(b.t, artifactsDir(b.t), name, raw)
	if d := os.Getenv("ARENA_E2E_SCREENSHOTS"); d != "" && readmeShots[name] {
		writePNG(b.t, fromModuleRoot(b.t, d), name, shrink(b.t, raw, readmeWidth))
	}
}

// readmeWidth is the widest screenshot committed for the README.
const readmeWidth = 960

func writePNG(t *testing.T, dir, name string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name+".png")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot %s", p)
}

// shrink scales a PNG down to at most width pixels wide and recompresses it.
func shrink(t *testing.T, data []byte, width int) []byte {
	t.Helper()
	src, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("decode screenshot: %v", err)
	}
	sb := src.Bounds()
	dst := src
	if sb.Dx() > width {
		r := image.NewRGBA(image.Rect(0, 0, width, sb.Dy()*width/sb.Dx()))
		draw.CatmullRom.Scale(r, r.Bounds(), src, sb, draw.Src, nil)
		dst = r
	}
	// A 256-colour palette makes the file a fifth of the size: the page's
	// own flat colours stay exact, the clips' frames lose a little shading.
	pal := image.NewPaletted(dst.Bounds(), screenshotPalette(dst))
	draw.Draw(pal, pal.Bounds(), dst, dst.Bounds().Min, draw.Src)
	var out bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&out, pal); err != nil {
		t.Fatalf("encode screenshot: %v", err)
	}
	return out.Bytes()
}

// readmeShots are the screenshots README.md links to.
var readmeShots = map[string]bool{"arena-desktop": true, "arena-phone": true, "reveal": true, "leaderboard": true, "model": true, "model-phone": true, "leaderboard-style": true}

func artifactsDir(t *testing.T) string {
	if d := os.Getenv("ARENA_E2E_ARTIFACTS"); d != "" {
		return filepath.Join(fromModuleRoot(t, d), t.Name())
	}
	return t.TempDir()
}

// fromModuleRoot resolves a relative path against the module root, so
// ARENA_E2E_SCREENSHOTS=static/screenshots means the same wherever go test
// runs the package.
func fromModuleRoot(t *testing.T, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return filepath.Join(d, p)
		}
		if filepath.Dir(d) == d {
			t.Fatalf("no go.mod above %s", dir)
		}
	}
}

// screenshotPalette is the image's 128 most frequent colours (the page's
// backgrounds, text and borders) topped up with an even spread of Plan 9's
// palette for everything else.
func screenshotPalette(img image.Image) color.Palette {
	counts := map[color.RGBA]int{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			counts[color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)]++
		}
	}
	common := make([]color.RGBA, 0, len(counts))
	for c := range counts {
		common = append(common, c)
	}
	sort.Slice(common, func(i, j int) bool { return counts[common[i]] > counts[common[j]] })
	var pal color.Palette
	for _, c := range common[:min(128, len(common))] {
		pal = append(pal, c)
	}
	for i := 0; len(pal) < 256; i += 2 {
		pal = append(pal, palette.Plan9[i%len(palette.Plan9)])
	}
	return pal
}
