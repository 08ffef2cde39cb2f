package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"

	"github.com/arena-video/arena/models"
	"github.com/arena-video/arena/models/media"
)

const reprocessSummary = `Renders clips again from their stored originals with the current rendition
profile (--rendition-box, --rendition-fps, --rendition-kbps), keeping their
public ids: run it after changing the profile, so that every clip of a pool
shares it again. A clip keeps serving its old rendition until the new one is
stored. Give --all or --clip PUBLIC_ID. The command renders the clips itself
and waits, sharing the queue with any running server; --no-wait leaves them
to the servers.`

// runMediaReprocess queues new renditions and, unless told not to, renders
// them and waits.
func runMediaReprocess(ctx context.Context, e env, args []string) error {
	var cfg baseConfig
	var mc mediaConfig
	var bc blobConfig
	fs := flagSet(e, "media reprocess", reprocessSummary)
	cfg.register(fs, e)
	bc.register(fs, e)
	if err := mc.register(fs, e); err != nil {
		return err
	}
	all := fs.Bool("all", false, "re-render every clip")
	clip := fs.String("clip", "", "re-render the clip with this public id")
	noWait := fs.Bool("no-wait", false, "return once the jobs are queued")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *all == (*clip != "") {
		return errors.New("give either --all or --clip PUBLIC_ID")
	}
	profile, err := mc.profile()
	if err != nil {
		return err
	}
	if err := cfg.resolve(); err != nil {
		return err
	}
	store, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	bs, err := openBlobStore(ctx, e, bc.BlobStore, cfg.DataDir)
	if err != nil {
		return err
	}
	blobs, err := media.NewStore(cfg.DataDir, mc.storeOptions(bs))
	if err != nil {
		return err
	}
	if !blobs.CanTranscode() && !*noWait {
		return media.ErrNoFFmpeg
	}
	jobs, err := store.ReprocessClips(ctx, *clip)
	if err != nil {
		return err
	}
	ids, err := store.ClipIDsOfJobs(ctx, jobs)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "queued %d clips for rendering as %s\n", len(ids), profile)
	if *noWait || len(ids) == 0 {
		return nil
	}
	stop := startTranscoder(ctx, mc.transcoder(store, blobs, profile, models.TranscoderOptions{Logger: cliLogger(e.stderr)}))
	defer stop()
	var bars io.Writer
	if isTerminal(e.stderr) {
		bars = e.stderr
	}
	failed, err := waitForRenditions(ctx, store, ids, bars)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "rendered %d, failed %d\n", len(ids)-len(failed), len(failed))
	for _, f := range failed {
		fmt.Fprintln(e.stdout, "  failed: "+f)
	}
	if len(failed) > 0 {
		return fmt.Errorf("%d of %d clips failed to render; they keep their previous rendition", len(failed), len(ids))
	}
	return nil
}

// cliLogger reports only errors: a command draws its own progress.
func cliLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelError}))
}
