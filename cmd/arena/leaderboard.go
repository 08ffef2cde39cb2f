package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/arena-video/arena/handlers"
	"github.com/arena-video/arena/models"
	"github.com/arena-video/arena/models/history"
	"github.com/arena-video/arena/models/leaderboard"
)

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
		fmt.Fprintf(e.stdout, "%-5d %-32s %8.1f %7.1f..%-6.1f %7d %6.1f%%\n", m.Rank, models.Truncate(m.Model.Name, 32), m.Score, m.CILower, m.CIUpper, m.Votes, 100*m.WinRate)
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
	e.audit(ctx, store, "recompute", "leaderboard", fmt.Sprintf("stored=%d history=%q", st.Stored, step))
	fmt.Fprintf(e.stdout, "stored %d leaderboards from %d valid votes in %s\n", st.Stored, st.Votes, st.Elapsed.Round(1e6))
	return nil
}
