package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
)

// errHelp reports that a command printed its help and should exit 0.
var errHelp = errors.New("help requested")

// baseConfig is what every subcommand needs: where the data lives.
type baseConfig struct {
	DataDir string
	DB      string
}

// flagSet makes a FlagSet whose help names the command and lists each flag
// with its environment variable.
func flagSet(e env, name, summary string) *flag.FlagSet {
	fs := flag.NewFlagSet("arena "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stdout, "Usage: arena %s [flags]\n\n%s\n\nFlags:\n", name, summary)
		fs.SetOutput(e.stdout)
		fs.PrintDefaults()
		fs.SetOutput(e.stderr)
	}
	return fs
}

// parse parses flags, turning -h into errHelp.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return errHelp
		}
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return nil
}

func (c *baseConfig) register(fs *flag.FlagSet, e env) {
	fs.StringVar(&c.DataDir, "data-dir", envOr(e, "ARENA_DATA_DIR", "./arena-data"), "directory for the database, clips and keys (ARENA_DATA_DIR)")
	fs.StringVar(&c.DB, "db", e.getenv("ARENA_DB"), "database: a SQLite file path or a postgres:// URL; default arena.db in the data dir (ARENA_DB)")
}

// resolve fills defaults that depend on other flags and makes the data dir.
func (c *baseConfig) resolve() error {
	if c.DataDir == "" {
		return errors.New("--data-dir must not be empty")
	}
	if err := os.MkdirAll(c.DataDir, 0o750); err != nil {
		return fmt.Errorf("create data dir: %w", err)
	}
	if c.DB == "" {
		c.DB = filepath.Join(c.DataDir, "arena.db")
	}
	return nil
}
