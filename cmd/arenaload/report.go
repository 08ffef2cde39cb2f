package main

import (
	"fmt"
	"io"
	"slices"
	"sort"
	"time"
)

// report is the merged outcome of a load run.
type report struct {
	Target       string
	Voters       int
	Elapsed      time.Duration
	Cycles       int
	Acknowledged int
	Errors       int
	ErrorsBy     map[string]int
	FirstErr     string          // one transport error message, if any
	Endpoints    []endpointStats // in the order of a cycle
	all          []time.Duration // every request, for the overall percentiles
}

// endpointStats summarises one endpoint's latencies.
type endpointStats struct {
	Name               string
	Count              int
	P50, P90, P99, Max time.Duration
}

func mergeStats(cfg loadConfig, stats []*voterStats, elapsed time.Duration) *report {
	r := &report{Target: cfg.Target, Voters: cfg.Voters, Elapsed: elapsed, ErrorsBy: map[string]int{}}
	per := map[string][]time.Duration{}
	for _, st := range stats {
		r.Cycles += st.cycles
		r.Acknowledged += st.acknowledged
		if r.FirstErr == "" {
			r.FirstErr = st.firstErr
		}
		for k, n := range st.errors {
			r.ErrorsBy[k] += n
			r.Errors += n
		}
		for ep, ds := range st.latency {
			per[ep] = append(per[ep], ds...)
			r.all = append(r.all, ds...)
		}
	}
	slices.Sort(r.all)
	for _, ep := range []string{epMatchup, epVote} {
		ds := per[ep]
		slices.Sort(ds)
		r.Endpoints = append(r.Endpoints, endpointStats{
			Name: ep, Count: len(ds),
			P50: percentile(ds, 50), P90: percentile(ds, 90), P99: percentile(ds, 99), Max: percentile(ds, 100),
		})
	}
	return r
}

// percentile reads the p-th percentile (nearest rank) of sorted durations.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*p/100+0.5) - 1
	return sorted[max(0, min(i, len(sorted)-1))]
}

func (r *report) cyclesPerSecond() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Cycles) / r.Elapsed.Seconds()
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func (r *report) print(w io.Writer) {
	fmt.Fprintf(w, "target %s, %d voters, %.1fs\n", r.Target, r.Voters, r.Elapsed.Seconds())
	fmt.Fprintf(w, "cycles %d (%.0f/s), votes acknowledged %d, errors %d\n", r.Cycles, r.cyclesPerSecond(), r.Acknowledged, r.Errors)
	fmt.Fprintf(w, "%-34s %8s %8s %8s %8s %8s\n", "latency (ms)", "count", "p50", "p90", "p99", "max")
	for _, e := range r.Endpoints {
		fmt.Fprintf(w, "%-34s %8d %8.2f %8.2f %8.2f %8.2f\n", e.Name, e.Count, ms(e.P50), ms(e.P90), ms(e.P99), ms(e.Max))
	}
	if len(r.ErrorsBy) > 0 {
		keys := make([]string, 0, len(r.ErrorsBy))
		for k := range r.ErrorsBy {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		fmt.Fprint(w, "errors by status:")
		for _, k := range keys {
			fmt.Fprintf(w, " %s=%d", k, r.ErrorsBy[k])
		}
		fmt.Fprintln(w)
		if r.FirstErr != "" {
			fmt.Fprintf(w, "first transport error: %s\n", r.FirstErr)
		}
	}
}

// summaryJSON is the --json line. p50_ms, p90_ms and p99_ms cover every
// request of both endpoints; per-endpoint figures are under endpoints.
type summaryJSON struct {
	Target         string                  `json:"target"`
	Voters         int                     `json:"voters"`
	Seconds        float64                 `json:"seconds"`
	Cycles         int                     `json:"cycles"`
	CyclesPerS     float64                 `json:"cycles_per_s"`
	P50MS          float64                 `json:"p50_ms"`
	P90MS          float64                 `json:"p90_ms"`
	P99MS          float64                 `json:"p99_ms"`
	Errors         int                     `json:"errors"`
	ErrorsByStatus map[string]int          `json:"errors_by_status"`
	Acknowledged   int                     `json:"acknowledged"`
	Endpoints      map[string]endpointJSON `json:"endpoints"`
}

type endpointJSON struct {
	Count int     `json:"count"`
	P50MS float64 `json:"p50_ms"`
	P90MS float64 `json:"p90_ms"`
	P99MS float64 `json:"p99_ms"`
	MaxMS float64 `json:"max_ms"`
}

func (r *report) summary() summaryJSON {
	s := summaryJSON{
		Target: r.Target, Voters: r.Voters, Seconds: r.Elapsed.Seconds(),
		Cycles: r.Cycles, CyclesPerS: r.cyclesPerSecond(),
		P50MS: ms(percentile(r.all, 50)), P90MS: ms(percentile(r.all, 90)), P99MS: ms(percentile(r.all, 99)),
		Errors: r.Errors, ErrorsByStatus: r.ErrorsBy, Acknowledged: r.Acknowledged,
		Endpoints: map[string]endpointJSON{},
	}
	for _, e := range r.Endpoints {
		s.Endpoints[e.Name] = endpointJSON{Count: e.Count, P50MS: ms(e.P50), P90MS: ms(e.P90), P99MS: ms(e.P99), MaxMS: ms(e.Max)}
	}
	return s
}
