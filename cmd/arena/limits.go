package main

import (
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/arena-video/arena/handlers"
	"github.com/arena-video/arena/models"
)

// defaultRateLimit suits a person: a voting cycle takes several seconds of
// watching, so 60 matchups and 60 votes a minute is never reached by hand.
const defaultRateLimit = "60/min"

// parseRateLimit reads "N/s", "N/min", "N/h" (or "N/10s": any duration) or
// "off".
func parseRateLimit(s string) (handlers.RateLimit, error) {
	s = strings.TrimSpace(s)
	if s == "off" {
		return handlers.RateLimit{}, nil
	}
	bad := fmt.Errorf("rate limit %q: write it as 60/min, 10/s, 1000/h or off", s)
	n, per, ok := strings.Cut(s, "/")
	events, err := strconv.Atoi(n)
	if !ok || err != nil || events <= 0 {
		return handlers.RateLimit{}, bad
	}
	var d time.Duration
	switch per {
	case "s", "sec", "second":
		d = time.Second
	case "m", "min", "minute":
		d = time.Minute
	case "h", "hour":
		d = time.Hour
	default:
		if d, err = time.ParseDuration(per); err != nil || d <= 0 {
			return handlers.RateLimit{}, bad
		}
	}
	return handlers.RateLimit{Events: events, Per: d}, nil
}

// parseCIDRs reads a comma-separated list of networks such as
// "10.0.0.0/8, 192.168.1.7"; a bare address means just that address.
func parseCIDRs(s string) ([]*net.IPNet, error) {
	var out []*net.IPNet
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if !strings.Contains(part, "/") {
			ip := net.ParseIP(part)
			if ip == nil {
				return nil, fmt.Errorf("trusted proxy %q is not an address or a CIDR such as 10.0.0.0/8", part)
			}
			bits := 128
			if ip.To4() != nil {
				ip, bits = ip.To4(), 32
			}
			out = append(out, &net.IPNet{IP: ip, Mask: net.CIDRMask(bits, bits)})
			continue
		}
		_, n, err := net.ParseCIDR(part)
		if err != nil {
			return nil, fmt.Errorf("trusted proxy %q is not an address or a CIDR such as 10.0.0.0/8", part)
		}
		out = append(out, n)
	}
	return out, nil
}

// serverLimits are the HTTP server's timeouts and header bound: together
// they stop a client from holding a connection open by sending slowly.
type serverLimits struct {
	ReadHeaderTimeout time.Duration
	ReadTimeout       time.Duration
	WriteTimeout      time.Duration
	IdleTimeout       time.Duration
	MaxHeaderBytes    int
}

// defaultServerLimits: headers within 10 s, a whole request within a
// minute (upload routes lift this per request), a response within ten
// minutes (a clip to a slow phone), idle keep-alive connections closed after
// two minutes, headers at most 64 KB.
var defaultServerLimits = serverLimits{
	ReadHeaderTimeout: 10 * time.Second,
	ReadTimeout:       time.Minute,
	WriteTimeout:      10 * time.Minute,
	IdleTimeout:       2 * time.Minute,
	MaxHeaderBytes:    64 << 10,
}

// parseBudgets reads the per-address budgets: each "off" (or 0) or a
// whole number. Zero limits mean no budget at all.
func parseBudgets(newVoters, votes string) (models.BudgetLimits, error) {
	var l models.BudgetLimits
	for _, b := range []struct {
		flag, v string
		n       *int
	}{{"--new-voters-per-hour", newVoters, &l.NewVotersPerHour}, {"--address-votes-per-day", votes, &l.VotesPerDay}} {
		if b.v == "off" {
			continue
		}
		n, err := strconv.Atoi(b.v)
		if err != nil || n < 0 {
			return l, fmt.Errorf("%s %q: give a whole number, or off", b.flag, b.v)
		}
		*b.n = n
	}
	return l, nil
}

// budgetsFor keeps the budgets where the store keeps them (the database on
// PostgreSQL, so they hold across instances; memory on SQLite), or returns
// nil when there is none.
func budgetsFor(store *models.Store, l models.BudgetLimits) models.Budgets {
	if l.NewVotersPerHour == 0 && l.VotesPerDay == 0 {
		return nil
	}
	return store.Budgets(l)
}
