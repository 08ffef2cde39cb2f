package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/schollz/progressbar/v3"

	"github.com/arena-video/arena/models/media"
)

const migrateSummary = `Copies every clip, image and other stored file from the blob store in use
(--blob-store, ARENA_BLOB_STORE) to another one: --to file for the data dir's
blobs/, or --to s3://bucket/prefix?endpoint=…&region=…&path_style=true. Each
file is verified by SHA-256 twice: the bytes read must hash to the file's key,
and the copy read back from the destination must too. Files the destination
already holds are skipped, so the command can be run again after an
interruption. Nothing is deleted from the source. Point ARENA_BLOB_STORE at
the destination and restart the servers once it reports no failures.`

// migrateConfig is what arena media migrate needs.
type migrateConfig struct {
	DataDir string
	blobConfig
	To string
}

// runMediaMigrate copies every blob to another store.
func runMediaMigrate(ctx context.Context, e env, args []string) error {
	var cfg migrateConfig
	fs := flagSet(e, "media migrate", migrateSummary)
	fs.StringVar(&cfg.DataDir, "data-dir", envOr(e, "ARENA_DATA_DIR", "./arena-data"), "data directory, whose blobs/ is the file store (ARENA_DATA_DIR)")
	cfg.blobConfig.register(fs, e)
	fs.StringVar(&cfg.To, "to", "", "the destination: file or an s3:// URL")
	if err := parse(fs, args); err != nil {
		return err
	}
	if cfg.To == "" {
		return errors.New("say where to copy to: --to file or --to s3://bucket/prefix")
	}
	from, err := openBlobStore(ctx, e, cfg.BlobStore, cfg.DataDir)
	if err != nil {
		return fmt.Errorf("source: %w", err)
	}
	to, err := openBlobStore(ctx, e, cfg.To, cfg.DataDir)
	if err != nil {
		return fmt.Errorf("destination: %w", err)
	}
	if from.String() == to.String() {
		return fmt.Errorf("the source and the destination are the same store (%s)", from)
	}
	blobs, err := media.Blobs(ctx, from)
	if err != nil {
		return fmt.Errorf("list %s: %w", from, err)
	}
	var total int64
	for _, b := range blobs {
		total += b.Size
	}
	fmt.Fprintf(e.stderr, "copying %d files (%d MB) from %s to %s\n", len(blobs), total>>20, from, to)
	var bar *progressbar.ProgressBar
	if isTerminal(e.stderr) {
		bar = progressbar.NewOptions64(total, progressbar.OptionSetWriter(e.stderr), progressbar.OptionSetDescription("migrating"),
			progressbar.OptionShowBytes(true), progressbar.OptionShowCount(), progressbar.OptionClearOnFinish())
	}
	var failures []string
	report, err := media.Copy(ctx, from, to, blobs, func(b media.BlobInfo, outcome media.CopyOutcome, err error) {
		if err != nil {
			failures = append(failures, fmt.Sprintf("%s: %v", b.Key, err))
		}
		if bar != nil {
			_ = bar.Add64(b.Size)
		}
	})
	if bar != nil {
		_ = bar.Finish()
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "copied %d (%d MB), already there %d, failed %d\n", report.Copied, report.CopiedBytes>>20, report.AlreadyThere, report.Failed)
	for _, f := range failures {
		fmt.Fprintln(e.stdout, "  failed: "+f)
	}
	if report.Failed > 0 {
		return fmt.Errorf("%d of %d files failed; run the command again to retry them", report.Failed, len(blobs))
	}
	return nil
}
