package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"path/filepath"

	"github.com/arena-video/arena/models"
)

// runExportVotes writes every valid vote as JSON lines, as the API does.
func runExportVotes(ctx context.Context, e env, args []string) error {
	store, _, err := rankingCommandStore(ctx, e, "export votes", "Writes every valid vote to standard output in the public battle format (one JSON object a line), with nothing about voters.", args)
	if err != nil {
		return err
	}
	defer store.Close()
	w := bufio.NewWriterSize(e.stdout, 64<<10)
	enc := json.NewEncoder(w)
	if err := store.ExportVotes(ctx, func(v models.BattleVote) error { return enc.Encode(v) }); err != nil {
		return err
	}
	return w.Flush()
}

// runImportVotes records votes from a public battle-format file.
func runImportVotes(ctx context.Context, e env, args []string) error {
	var base baseConfig
	var skipBad bool
	fs := flagSet(e, "import votes", "Records the votes in FILE.jsonl: arena import votes [flags] FILE.jsonl\n\n"+
		"The file is in the public battle format, one JSON object a line: model_a, model_b,\n"+
		"winner (model_a | model_b | tie | \"tie (bothbad)\"); optional prompt_id, category,\n"+
		"pool (or modality; default t2v) and tstamp (unix seconds). Unknown models are\n"+
		"created. A malformed line refuses the whole file with its line number, unless\n"+
		"--skip-bad.")
	base.register(fs, e)
	fs.BoolVar(&skipBad, "skip-bad", false, "skip malformed lines and count them instead of refusing the file")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return errHelp
		}
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("give exactly one file: arena import votes FILE.jsonl")
	}
	if err := base.resolve(); err != nil {
		return err
	}
	store, err := models.Open(ctx, models.Options{DSN: base.DB, Logger: slog.New(slog.NewTextHandler(e.stderr, nil))})
	if err != nil {
		return err
	}
	defer store.Close()
	sum, err := store.ImportVotes(ctx, fs.Arg(0), models.ImportOptions{
		SkipBad: skipBad,
		Progress: func(pass int, n int64) {
			what := map[int]string{1: "checked", 2: "read for storing"}[pass]
			fmt.Fprintf(e.stderr, "%s %d lines\n", what, n)
		},
	})
	if err != nil {
		return err
	}
	e.audit(ctx, store, "votes.import", "voter:"+sum.VoterID, fmt.Sprintf("file=%q lines=%d imported=%d skipped=%d new_models=%d",
		filepath.Base(fs.Arg(0)), sum.Lines, sum.Imported, sum.Skipped, len(sum.NewModels)))
	fmt.Fprintf(e.stdout, "imported %d votes from %d lines as voter %s; skipped %d bad lines; created %d models\n",
		sum.Imported, sum.Lines, sum.VoterID, sum.Skipped, len(sum.NewModels))
	if sum.FirstBad != "" {
		fmt.Fprintf(e.stdout, "first skipped: %s\n", sum.FirstBad)
	}
	return nil
}
