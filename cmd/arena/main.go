// Command arena runs and operates an Arena: a blind arena where voters
// compare two anonymous AI-generated videos and a public leaderboard ranks
// the models that made them.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/arena-video/arena/models"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// env is the process environment, passed in so tests can set their own.
type env struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

// actor is who the audit log names for changes made by this command.
func (e env) actor() models.Actor { return models.CLIActor(e.getenv("USER")) }

// audit records a change the Store does not record itself. The change
// already happened, so a failure to record it is reported, not returned.
func (e env) audit(ctx context.Context, store *models.Store, action, target, detail string) {
	a := e.actor()
	err := store.Audit(ctx, models.AuditEntry{Actor: a.Name, IP: a.IP, Action: action, Target: target, Detail: detail})
	if err != nil {
		fmt.Fprintf(e.stderr, "could not write the audit entry: %v\n", err)
	}
}

type command struct {
	name    string
	summary string
	run     func(ctx context.Context, e env, args []string) error
}

func commands() []command {
	return []command{
		{"serve", "run the web server", runServe},
		{"backup", "copy the live database to a new file", runBackup},
		{"restore", "replace the stopped server's database with a backup", runRestore},
		{"admin create", "create an admin (password from the terminal or --password-stdin)", runAdminCreate},
		{"admin token", "print a new admin API token (--ttl), --list them or --revoke them", runAdminToken},
		{"admin passwd", "change an admin's password and end their sessions", runAdminPasswd},
		{"admin disable", "disable an admin: no sign-in, sessions ended, tokens revoked", runAdminDisable(true)},
		{"admin enable", "let a disabled admin sign in again", runAdminDisable(false)},
		{"admin logout", "end every session of an admin", runAdminLogout},
		{"import clips", "import clips listed in a CSV manifest and wait for their renditions", runImportClips},
		{"media reprocess", "render clips again with the current rendition profile (--all or --clip ID)", runMediaReprocess},
		{"media features", "measure clips' style features (motion, brightness, saturation) with ffmpeg", runMediaFeatures},
		{"media migrate", "copy every stored clip and image to another blob store, verified", runMediaMigrate},
		{"import votes", "record votes from a public battle-format JSON-lines file", runImportVotes},
		{"export votes", "write every valid vote as public battle-format JSON lines", runExportVotes},
		{"leaderboard", "compute a leaderboard from the current votes and print it", runLeaderboard},
		{"recompute", "refit and store every leaderboard", runRecompute},
		{"bench battles", "write synthetic votes with a known ranking, for benchmarks", runBenchBattles},
	}
}

const usageHead = `Arena: a blind arena for AI-generated video.

Usage:
  arena <command> [flags]

Commands:
`

func usage(w io.Writer) {
	fmt.Fprint(w, usageHead)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-18s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, "\nRun 'arena <command> --help' for a command's flags. Every flag can also be set\nthrough the ARENA_* environment variable named in its help.\n")
}

// run executes one command and returns the process exit code.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := env{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	name, rest := args[0], args[1:]
	// Two-word commands ("admin create", "import votes") join their words.
	for _, c := range commands() {
		if c.name == name || (len(rest) > 0 && c.name == name+" "+rest[0]) {
			if c.name != name {
				rest = rest[1:]
			}
			if err := c.run(ctx, e, rest); err != nil {
				if err == errHelp {
					return 0
				}
				fmt.Fprintf(stderr, "arena %s: %v\n", c.name, err)
				return 1
			}
			return 0
		}
	}
	fmt.Fprintf(stderr, "arena: unknown command %q\n\n", name)
	usage(stderr)
	return 2
}
