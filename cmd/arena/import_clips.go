package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/arena-video/arena/models"
	"github.com/arena-video/arena/models/manifest"
	"github.com/arena-video/arena/models/media"
)

// importConfig is what arena import clips needs.
type importConfig struct {
	baseConfig
	blobConfig
	MaxUploadMB int64
	Manifest    string
	NoWait      bool
	Media       mediaConfig
}

const importSummary = `Imports clips listed in a CSV manifest with the columns
model,prompt,category,modality,file and optionally source_image (for i2v
prompts). Paths are relative to the manifest. Missing models are created (slug
made from the model name) and missing prompts too (matched by text and
modality). Clips already stored (same bytes) are skipped, so the import can be
run again after fixing failures. Every clip is transcoded into the arena's
canonical rendition: the import renders them itself, sharing the queue with
any running server, and waits until each is ready or failed (--no-wait leaves
them to the servers). The manifest is the one argument after the flags:
arena import clips [flags] MANIFEST.csv`

// runImportClips imports the clips a manifest lists.
func runImportClips(ctx context.Context, e env, args []string) error {
	var cfg importConfig
	fs := flagSet(e, "import clips", importSummary)
	cfg.baseConfig.register(fs, e)
	cfg.blobConfig.register(fs, e)
	maxMB, err := envPositive(e, "ARENA_MAX_UPLOAD_MB", 500)
	if err != nil {
		return err
	}
	fs.Int64Var(&cfg.MaxUploadMB, "max-upload-mb", maxMB, "largest clip accepted, in MB (ARENA_MAX_UPLOAD_MB)")
	fs.BoolVar(&cfg.NoWait, "no-wait", false, "return once the clips are stored and queued, leaving the transcodes to running servers")
	if err := cfg.Media.register(fs, e); err != nil {
		return err
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return errHelp
		}
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("give exactly one manifest: arena import clips MANIFEST.csv")
	}
	cfg.Manifest = fs.Arg(0)
	maxBytes, err := uploadBytes(cfg.MaxUploadMB)
	if err != nil {
		return err
	}
	if err := cfg.resolve(); err != nil {
		return err
	}
	profile, err := cfg.Media.profile()
	if err != nil {
		return err
	}

	f, err := os.Open(cfg.Manifest)
	if err != nil {
		return err
	}
	rows, err := manifest.Parse(f)
	f.Close()
	if err != nil {
		return err
	}
	store, err := openStore(ctx, cfg.baseConfig)
	if err != nil {
		return err
	}
	defer store.Close()
	bs, err := openBlobStore(ctx, e, cfg.BlobStore, cfg.DataDir)
	if err != nil {
		return err
	}
	blobs, err := media.NewStore(cfg.DataDir, cfg.Media.storeOptions(bs))
	if err != nil {
		return err
	}
	if !blobs.CanTranscode() {
		return media.ErrNoFFmpeg
	}
	var barOut io.Writer
	if isTerminal(e.stderr) {
		barOut = e.stderr
	}
	// Files are opened through an os.Root on the manifest's folder, so no
	// path in the manifest (nor a symbolic link) reaches outside it.
	root, err := os.OpenRoot(filepath.Dir(cfg.Manifest))
	if err != nil {
		return fmt.Errorf("open the manifest's folder: %w", err)
	}
	defer root.Close()
	imp := &importer{
		env:   e,
		store: store, blobs: blobs, root: root, maxBytes: maxBytes, bars: barOut,
		models: make(map[string]models.Model), prompts: make(map[string]models.Prompt),
	}
	// Render while importing: the first clips are ready sooner, and a
	// server sharing the database takes jobs too.
	var stop func()
	if !cfg.NoWait {
		stop = startTranscoder(ctx, cfg.Media.transcoder(store, blobs, profile, models.TranscoderOptions{Logger: cliLogger(e.stderr)}))
		defer stop()
	}
	var queued []string
	var skipped int
	var failed []string
	for _, row := range rows {
		if err := ctx.Err(); err != nil {
			return err
		}
		id, err := imp.importRow(ctx, row)
		switch {
		case err != nil:
			failed = append(failed, fmt.Sprintf("line %d (%s): %v", row.Line, row.File, err))
		case id == "":
			skipped++
		default:
			queued = append(queued, id)
		}
	}
	fmt.Fprintf(e.stdout, "imported %d, skipped %d (already stored), failed %d\n", len(queued), skipped, len(failed))
	for _, f := range failed {
		fmt.Fprintln(e.stdout, "  failed: "+f)
	}
	if cfg.NoWait {
		if len(queued) > 0 {
			fmt.Fprintf(e.stdout, "%d clips queued for transcoding; a running server renders them (GET /api/v1/admin/clips/{id} shows their status)\n", len(queued))
		}
	} else {
		renderFailed, err := waitForRenditions(ctx, store, queued, barOut)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "rendered %d, failed %d\n", len(queued)-len(renderFailed), len(renderFailed))
		for _, f := range renderFailed {
			fmt.Fprintln(e.stdout, "  render failed: "+f)
		}
		failed = append(failed, renderFailed...)
	}
	if len(failed) > 0 {
		return fmt.Errorf("%d of %d clips failed; fix them and run the import again", len(failed), len(rows))
	}
	return nil
}

