//go:build !linux

package models

import "os"

// syncData makes what was written to f durable (see the Linux version).
func syncData(f *os.File) error { return f.Sync() }
