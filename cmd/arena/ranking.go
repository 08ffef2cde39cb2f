package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/arena-video/arena/handlers"
	"github.com/arena-video/arena/models"
	"github.com/arena-video/arena/models/history"
	"github.com/arena-video/arena/models/leaderboard"
)

// rankingConfig is how leaderboards are computed, shared by serve and the
// ranking commands so that they agree.
type rankingConfig struct {
	Rounds      int
	AnchorSlug  string
	AnchorScore float64
	MinVotes    int64 // set by the commands that store boards
}

func (c *rankingConfig) register(fs *flag.FlagSet, e env) error {
	rounds, err := envWhole(e, "ARENA_BOOTSTRAP_ROUNDS", 1000)
	if err != nil {
		return err
	}
	score, err := envFloat(e, "ARENA_ANCHOR_SCORE", 1000)
	if err != nil {
		return err
	}
	fs.IntVar(&c.Rounds, "bootstrap-rounds", rounds, "bootstrap rounds behind the 95% intervals (ARENA_BOOTSTRAP_ROUNDS)")
	fs.StringVar(&c.AnchorSlug, "anchor-model", e.getenv("ARENA_ANCHOR_MODEL"), "slug of a model pinned at --anchor-score; empty centres the scores on 1000 (ARENA_ANCHOR_MODEL)")
	fs.Float64Var(&c.AnchorScore, "anchor-score", score, "score of the anchor model (ARENA_ANCHOR_SCORE)")
	return nil
}

func (c rankingConfig) validate() error {
	if c.Rounds < 1 || c.Rounds > 100000 {
		return fmt.Errorf("--bootstrap-rounds must be from 1 to 100000, not %d", c.Rounds)
	}
	return nil
}

func (c rankingConfig) options() leaderboard.Options {
	return leaderboard.Options{Rounds: c.Rounds, AnchorSlug: c.AnchorSlug, AnchorScore: c.AnchorScore, MinVotes: c.MinVotes}
}

// rankingOptions are the server's: its provisional threshold decides which
// models the rank feed follows.
func (c serveConfig) rankingOptions() leaderboard.Options {
	o := c.Ranking.options()
	o.MinVotes = int64(c.MinVotes)
	return o
}

// envWhole reads a whole number (0 allowed) from the environment; a
// malformed value is an error.
func envWhole(e env, key string, def int) (int, error) {
	v := e.getenv(key)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%s=%q is not a whole number", key, v)
	}
	return n, nil
}

func envFloat(e env, key string, def float64) (float64, error) {
	v := e.getenv(key)
	if v == "" {
		return def, nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return 0, fmt.Errorf("%s=%q is not a number", key, v)
	}
	return f, nil
}

// openForRanking parses the common flags of the ranking commands and opens
// the store.
func openForRanking(ctx context.Context, e env, fs *flag.FlagSet, args []string, base *baseConfig, rc *rankingConfig) (*models.Store, error) {
	if err := parse(fs, args); err != nil {
		return nil, err
	}
	if err := rc.validate(); err != nil {
		return nil, err
	}
	if err := base.resolve(); err != nil {
		return nil, err
	}
	return models.Open(ctx, models.Options{DSN: base.DB, Logger: slog.New(slog.NewTextHandler(e.stderr, nil))})
}

