//go:build !race

package handlers

// raceEnabled tells long tests that the race detector slows every request.
const raceEnabled = false
