package models

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"gorm.io/gorm"
)

// BackupSQLite writes a consistent copy of the SQLite database at src to
// dest while servers keep using it: VACUUM INTO reads one snapshot inside a
// read transaction, which in WAL mode never blocks the writer. It refuses
// to overwrite dest, and dest appears only once complete.
func BackupSQLite(ctx context.Context, src, dest string) error {
	if _, err := os.Lstat(dest); err == nil {
		return fmt.Errorf("%s already exists: choose a new file name, backups never overwrite", dest)
	}
	if _, err := os.Stat(src); err != nil {
		return fmt.Errorf("database: %w", err)
	}
	tmp := dest + ".partial"
	_ = os.Remove(tmp) // left by an interrupted backup
	db, err := openPlain(src, true)
	if err != nil {
		return err
	}
	defer closeDB(db)
	if err := db.WithContext(ctx).Exec("VACUUM INTO ?", tmp).Error; err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("copy database: %w", err)
	}
	if err := syncFile(tmp); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	// A hard link fails when dest exists, so a file made meanwhile is not
	// overwritten either.
	if err := os.Link(tmp, dest); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("finish backup: %w", err)
	}
	_ = os.Remove(tmp)
	return syncDir(filepath.Dir(dest))
}

// RestoreSQLite replaces the database at dbPath with the backup at src,
// after checking that src is an intact Arena database. The replaced
// database (with its WAL files) is kept beside it under a name with the
// time, never deleted; that name is returned ("" when there was none). The
// caller must make sure no server is using dbPath.
func RestoreSQLite(ctx context.Context, src, dbPath string) (keptAs string, err error) {
	if err := checkBackup(ctx, src); err != nil {
		return "", err
	}
	tmp := dbPath + ".restoring"
	if err := copyFile(src, tmp); err != nil {
		_ = os.Remove(tmp)
		return "", err
	}
	if _, err := os.Stat(dbPath); err == nil {
		if keptAs, err = keepAside(dbPath, time.Now().UTC()); err != nil {
			_ = os.Remove(tmp)
			return "", fmt.Errorf("keep the current database: %w", err)
		}
	}
	if err := os.Rename(tmp, dbPath); err != nil {
		return keptAs, fmt.Errorf("put the backup in place: %w", err)
	}
	return keptAs, syncDir(filepath.Dir(dbPath))
}

// keepAside moves the database at dbPath (with its WAL files) to a new name
// with the time, never replacing a file: the name is claimed with a hard
// link, which fails when it exists, and a counter is added until one is
// free, so two restores in the same second keep both originals.
func keepAside(dbPath string, now time.Time) (string, error) {
	base := dbPath + ".before-restore-" + now.Format("20060102T150405Z")
	for i := 1; ; i++ {
		name := base
		if i > 1 {
			name = fmt.Sprintf("%s-%d", base, i)
		}
		if i > 1000 {
			return "", fmt.Errorf("no free name beside %s", dbPath)
		}
		err := os.Link(dbPath, name)
		if errors.Is(err, os.ErrExist) {
			continue
		}
		if err != nil {
			return "", err
		}
		for _, suffix := range []string{"-wal", "-shm"} {
			if err := os.Link(dbPath+suffix, name+suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
				return "", err
			}
		}
		for _, suffix := range []string{"-wal", "-shm", ""} {
			if err := os.Remove(dbPath + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
				return "", err
			}
		}
		return name, nil
	}
}

// checkBackup refuses a file that is not an intact SQLite database made by
// Arena.
func checkBackup(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	db, err := openPlain(path, true)
	if err != nil {
		return err
	}
	defer closeDB(db)
	var result string
	if err := db.WithContext(ctx).Raw("PRAGMA integrity_check").Scan(&result).Error; err != nil {
		return fmt.Errorf("%s is not a SQLite database: %w", path, err)
	}
	if result != "ok" {
		return fmt.Errorf("%s is damaged: %s", path, result)
	}
	if !db.Migrator().HasTable(migrationTable) || !db.Migrator().HasTable(&Matchup{}) {
		return fmt.Errorf("%s is not an Arena database", path)
	}
	return nil
}

// openPlain opens a SQLite file without migrating it: a backup must not
// change the schema under a running server of another version.
func openPlain(path string, readOnly bool) (*gorm.DB, error) {
	dsn := "file:" + path + "?_busy_timeout=10000"
	if readOnly {
		dsn += "&mode=ro"
	}
	return openSQLitePool(path, dsn, 1, false) // a few statements, each run once
}

func closeDB(db *gorm.DB) {
	if sqlDB, err := db.DB(); err == nil {
		sqlDB.Close()
	}
}

func copyFile(src, dest string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dest, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return fmt.Errorf("copy %s: %w", src, err)
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	_ = d.Sync() // not every file system syncs directories
	return nil
}