// runLeaderboard prints a leaderboard computed from the current votes.
func runLeaderboard(ctx context.Context, e env, args []string) error {
	var base baseConfig
	var rc rankingConfig
	var asJSON bool
	var pool, category, control string
	var minVotes int64
	fs := flagSet(e, "leaderboard", "Computes a leaderboard from the current valid votes and prints it: with --json, exactly the body of GET /api/v1/leaderboard.")
	base.register(fs, e)
	if err := rc.register(fs, e); err != nil {
		return err
	}
	fs.BoolVar(&asJSON, "json", false, "print JSON (the API's shape) instead of a table")
	fs.StringVar(&pool, "pool", models.PoolT2V, "pool: "+strings.Join(models.Pools, ", "))
	fs.StringVar(&category, "category", "", "only votes on prompts of this category")
	fs.Int64Var(&minVotes, "min-votes", 0, "leave out models with fewer votes")
	fs.StringVar(&control, "control", "", `"style" for the style-controlled board (clip duration, motion, brightness, saturation and sound held equal)`)
	store, err := openForRanking(ctx, e, fs, args, &base, &rc)
	if err != nil {
		return err
	}
	defer store.Close()
	if !models.ValidPool(pool) {
		return fmt.Errorf("unknown pool %q: use one of %s", pool, strings.Join(models.Pools, ", "))
	}
	if control != "" && control != "style" {
		return fmt.Errorf(`--control must be "style" or left out, not %q`, control)
	}
	lb, err := leaderboard.New(store, rc.options()).Compute(ctx, pool, category)
	if err != nil {
		return err
	}
	pub, err := handlers.Public(ctx, store, pool, lb, handlers.LeaderboardFilter{MinVotes: minVotes, Control: control})
	if err != nil {
		return err
	}
	if asJSON {
		return json.NewEncoder(e.stdout).Encode(pub)
	}
	fmt.Fprintf(e.stdout, "%-5s %-32s %8s %15s %7s %7s\n", "rank", "model", "score", "95% interval", "votes", "win%")
	for _, m := range pub.Models {
		fmt.Fprintf(e.stdout, "%-5d %-32s %8.1f %7.1f..%-6.1f %7d %6.1f%%\n", m.Rank, truncate(m.Model.Name, 32), m.Score, m.CILower, m.CIUpper, m.Votes, 100*m.WinRate)
	}
	fmt.Fprintf(e.stdout, "%d valid votes\n", pub.Votes)
	if sc := pub.StyleControl; sc != nil {
		fmt.Fprintf(e.stdout, "style control: %d votes between clips with measured features\n", sc.Votes)
		for _, c := range sc.Coefficients {
			fmt.Fprintf(e.stdout, "  %s\n", c.Description)
		}
	}
	return nil
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// rankingCommandStore parses the flags of a command that only needs the data
// dir and the ranking options, and opens the store.
func rankingCommandStore(ctx context.Context, e env, name, summary string, args []string) (*models.Store, rankingConfig, error) {
	var base baseConfig
	var rc rankingConfig
	fs := flagSet(e, name, summary)
	base.register(fs, e)
	if err := rc.register(fs, e); err != nil {
		return nil, rc, err
	}
	store, err := openForRanking(ctx, e, fs, args, &base, &rc)
	return store, rc, err
}

// runRecompute refreshes every stored leaderboard, and with --history first
// rebuilds the boards of the past from the votes' times.
func runRecompute(ctx context.Context, e env, args []string) error {
	var base baseConfig
	var rc rankingConfig
	var step string
	fs := flagSet(e, "recompute", "Refits and stores every leaderboard (each pool, and each category within a pool) from the current valid votes. With --history daily or hourly it first stores each pool's board as it stood at the end of every day or hour since the first vote.")
	base.register(fs, e)
	if err := rc.register(fs, e); err != nil {
		return err
	}
	minVotes, err := envWhole(e, "ARENA_MIN_VOTES", 20)
	if err != nil {
		return err
	}
	fs.Int64Var(&rc.MinVotes, "min-votes", int64(minVotes), "models with fewer votes are provisional: the rank feed follows ranked models only (ARENA_MIN_VOTES)")
	fs.StringVar(&step, "history", "", "also rebuild the past boards of every pool, one per `step`: daily or hourly (UTC)")
	store, err := openForRanking(ctx, e, fs, args, &base, &rc)
	if err != nil {
		return err
	}
	defer store.Close()
	boards := leaderboard.New(store, rc.options())
	if step != "" {
		s, err := history.ParseStep(step)
		if err != nil {
			return err
		}
		hs, err := boards.RebuildHistory(ctx, s)
		if errors.Is(err, leaderboard.ErrNoVotes) {
			return fmt.Errorf("--history: the database has no valid votes, so there is no history to rebuild; import votes first (arena import votes FILE)")
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "history: %d %s boards stored, %d steps already had one, from %d valid votes (%s to %s) in %s (reading votes %s); %d rank events\n",
			hs.Stored, s, hs.Skipped, hs.Votes, hs.First.Format(time.RFC3339), hs.Last.Format(time.RFC3339),
			hs.Elapsed.Round(time.Millisecond), hs.Read.Round(time.Millisecond), hs.Events)
	}
	st, err := boards.Recompute(ctx, true)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "stored %d leaderboards from %d valid votes in %s\n", st.Stored, st.Votes, st.Elapsed.Round(1e6))
	return nil
}

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
	fmt.Fprintf(e.stdout, "imported %d votes from %d lines as voter %s; skipped %d bad lines; created %d models\n",
		sum.Imported, sum.Lines, sum.VoterID, sum.Skipped, len(sum.NewModels))
	if sum.FirstBad != "" {
		fmt.Fprintf(e.stdout, "first skipped: %s\n", sum.FirstBad)
	}
	return nil
}

// registerRanking adds serve's leaderboard flags.
func (c *serveConfig) registerRanking(fs *flag.FlagSet, e env) error {
	if err := c.Ranking.register(fs, e); err != nil {
		return err
	}
	every, err := envDuration(e, "ARENA_RECOMPUTE_EVERY", 10*time.Second)
	if err != nil {
		return err
	}
	minVotes, err := envWhole(e, "ARENA_MIN_VOTES", 20)
	if err != nil {
		return err
	}
	meMin, err := envWhole(e, "ARENA_ME_MIN_VOTES", 20)
	if err != nil {
		return err
	}
	fs.DurationVar(&c.RecomputeEvery, "recompute-every", every, "after votes, recompute the leaderboards at most this often (ARENA_RECOMPUTE_EVERY)")
	fs.IntVar(&c.MinVotes, "min-votes", minVotes, "models with fewer votes are listed apart as provisional (ARENA_MIN_VOTES)")
	fs.IntVar(&c.MeMinVotes, "me-min-votes", meMin, "valid votes a voter needs before /me shows their own ranking (ARENA_ME_MIN_VOTES)")
	return nil
}

// startRecomputer runs the background leaderboard recompute until ctx ends
// or the returned stop is called; stop waits for it to finish.
func startRecomputer(ctx context.Context, r *leaderboard.Recomputer) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		r.Run(ctx)
	}()
	return func() {
		cancel()
		<-done
	}
}
