package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/arena-video/arena/handlers"
	"github.com/arena-video/arena/models"
	"github.com/arena-video/arena/models/media"
)

type serveConfig struct {
	baseConfig
	Addr       string
	Demo       bool
	PublicURL  string
	MatchupTTL time.Duration
	// MaxUploadMB bounds one uploaded clip.
	MaxUploadMB int64
}

func runServe(ctx context.Context, e env, args []string) error {
	var cfg serveConfig
	fs := flagSet(e, "serve", "Runs the arena's web server until SIGINT or SIGTERM, then finishes in-flight requests and exits.")
	cfg.register(fs, e)
	demo, err := envBool(e, "ARENA_DEMO")
	if err != nil {
		return err
	}
	ttl, err := envDuration(e, "ARENA_MATCHUP_TTL", time.Hour)
	if err != nil {
		return err
	}
	maxMB, err := envInt(e, "ARENA_MAX_UPLOAD_MB", 500)
	if err != nil {
		return err
	}
	fs.Int64Var(&cfg.MaxUploadMB, "max-upload-mb", maxMB, "largest clip an admin may upload, in MB (ARENA_MAX_UPLOAD_MB)")
	fs.StringVar(&cfg.Addr, "addr", envOr(e, "ARENA_ADDR", ":8080"), "address to listen on (ARENA_ADDR)")
	fs.BoolVar(&cfg.Demo, "demo", demo, "seed demo models, prompts and clips when the database is empty (ARENA_DEMO)")
	fs.StringVar(&cfg.PublicURL, "public-url", e.getenv("ARENA_PUBLIC_URL"), "URL voters use, e.g. https://arena.example.org; https turns on Secure cookies and HSTS (ARENA_PUBLIC_URL)")
	fs.DurationVar(&cfg.MatchupTTL, "matchup-ttl", ttl, "how long an issued matchup accepts a vote (ARENA_MATCHUP_TTL)")
	if err := parse(fs, args); err != nil {
		return err
	}
	maxUpload, err := uploadBytes(cfg.MaxUploadMB)
	if err != nil {
		return err
	}
	if err := cfg.resolve(); err != nil {
		return err
	}
	log := slog.New(slog.NewJSONHandler(e.stderr, nil))

	store, err := models.Open(ctx, models.Options{DSN: cfg.DB, MatchupTTL: cfg.MatchupTTL, Logger: log})
	if err != nil {
		return err
	}
	defer store.Close()
	blobs, err := media.NewStore(cfg.DataDir, media.StoreOptions{})
	if err != nil {
		return err
	}
	if cfg.Demo {
		seeded, err := store.SeedDemo(ctx, blobs)
		if err != nil {
			return fmt.Errorf("seed demo data: %w", err)
		}
		if seeded {
			log.Info("seeded demo data")
		}
		pw, err := ensureDemoAdmin(ctx, store)
		if err != nil {
			return fmt.Errorf("create demo admin: %w", err)
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
	srv, err := handlers.New(handlers.Config{
		Store:       store,
		Blobs:       blobs,
		SessionKeys: keys,
		Logger:      log,
		PublicURL:   cfg.PublicURL,
		Demo:        cfg.Demo,

		MaxUploadBytes: maxUpload,
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	return serveUntilDone(ctx, log, ln, srv)
}

// serveUntilDone serves until ctx ends, then lets in-flight requests finish.
func serveUntilDone(ctx context.Context, log *slog.Logger, ln net.Listener, h http.Handler) error {
	hs := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
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