// importer remembers the models and prompts it has found or made.
type importer struct {
	env      env // for the audit entries
	store    *models.Store
	blobs    *media.Store
	root     *os.Root // the manifest's folder
	maxBytes int64
	bars     io.Writer // where to draw a progress bar per file; nil for none
	models   map[string]models.Model
	prompts  map[string]models.Prompt
}

// importRow imports one manifest row, returning the new clip's public id,
// or "" when the file was already stored.
func (im *importer) importRow(ctx context.Context, row manifest.Row) (string, error) {
	if row.Err != nil {
		return "", row.Err
	}
	sum, err := im.fileSHA256(row.File)
	if err != nil {
		return "", err
	}
	if _, err := im.store.ClipBySHA256(ctx, sum); err == nil {
		return "", nil
	} else if !errors.Is(err, models.ErrNotFound) {
		return "", err
	}
	m, ok := im.models[row.Slug]
	if !ok {
		var created bool
		if m, created, err = im.store.EnsureModel(ctx, row.Slug, row.Model); err != nil {
			return "", err
		}
		if created { // the entry the admin pages write for a new model
			im.env.audit(ctx, im.store, "model.create", "model:"+m.Slug, fmt.Sprintf("name=%q organization=%q", m.Name, m.Organization))
		}
		if (row.Family != "" && row.Family != m.Family) || (row.Version != "" && row.Version != m.Version) {
			p := models.ModelPatch{}
			if row.Family != "" {
				p.Family = &row.Family
			}
			if row.Version != "" {
				p.Version = &row.Version
			}
			if m, err = im.store.UpdateModel(ctx, im.env.actor(), row.Slug, p); err != nil {
				return "", err
			}
		}
		im.models[row.Slug] = m
	}
	p, err := im.prompt(ctx, row)
	if err != nil {
		return "", err
	}
	f, err := im.open(row.File)
	if err != nil {
		return "", err
	}
	defer f.Close()
	var r io.Reader = f
	if im.bars != nil {
		if fi, err := f.Stat(); err == nil {
			bar := progressbar.NewOptions64(fi.Size(), progressbar.OptionSetWriter(im.bars), progressbar.OptionSetDescription("storing "+filepath.Base(row.File)),
				progressbar.OptionShowBytes(true), progressbar.OptionClearOnFinish())
			defer bar.Finish()
			r = io.TeeReader(f, bar)
		}
	}
	c, err := im.store.AddClip(ctx, im.blobs, m.ID, p.ID, r, im.maxBytes)
	if errors.Is(err, models.ErrConflict) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	// The same entry an upload through the web writes.
	im.env.audit(ctx, im.store, "clip.upload", "clip:"+c.PublicID, fmt.Sprintf("model=%s prompt=%d file=%q bytes=%d codec=%s %dx%d",
		m.Slug, c.PromptID, filepath.Base(row.File), c.OriginalSize, c.Source.Codec, c.Source.Width, c.Source.Height))
	return c.PublicID, nil
}

// prompt finds the row's prompt by text and modality, creating it (with its
// source image) when it does not exist.
func (im *importer) prompt(ctx context.Context, row manifest.Row) (models.Prompt, error) {
	key := row.Modality + "\x00" + row.Prompt
	if p, ok := im.prompts[key]; ok {
		return p, nil
	}
	p, err := im.store.FindPrompt(ctx, row.Prompt, row.Modality)
	if errors.Is(err, models.ErrNotFound) {
		p = models.Prompt{Text: row.Prompt, Category: row.Category, Modality: row.Modality}
		var img io.Reader
		if row.SourceImage != "" {
			f, err := im.open(row.SourceImage)
			if err != nil {
				return models.Prompt{}, err
			}
			defer f.Close()
			img = f
		}
		if err = im.store.CreatePromptWithImage(ctx, im.blobs, &p, img, 20<<20); err == nil {
			// The entry the admin pages write for a new prompt.
			im.env.audit(ctx, im.store, "prompt.create", "prompt:"+strconv.FormatUint(uint64(p.ID), 10), fmt.Sprintf("modality=%s category=%q image=%t", p.Modality, p.Category, p.ImageKey != ""))
		}
	}
	if err != nil {
		return models.Prompt{}, err
	}
	im.prompts[key] = p
	return p, nil
}

// open opens a file named in the manifest, relative to the manifest's
// folder and confined to it.
func (im *importer) open(p string) (*os.File, error) {
	if !manifest.LocalPath(p) {
		return nil, fmt.Errorf("%q is not a path inside the manifest's folder", p)
	}
	return im.root.Open(filepath.FromSlash(p))
}

func (im *importer) fileSHA256(path string) (string, error) {
	f, err := im.open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("read %s: %w", filepath.Base(path), err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// isTerminal reports whether w is a terminal, where a progress bar helps;
// in a pipe or a log it would only add noise.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// uploadBytes turns --max-upload-mb into bytes, refusing values that make
// no sense (up to 1 TB is allowed).
func uploadBytes(mb int64) (int64, error) {
	if mb <= 0 || mb > 1<<20 {
		return 0, fmt.Errorf("--max-upload-mb=%d: give a size between 1 and 1048576 MB", mb)
	}
	return mb << 20, nil
}
