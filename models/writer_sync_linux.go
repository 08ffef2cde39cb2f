//go:build linux

package models

import (
	"os"
	"syscall"
)

// syncData makes what was written to f durable. It is fdatasync, as SQLite
// itself syncs on Linux: fsync also writes the file's inode whenever its
// times changed, which every write to the WAL does, though recovery never
// reads them. The WAL's size, which recovery does need, is still synced
// whenever it changed.
func syncData(f *os.File) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var serr error
	if err := rc.Control(func(fd uintptr) {
		for {
			if serr = syscall.Fdatasync(int(fd)); serr != syscall.EINTR {
				return
			}
		}
	}); err != nil {
		return err
	}
	return serr
}
