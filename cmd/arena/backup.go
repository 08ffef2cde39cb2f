package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"

	"github.com/arena-video/arena/models"
)

// sqliteFileCommand parses the flags and FILE argument of backup and
// restore, which work on a SQLite file only.
func sqliteFileCommand(e env, name, summary string, args []string) (baseConfig, string, error) {
	var cfg baseConfig
	fs := flagSet(e, name, summary)
	cfg.register(fs, e)
	file, err := parseWithFile(fs, args)
	if err != nil {
		return cfg, "", err
	}
	if err := cfg.resolve(); err != nil {
		return cfg, "", err
	}
	if isURL(cfg.DB) {
		return cfg, "", errNotSQLite
	}
	return cfg, file, nil
}

// runBackup copies the live database to a new file without stopping the
// server.
func runBackup(ctx context.Context, e env, args []string) error {
	cfg, file, err := sqliteFileCommand(e, "backup", "FILE: writes a consistent copy of the SQLite database to FILE while the server keeps running.\nFILE must not exist yet. Clips live in the data dir's blobs/ and are copied separately (any file copy will do: they never change).", args)
	if err != nil {
		return err
	}
	if err := models.BackupSQLite(ctx, cfg.DB, file); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "backed up %s to %s\n", cfg.DB, file)
	return printCounts(ctx, e, file)
}

// runRestore puts a backup in place of the database. The server must be
// stopped: restore refuses while one holds the database.
func runRestore(ctx context.Context, e env, args []string) error {
	cfg, file, err := sqliteFileCommand(e, "restore", "FILE: replaces the database with the backup in FILE after checking it. Stop the server first: restore refuses while a server uses the database.\nThe replaced database is kept beside it as <db>.before-restore-<time>.", args)
	if err != nil {
		return err
	}
	unlock, err := lockDatabase(cfg.DB, true)
	if err != nil {
		return err
	}
	defer unlock()
	kept, err := models.RestoreSQLite(ctx, file, cfg.DB)
	if err != nil {
		return err
	}
	if kept != "" {
		fmt.Fprintf(e.stdout, "kept the replaced database as %s\n", kept)
	}
	fmt.Fprintf(e.stdout, "restored %s from %s\n", cfg.DB, file)
	if err := printCounts(ctx, e, cfg.DB); err != nil {
		return err
	}
	// The restored database records that it was restored, like any other
	// change an operator makes.
	store, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	e.audit(ctx, store, "database.restore", "database", fmt.Sprintf("from=%q kept=%q", filepath.Base(file), filepath.Base(kept)))
	return nil
}

// parseWithFile parses flags and exactly one file argument, before or
// after the flags.
func parseWithFile(fs *flag.FlagSet, args []string) (string, error) {
	var file string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		file, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return "", errHelp
		}
		return "", err
	}
	rest := fs.Args()
	if file == "" && len(rest) > 0 {
		file, rest = rest[0], rest[1:]
	}
	if len(rest) > 0 {
		return "", fmt.Errorf("unexpected argument %q", rest[0])
	}
	if file == "" {
		return "", errors.New("name the backup file, e.g. arena " + strings.TrimPrefix(fs.Name(), "arena ") + " arena-2026-01-01.db")
	}
	return file, nil
}

// printCounts prints each table's row count in the database at path, read
// only: proof that the file is readable, and a summary to compare.
func printCounts(ctx context.Context, e env, path string) error {
	counts, err := models.RowCountsOf(ctx, path)
	if err != nil {
		return err
	}
	names := make([]string, 0, len(counts))
	for n := range counts {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(e.stdout, "  %-20s %d rows\n", n, counts[n])
	}
	return nil
}

// holdDatabase marks the database as in use by a server until unlock.
// Several servers may share it; restore needs it to itself.
// A PostgreSQL database is not a file here: nothing to hold.
func holdDatabase(dbPath string) (unlock func(), err error) {
	if isURL(dbPath) {
		return func() {}, nil
	}
	return lockDatabase(dbPath, false)
}

// isURL tells a database URL (postgres://...) from a SQLite file path.
func isURL(db string) bool { return strings.Contains(db, "://") }

// errNotSQLite explains that backup and restore work on SQLite files.
var errNotSQLite = errors.New("backup and restore copy SQLite files; back up PostgreSQL with pg_dump and restore with pg_restore")

// lockDatabase takes a shared (server) or exclusive (restore) advisory lock
// on a file beside the database. It is a separate file because closing any
// descriptor of the database itself would drop SQLite's own POSIX locks.
func lockDatabase(dbPath string, exclusive bool) (unlock func(), err error) {
	f, err := os.OpenFile(dbPath+".lock", os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock database: %w", err)
	}
	how := syscall.LOCK_SH
	if exclusive {
		how = syscall.LOCK_EX
	}
	if err := syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB); err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			if exclusive {
				return nil, fmt.Errorf("a server is using %s: stop it before restoring", dbPath)
			}
			return nil, fmt.Errorf("%s is being restored: start the server when the restore has finished", dbPath)
		}
		return nil, fmt.Errorf("lock database: %w", err)
	}
	return func() { f.Close() }, nil
}
