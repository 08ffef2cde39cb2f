package main

import (
	"log/slog"
	"math"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
)

// serveGCPercent is the garbage collector's target for `arena serve` when
// GOGC is not set. The server's live heap is small (a few MB with the demo
// catalog) while every request allocates, so at Go's default of 100 the
// collector ran a dozen times a second under load. At 400 the heap may grow
// to five times the live data before a collection, a quarter as many
// collections; serveMemoryLimit keeps that growth bounded.
const serveGCPercent = 400

// serveMemoryLimit is the soft memory limit for `arena serve` when
// GOMEMLIMIT is not set: near it the collector runs as often as it must to
// stay under, whatever serveGCPercent allows. A container's own limit
// lowers it (see memoryLimit).
const serveMemoryLimit = 1 << 30

// cgroupMemoryMax is where a Linux container's memory limit is read.
const cgroupMemoryMax = "/sys/fs/cgroup/memory.max"

// sqliteExtraProcs is how many more goroutines than CPUs may run Go code at
// once on SQLite. The batch writer and the checkpointer spend most of their
// time in SQLite's C code, and a goroutine in C keeps its processor until
// the runtime's monitor notices and hands it on; on two cores that left the
// HTTP side one processor for much of a voting cycle. One more processor for
// each of the two lets the handlers use every core meanwhile.
const sqliteExtraProcs = 2

// tuneRuntime sets the collector and the processors for a long-running
// server, leaving whatever GOGC, GOMEMLIMIT and GOMAXPROCS set (the runtime
// has read them already) untouched.
func tuneRuntime(e env, log *slog.Logger, sqlite bool) {
	gogc, limit, procs := e.getenv("GOGC"), e.getenv("GOMEMLIMIT"), e.getenv("GOMAXPROCS")
	if procs == "" && sqlite {
		// From the runtime's default (the CPUs, or a container's CPU
		// limit), so that starting a server twice in one process does not
		// add twice.
		runtime.SetDefaultGOMAXPROCS()
		runtime.GOMAXPROCS(runtime.GOMAXPROCS(0) + sqliteExtraProcs)
	}
	procs = strconv.Itoa(runtime.GOMAXPROCS(0))
	if gogc == "" {
		debug.SetGCPercent(serveGCPercent)
		gogc = strconv.Itoa(serveGCPercent)
	}
	if limit == "" {
		n := memoryLimit(readCgroupLimit(cgroupMemoryMax))
		debug.SetMemoryLimit(n)
		limit = strconv.FormatInt(n, 10)
	}
	log.Info("runtime", "GOGC", gogc, "GOMEMLIMIT", limit, "GOMAXPROCS", procs)
}

// memoryLimit is serveMemoryLimit, or three quarters of the container's
// limit when that is lower: the rest is for SQLite's page cache, ffmpeg and
// the runtime's own memory, which the soft limit does not count.
func memoryLimit(cgroup int64) int64 {
	if cgroup > 0 && cgroup/4*3 < serveMemoryLimit {
		return cgroup / 4 * 3
	}
	return serveMemoryLimit
}

// readCgroupLimit reads a cgroup v2 memory.max file: its limit in bytes, or
// 0 when there is none ("max") or it cannot be read (not in a container,
// cgroup v1).
func readCgroupLimit(path string) int64 {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	if err != nil || n <= 0 || n == math.MaxInt64 {
		return 0
	}
	return n
}
