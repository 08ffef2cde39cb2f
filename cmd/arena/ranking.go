package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"time"

	"github.com/arena-video/arena/models"
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
