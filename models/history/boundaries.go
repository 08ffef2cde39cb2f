package history

import (
	"fmt"
	"time"
)

// Step is how far apart the boards of a rebuilt history are.
type Step string

// The steps `arena recompute --history` accepts.
const (
	Daily  Step = "daily"
	Hourly Step = "hourly"
)

// ParseStep reads a step name, saying what is accepted when it is wrong.
func ParseStep(s string) (Step, error) {
	switch Step(s) {
	case Daily, Hourly:
		return Step(s), nil
	}
	return "", fmt.Errorf("history step must be daily or hourly, not %q", s)
}

// Duration is the length of one step.
func (s Step) Duration() time.Duration {
	if s == Hourly {
		return time.Hour
	}
	return 24 * time.Hour
}

// Start returns the beginning (UTC) of the step that holds t.
func (s Step) Start(t time.Time) time.Time {
	t = t.UTC()
	if s == Hourly {
		return t.Truncate(time.Hour)
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// Boundaries returns the ends of the steps from the one holding first to
// the one holding last, each the instant the next step starts: the board
// at boundary b counts the votes cast before b. Boundaries after now are
// left out, since a board of the future would be dated before its votes.
func (s Step) Boundaries(first, last, now time.Time) []time.Time {
	if last.Before(first) {
		return nil
	}
	var out []time.Time
	end := s.Start(last).Add(s.Duration())
	for b := s.Start(first).Add(s.Duration()); !b.After(end) && !b.After(now); b = b.Add(s.Duration()) {
		out = append(out, b)
	}
	return out
}

// Index returns which boundary of a series starting with the step of first
// closes the step that holds t: 0 for the first.
func (s Step) Index(first, t time.Time) int {
	return int(s.Start(t).Sub(s.Start(first)) / s.Duration())
}
