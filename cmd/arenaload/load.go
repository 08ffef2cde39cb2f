package main

import (
	"bytes"
	"context"
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// loadConfig is what one load run does.
type loadConfig struct {
	Target   string
	Voters   int
	Duration time.Duration
	Cycles   int // total across voters; 0 means run for Duration
	Pool     string
}

// Endpoints whose latency is reported.
const (
	epMatchup = "POST /api/v1/matchups"
	epVote    = "POST /api/v1/matchups/{id}/vote"
)

// voterStats is what one simulated voter saw; voters never share one, so
// recording needs no lock.
type voterStats struct {
	latency      map[string][]time.Duration
	errors       map[string]int // by status, or "transport"
	cycles       int
	acknowledged int
	firstErr     string // the first transport error, to show what went wrong
}

func (st *voterStats) transportError(err error) {
	if st.firstErr == "" {
		st.firstErr = err.Error()
	}
	st.errors["transport"]++
}

// runLoad starts the voters, waits until the duration passes or the cycles
// are done, and merges what they saw.
func runLoad(ctx context.Context, cfg loadConfig) (*report, error) {
	// Several targets (comma-separated) are instances of one arena behind
	// no balancer: voter i always talks to target i mod n, so its cookie and
	// its matchups stay with one instance as they would behind sticky
	// sessions, and the load spreads evenly.
	var bases []*url.URL
	for _, t := range strings.Split(cfg.Target, ",") {
		base, err := url.Parse(strings.TrimRight(t, "/"))
		if err != nil {
			return nil, err
		}
		bases = append(bases, base)
	}
	matchupBody := []byte("{}")
	if cfg.Pool != "" {
		matchupBody, _ = json.Marshal(map[string]string{"pool": cfg.Pool})
	}
	// The deadline is checked between cycles, never by cancelling a request:
	// a vote the server stored must reach its acknowledgement so that the
	// count of acknowledged votes can be compared with the votes stored.
	deadline := time.Now().Add(cfg.Duration)
	more := func() bool {
		return ctx.Err() == nil && (cfg.Cycles > 0 || time.Now().Before(deadline))
	}
	var claimed atomic.Int64 // cycles handed out, with --cycles
	stats := make([]*voterStats, cfg.Voters)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range stats {
		client := newVoterClient(bases[i%len(bases)])
		st := &voterStats{latency: map[string][]time.Duration{}, errors: map[string]int{}}
		stats[i] = st
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer client.close()
			for more() {
				if cfg.Cycles > 0 && claimed.Add(1) > int64(cfg.Cycles) {
					return
				}
				cycle(client, matchupBody, st)
			}
		}()
	}
	wg.Wait()
	return mergeStats(cfg, stats, time.Since(start)), nil
}

var choices = [...]string{"a", "b", "tie", "both_bad"}

// cycle is one voter's matchup and vote.
func cycle(c *voterClient, body []byte, st *voterStats) {
	ok, res := post(c, "/api/v1/matchups", body, epMatchup, http.StatusCreated, st)
	if !ok {
		return
	}
	id := matchupID(res)
	if id == "" {
		st.errors["no matchup id"]++
		return
	}
	vote := []byte(`{"choice":"` + choices[rand.IntN(len(choices))] + `"}`)
	ok, _ = post(c, "/api/v1/matchups/"+id+"/vote", vote, epVote, http.StatusOK, st)
	st.cycles++
	if ok {
		st.acknowledged++
	}
}

// post sends one request, records its latency and any error, and reports
// whether the expected status came back, with the response body.
func post(c *voterClient, path string, body []byte, ep string, want int, st *voterStats) (bool, []byte) {
	t0 := time.Now()
	status, b, err := c.post(path, body)
	if err != nil {
		st.transportError(err)
		return false, nil
	}
	st.latency[ep] = append(st.latency[ep], time.Since(t0))
	if status != want {
		st.errors[strconv.Itoa(status)]++
		return false, nil
	}
	return true, b
}

// matchupID reads the matchup id from a response. Arena writes "id" first,
// so the common case needs no JSON decoder, which keeps the load tool's own
// CPU out of the measurement; anything else is decoded in full.
func matchupID(b []byte) string {
	const prefix = `{"id":"`
	if bytes.HasPrefix(b, []byte(prefix)) {
		rest := b[len(prefix):]
		if i := bytes.IndexByte(rest, '"'); i > 0 && !bytes.Contains(rest[:i], []byte{'\\'}) {
			return string(rest[:i])
		}
	}
	var m struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal(b, &m)
	return m.ID
}
