package handlers

import (
	"context"
	"crypto/subtle"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/arena-video/arena/models"
)

// metrics holds this Server's Prometheus registry. Each Server has its own
// registry, never the global default one, so several Servers (in tests, say)
// never collide.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	handler  http.Handler
	// series holds each seriesKey's counter and histogram once looked up
	// in the vectors: a look-up hashes the label values and takes the
	// vector's lock, twice a request, and the status is formatted first.
	series sync.Map // seriesKey -> *requestSeries
}

// seriesKey names the series one request adds to.
type seriesKey struct {
	route, method string
	status        int
}

type requestSeries struct {
	count   prometheus.Counter
	latency prometheus.Observer
}

// seriesFor returns the counter and histogram of k's series.
func (m *metrics) seriesFor(k seriesKey) *requestSeries {
	if rs, ok := m.series.Load(k); ok {
		return rs.(*requestSeries)
	}
	rs := &requestSeries{
		count:   m.requests.WithLabelValues(k.route, k.method, strconv.Itoa(k.status)),
		latency: m.latency.WithLabelValues(k.route, k.method),
	}
	m.series.Store(k, rs)
	return rs
}

func newMetrics(store *models.Store) *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "arena_http_requests_total",
		Help: "HTTP requests answered, by route pattern, method and status.",
	}, []string{"route", "method", "status"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "arena_http_request_duration_seconds",
		Help:    "Time from request to response, by route pattern and method.",
		Buckets: []float64{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5},
	}, []string{"route", "method"})
	m.reg.MustRegister(m.requests, m.latency,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		storeCollector{store})
	for name, db := range store.Pools() {
		m.reg.MustRegister(collectors.NewDBStatsCollector(db, name))
	}
	m.handler = promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
	return m
}

// measureRequests counts every request and its latency under its route
// pattern (never the raw path, which would let clients mint label values).
func (s *Server) measureRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		if err := next(c); err != nil {
			c.Error(err) // settle the status before reading it
		}
		route := c.Path()
		if route == "" {
			route = "unmatched"
		}
		rs := s.metrics.seriesFor(seriesKey{route, c.Request().Method, c.Response().Status})
		rs.count.Inc()
		rs.latency.Observe(time.Since(start).Seconds())
		return nil
	}
}

// handleMetrics serves the metrics in Prometheus text format, behind a
// bearer token when one is configured.
func (s *Server) handleMetrics(c echo.Context) error {
	if tok := s.cfg.MetricsToken; tok != "" {
		got := c.Request().Header.Get(echo.HeaderAuthorization)
		if subtle.ConstantTimeCompare([]byte(got), []byte("Bearer "+tok)) != 1 {
			c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="metrics"`)
			return echo.NewHTTPError(http.StatusUnauthorized, "send the metrics token as Authorization: Bearer <token>")
		}
	}
	s.metrics.handler.ServeHTTP(c.Response(), c.Request())
	return nil
}

// storeCollector reads the Store's counters at scrape time, so the voting
// path pays nothing for them beyond an atomic add.
type storeCollector struct{ store *models.Store }

var (
	descMatchups = prometheus.NewDesc("arena_matchups_issued_total",
		"Matchups issued by this instance.", nil, nil)
	descVotes = prometheus.NewDesc("arena_votes_total",
		"Votes recorded by this instance, by validity and the reason an invalid vote does not count.", []string{"valid", "reason"}, nil)
	descStored = prometheus.NewDesc("arena_votes_stored",
		"Votes in the database, from every instance.", nil, nil)
	descGroups = prometheus.NewDesc("arena_db_write_groups_total",
		"SQLite transactions committed by the grouping writer.", nil, nil)
	descWrites = prometheus.NewDesc("arena_db_grouped_writes_total",
		"Writes committed by the grouping writer; divided by the groups, the average group size.", nil, nil)
	descRecompute = prometheus.NewDesc("arena_recompute_duration_seconds",
		"Time one leaderboard recompute took.", nil, nil)
)

func (storeCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descMatchups, descVotes, descStored, descGroups, descWrites, descRecompute} {
		ch <- d
	}
}

func (sc storeCollector) Collect(ch chan<- prometheus.Metric) {
	st := sc.store.Stats()
	ch <- prometheus.MustNewConstMetric(descMatchups, prometheus.CounterValue, float64(st.MatchupsIssued))
	for reason, n := range st.Votes {
		ch <- prometheus.MustNewConstMetric(descVotes, prometheus.CounterValue, float64(n), strconv.FormatBool(reason == ""), reason)
	}
	ch <- prometheus.MustNewConstMetric(descGroups, prometheus.CounterValue, float64(st.WriteGroups))
	ch <- prometheus.MustNewConstMetric(descWrites, prometheus.CounterValue, float64(st.Writes))
	buckets := make(map[float64]uint64, len(models.RecomputeBuckets))
	for i, b := range models.RecomputeBuckets {
		buckets[b] = st.RecomputeBuckets[i]
	}
	ch <- prometheus.MustNewConstHistogram(descRecompute, st.RecomputeCount, st.RecomputeSum, buckets)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if n, err := sc.store.CountVotes(ctx); err == nil {
		ch <- prometheus.MustNewConstMetric(descStored, prometheus.GaugeValue, float64(n))
	}
}
