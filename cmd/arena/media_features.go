package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/schollz/progressbar/v3"

	"github.com/arena-video/arena/models/media"
)

const mediaFeaturesSummary = `Measures the style features of clips with ffmpeg (motion, brightness and
saturation from its signalstats filter; duration and sound are known from
upload) and stores them, so that their votes count on the style-controlled
leaderboard. Clips measured before are skipped unless --all is given. Run
'arena recompute' (or let the server recompute) afterwards.`

// runMediaFeatures measures the clips that have no style features yet.
func runMediaFeatures(ctx context.Context, e env, args []string) error {
	var cfg baseConfig
	var bc blobConfig
	fs := flagSet(e, "media features", mediaFeaturesSummary)
	cfg.register(fs, e)
	bc.register(fs, e)
	all := fs.Bool("all", false, "measure every clip again, not only those never measured")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := cfg.resolve(); err != nil {
		return err
	}
	bs, err := openBlobStore(ctx, e, bc.BlobStore, cfg.DataDir)
	if err != nil {
		return err
	}
	blobs, err := media.NewStore(cfg.DataDir, media.StoreOptions{Blobs: bs})
	if err != nil {
		return err
	}
	if !blobs.CanTranscode() {
		return errors.New("ffmpeg is not installed: install it (Debian: apt-get install ffmpeg) to measure clip features")
	}
	store, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	clips, err := store.ClipsToMeasure(ctx, *all)
	if err != nil {
		return err
	}
	var bar *progressbar.ProgressBar
	if isTerminal(e.stderr) {
		bar = progressbar.NewOptions(len(clips), progressbar.OptionSetWriter(e.stderr), progressbar.OptionSetDescription("measuring clips"),
			progressbar.OptionShowCount(), progressbar.OptionClearOnFinish())
	}
	var failed []string
	for _, c := range clips {
		if err := ctx.Err(); err != nil {
			return err
		}
		if _, err := store.MeasureClipFeatures(ctx, blobs, c); err != nil {
			failed = append(failed, err.Error())
		}
		if bar != nil {
			_ = bar.Add(1)
		}
	}
	if bar != nil {
		_ = bar.Finish()
	}
	fmt.Fprintf(e.stdout, "measured %d clips, failed %d\n", len(clips)-len(failed), len(failed))
	for _, f := range failed {
		fmt.Fprintln(e.stdout, "  failed: "+f)
	}
	if len(failed) > 0 {
		return fmt.Errorf("%d of %d clips could not be measured", len(failed), len(clips))
	}
	return nil
}
