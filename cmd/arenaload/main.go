// Command arenaload puts an Arena under load the way voters do: each
// simulated voter keeps its own cookie jar and repeats a voting cycle
// (POST /api/v1/matchups, then POST /api/v1/matchups/{id}/vote) as fast as
// the server answers. It prints cycles per second, latency percentiles per
// endpoint and errors by status; with --json the last line is one JSON
// object for scripts.
//
// With --serve-bare ADDR it instead serves a bare Echo handler that answers
// the same two routes with canned bodies and touches no database: the
// ceiling this machine's HTTP stack sets, to compare Arena against (with
// wrk or with arenaload itself).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run parses flags, runs the load (or the bare server) and returns the exit
// code: 0 when every cycle succeeded, 1 when some failed, 2 for bad usage.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var cfg loadConfig
	var asJSON bool
	var bare string
	fs := flag.NewFlagSet("arenaload", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.Target, "target", "http://127.0.0.1:8080", "base URL of the arena under load; several, comma-separated, spread the voters over instances of one arena")
	fs.IntVar(&cfg.Voters, "voters", 64, "simulated voters, each with its own cookie jar and connection")
	fs.DurationVar(&cfg.Duration, "duration", 10*time.Second, "how long to run (ignored with --cycles)")
	fs.IntVar(&cfg.Cycles, "cycles", 0, "stop after this many voting cycles in total instead of after --duration")
	fs.StringVar(&cfg.Pool, "pool", "", "ask for matchups from this pool only (t2v, i2v, t2v-audio, i2v-audio)")
	fs.BoolVar(&asJSON, "json", false, "end the output with one line of JSON")
	fs.StringVar(&bare, "serve-bare", "", "serve a bare handler for the two voting routes on this address instead of generating load")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "arenaload: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if bare != "" {
		if err := serveBare(ctx, bare, stderr); err != nil {
			fmt.Fprintln(stderr, "arenaload:", err)
			return 1
		}
		return 0
	}
	if err := cfg.validate(); err != nil {
		fmt.Fprintln(stderr, "arenaload:", err)
		return 2
	}
	rep, err := runLoad(ctx, cfg)
	if err != nil {
		fmt.Fprintln(stderr, "arenaload:", err)
		return 1
	}
	rep.print(stdout)
	if asJSON {
		b, _ := json.Marshal(rep.summary())
		fmt.Fprintln(stdout, string(b))
	}
	if rep.Errors > 0 {
		return 1
	}
	return 0
}

func (c *loadConfig) validate() error {
	for _, t := range strings.Split(c.Target, ",") {
		u, err := url.Parse(t)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("--target %q is not an http(s) URL", t)
		}
	}
	if c.Voters < 1 {
		return errors.New("--voters must be at least 1")
	}
	if c.Cycles < 0 || (c.Cycles == 0 && c.Duration <= 0) {
		return errors.New("give a positive --duration or --cycles")
	}
	return nil
}
