package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"strconv"
	"time"

	"github.com/arena-video/arena/handlers"
	"github.com/arena-video/arena/models"
	"github.com/arena-video/arena/models/leaderboard"
	"github.com/arena-video/arena/models/media"
)

type serveConfig struct {
	baseConfig
	blobConfig
	Addr       string
	Demo       bool
	PublicURL  string
	MatchupTTL time.Duration
	MinWatchMS int
	RateLimit  string
	Proxies    string
	Pprof      string
	// RelaxedSync trades the last votes before a power loss for speed on
	// SQLite (models.Options.RelaxedSync).
	RelaxedSync bool
	// MaxUploadMB bounds one uploaded clip.
	MaxUploadMB int64
	Ranking     rankingConfig
	// RecomputeEvery debounces leaderboard recomputes after votes.
	RecomputeEvery time.Duration
	MinVotes       int
	MeMinVotes     int
	// NewVotersPerHour and VotesPerDay are the per-address budgets ("off"
	// or a count).
	NewVotersPerHour string
	VotesPerDay      string
	// RequireClipFetch counts a vote only when its clips were fetched.
	RequireClipFetch bool
	Media            mediaConfig
}

func runServe(ctx context.Context, e env, args []string) error {
	var cfg serveConfig
	fs := flagSet(e, "serve", "Runs the arena's web server until SIGINT or SIGTERM, then finishes in-flight requests and exits.")
	cfg.baseConfig.register(fs, e)
	cfg.blobConfig.register(fs, e)
	demo, err := envBool(e, "ARENA_DEMO")
	if err != nil {
		return err
	}
	ttl, err := envDuration(e, "ARENA_MATCHUP_TTL", time.Hour)
	if err != nil {
		return err
	}
	minWatch, err := envWhole(e, "ARENA_MIN_WATCH_MS", 3000)
	if err != nil {
		return err
	}
	fs.IntVar(&cfg.MinWatchMS, "min-watch-ms", minWatch, "a vote sooner than this after its matchup was issued is stored invalid as too_fast; never more than the shorter clip (ARENA_MIN_WATCH_MS)")
	fs.StringVar(&cfg.RateLimit, "rate-limit", envOr(e, "ARENA_RATE_LIMIT", defaultRateLimit), "matchups and votes per voter, e.g. 60/min, 10/s, or off; each client address gets ten times as much (ARENA_RATE_LIMIT)")
	fs.StringVar(&cfg.Proxies, "trusted-proxies", e.getenv("ARENA_TRUSTED_PROXIES"), "comma-separated CIDRs of reverse proxies whose X-Forwarded-For names the client; none means the socket address is the client (ARENA_TRUSTED_PROXIES)")
	maxMB, err := envPositive(e, "ARENA_MAX_UPLOAD_MB", 500)
	if err != nil {
		return err
	}
	fs.Int64Var(&cfg.MaxUploadMB, "max-upload-mb", maxMB, "largest clip an admin may upload, in MB (ARENA_MAX_UPLOAD_MB)")
	fs.StringVar(&cfg.Addr, "addr", envOr(e, "ARENA_ADDR", ":8080"), "address to listen on (ARENA_ADDR)")
	fs.BoolVar(&cfg.Demo, "demo", demo, "seed demo models, prompts and clips when the database is empty (ARENA_DEMO)")
	fs.StringVar(&cfg.PublicURL, "public-url", e.getenv("ARENA_PUBLIC_URL"), "URL voters use, e.g. https://arena.example.org; https turns on Secure cookies and HSTS (ARENA_PUBLIC_URL)")
	fs.DurationVar(&cfg.MatchupTTL, "matchup-ttl", ttl, "how long an issued matchup accepts a vote (ARENA_MATCHUP_TTL)")
	relaxed, err := envBool(e, "ARENA_SQLITE_RELAXED_SYNC")
	if err != nil {
		return err
	}
	fs.BoolVar(&cfg.RelaxedSync, "sqlite-relaxed-sync", relaxed, "on SQLite, commit votes without waiting for the disk: faster, but a power loss can lose the last votes (ARENA_SQLITE_RELAXED_SYNC)")
	fs.StringVar(&cfg.Pprof, "pprof", e.getenv("ARENA_PPROF"), "serve Go's profiler on this private address, e.g. 127.0.0.1:6060; off when empty (ARENA_PPROF)")
	fs.StringVar(&cfg.NewVotersPerHour, "new-voters-per-hour", envOr(e, "ARENA_NEW_VOTERS_PER_HOUR", strconv.Itoa(models.DefaultNewVotersPerHour)), "new voters (cookies) one client address (IPv4, IPv6 /64) may create per hour, or off; more get 429 (ARENA_NEW_VOTERS_PER_HOUR)")
	fs.StringVar(&cfg.VotesPerDay, "address-votes-per-day", envOr(e, "ARENA_ADDRESS_VOTES_PER_DAY", strconv.Itoa(models.DefaultVotesPerDay)), "valid votes one client address may cast per UTC day, or off; later votes are stored as address_budget and do not count (ARENA_ADDRESS_VOTES_PER_DAY)")
	requireFetch, err := envBoolDefault(e, "ARENA_REQUIRE_CLIP_FETCH", true)
	if err != nil {
		return err
	}
	fs.BoolVar(&cfg.RequireClipFetch, "require-clip-fetch", requireFetch, "count a vote only when the voter's client fetched both clips (ARENA_REQUIRE_CLIP_FETCH)")
	if err := cfg.registerRanking(fs, e); err != nil {
		return err
	}
	if err := cfg.Media.register(fs, e); err != nil {
		return err
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	budgets, err := parseBudgets(cfg.NewVotersPerHour, cfg.VotesPerDay)
	if err != nil {
		return err
	}
	maxUpload, err := uploadBytes(cfg.MaxUploadMB)
	if err != nil {
		return err
	}
	if err := cfg.resolve(); err != nil {
		return err
	}
	limit, err := parseRateLimit(cfg.RateLimit)
	if err != nil {
		return err
	}
	proxies, err := parseCIDRs(cfg.Proxies)
	if err != nil {
		return err
	}
	if cfg.MinWatchMS < 0 {
		return errors.New("--min-watch-ms must be 0 or more")
	}
	if err := cfg.Ranking.validate(); err != nil {
		return err
	}
	profile, err := cfg.Media.profile()
	if err != nil {
		return err
	}
	log := slog.New(slog.NewJSONHandler(e.stderr, nil))
	tuneRuntime(e, log, !models.IsPostgresDSN(cfg.DB))
	requestLines := newLineBuffer(e.stderr, requestLogFlushEvery, requestLogBufferSize)
	defer requestLines.Close() // after the server stopped: in-flight requests' lines included
	if cfg.Pprof != "" {
		if err := startPprof(ctx, log, cfg.Pprof); err != nil {
			return err
		}
	}

	// The lock comes before the database is opened: a restore holding it
	// is replacing the file, and opening it now could create or migrate the
	// database the restore is about to move aside.
	unlock, err := holdDatabase(cfg.DB)
	if err != nil {
		return err
	}
	defer unlock()
	store, err := models.Open(ctx, models.Options{DSN: cfg.DB, MatchupTTL: cfg.MatchupTTL, MinWatch: time.Duration(cfg.MinWatchMS) * time.Millisecond, RequireClipFetch: cfg.RequireClipFetch, Logger: log, RelaxedSync: cfg.RelaxedSync})
	if err != nil {
		return err
	}
	defer store.Close()
	boards := leaderboard.New(store, cfg.rankingOptions())
	presign, err := cfg.presign()
	if err != nil {
		return err
	}
	bs, err := openBlobStore(ctx, e, cfg.BlobStore, cfg.DataDir)
	if err != nil {
		return err
	}
	log.Info("blob store", "store", bs.String())
	blobs, err := media.NewStore(cfg.DataDir, cfg.Media.storeOptions(bs))
	if err != nil {
		return err
	}
	if !blobs.CanTranscode() {
		log.Warn("ffmpeg is not installed: clip uploads and imports are refused until it is (apt-get install ffmpeg); the arena itself runs")
	}

	if cfg.Demo {
		// Instances starting together on one PostgreSQL database seed once.
		var seeded bool
		var pw string
		err = store.WithLock(ctx, "seed-demo", func() (err error) {
			if seeded, err = seedDemo(ctx, store, boards, blobs); err != nil {
				return err
			}
			if pw, err = ensureDemoAdmin(ctx, e.actor(), store); err != nil {
				return fmt.Errorf("create demo admin: %w", err)
			}
			return nil
		})
		if err != nil {
			return err
		}
		if seeded {
			log.Info("seeded demo data", "votes", models.DemoVotes, "voter", models.DemoVoter)
		}
		if pw != "" {
			// Printed once, to the terminal, not to the structured log.
			fmt.Fprintf(e.stdout, "demo admin created: sign in at /admin/login as %q with password %s (shown only now)\n", demoAdmin, pw)
		}
	}
	keys, err := sessionKeys(e, cfg.DataDir)
	if err != nil {
		return err
	}
	recomputer := leaderboard.NewRecomputer(boards, leaderboard.RecomputerOptions{Every: cfg.RecomputeEvery, Logger: log})
	transcoder := cfg.Media.transcoder(store, blobs, profile, models.TranscoderOptions{Logger: log, Ready: recomputer.Trigger})
	srv, err := handlers.New(handlers.Config{
		Store:          store,
		Boards:         boards,
		Blobs:          blobs,
		SessionKeys:    keys,
		Logger:         log,
		RequestLogger:  slog.New(handlers.RequestLogHandler(requestLines)),
		PublicURL:      cfg.PublicURL,
		Demo:           cfg.Demo,
		RateLimit:      limit,
		TrustedProxies: proxies,
		// A token only through the environment: flags show in ps.
		MetricsToken:   e.getenv("ARENA_METRICS_TOKEN"),
		MaxUploadBytes: maxUpload,
		MinVotes:       cfg.MinVotes,
		MeMinVotes:     cfg.MeMinVotes,
		Recompute:      recomputer.Trigger,
		Budgets:        budgetsFor(store, budgets),
		ExportDir:      filepath.Join(cfg.DataDir, "export"),
		Transcode:      transcoder.Trigger,
		// The page shows the sound pools' profile: the silent one is the
		// same without audio.
		RenditionProfile: transcoder.ProfileFor(models.PoolT2VAudio).String(),
		PresignMedia:     presign,
		// On PostgreSQL the rate limits hold for every instance of the
		// deployment; on SQLite (one instance) they stay in memory.
		SharedLimits: store.SharedLimits(),
	})
	if err != nil {
		return err
	}
	stopRecompute := startRecomputer(ctx, recomputer)
	defer stopRecompute()
	stopPrune := startPruner(ctx, store, log)
	defer stopPrune()
	stopChecks := startIntegrityChecks(ctx, store, boards, log)
	defer stopChecks()
	if blobs.CanTranscode() {
		stopTranscoder := startTranscoder(ctx, transcoder)
		defer stopTranscoder()
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	return serveUntilDone(ctx, log, ln, srv, defaultServerLimits)
}

// serveUntilDone serves until ctx ends, then lets in-flight requests finish.
func serveUntilDone(ctx context.Context, log *slog.Logger, ln net.Listener, h http.Handler, lim serverLimits) error {
	hs := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: lim.ReadHeaderTimeout,
		ReadTimeout:       lim.ReadTimeout,
		WriteTimeout:      lim.WriteTimeout,
		IdleTimeout:       lim.IdleTimeout,
		MaxHeaderBytes:    lim.MaxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	log.Info("listening", "addr", "http://"+ln.Addr().String())
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
