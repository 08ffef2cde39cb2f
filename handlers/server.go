// Package handlers speaks HTTP for Arena: the Echo router, its middleware,
// the voter, leaderboard and admin pages and the JSON API. Handlers decode,
// validate, call the models.Store and respond; they never build SQL.
package handlers

import (
	"errors"
	"io/fs"
	"log/slog"
	"net/http"
	"os"

	"github.com/gorilla/sessions"
	"github.com/labstack/echo/v4"

	"github.com/arena-video/arena/models"
	"github.com/arena-video/arena/static"
	"github.com/arena-video/arena/templates"
)

// Blobs opens stored clip and image bytes by their content key, and stores
// new ones (admin uploads); *media.Store is one.
type Blobs interface {
	Open(key string) (*os.File, error)
	models.Files
	// HasFFmpeg reports whether stored clips have their metadata stripped.
	HasFFmpeg() bool
}

// Config holds everything a Server needs. Nothing in this package reads the
// environment: cmd/arena builds a Config.
type Config struct {
	Store *models.Store
	Blobs Blobs
	// SessionKeys are pairs of hash and encryption keys; the first pair signs,
	// later pairs still verify, so keys can be rotated.
	SessionKeys [][]byte
	Logger      *slog.Logger
	// PublicURL is where voters reach the arena, e.g. https://arena.example.org;
	// it is trusted as an origin and an https URL turns on Secure cookies.
	PublicURL string
	// Demo labels the content as demo data in every page.
	Demo bool
	// MaxUploadBytes bounds one uploaded clip; 0 means DefaultMaxUploadBytes.
	MaxUploadBytes int64
	// Recompute, when set, starts a leaderboard recompute; admin changes
	// that affect rankings call it. It must not block.
	Recompute func()
}

// DefaultMaxUploadBytes is the clip size limit when Config leaves it at 0.
const DefaultMaxUploadBytes = 500 << 20

// Server is Arena's HTTP application.
type Server struct {
	cfg      Config
	store    *models.Store
	blobs    Blobs
	log      *slog.Logger
	sessions *sessions.CookieStore
	pages    *templates.Set
	assets   fs.FS
	versions map[string]string // asset path -> content hash, for cache busting
	echo     *echo.Echo
	secure   bool

	adminCookies *sessions.CookieStore
	throttle     *loginThrottle
}

// New builds the Server and its routes.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil || cfg.Blobs == nil {
		return nil, errors.New("handlers: a store and a blob store are required")
	}
	if len(cfg.SessionKeys) == 0 || len(cfg.SessionKeys)%2 != 0 {
		return nil, errors.New("handlers: session keys come in pairs of hash and encryption keys")
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	s := &Server{
		cfg:    cfg,
		store:  cfg.Store,
		blobs:  cfg.Blobs,
		log:    cfg.Logger,
		assets: static.Assets(),
		secure: len(cfg.PublicURL) > 8 && cfg.PublicURL[:8] == "https://",
	}
	var err error
	if s.versions, err = hashAssets(s.assets); err != nil {
		return nil, err
	}
	if s.pages, err = templates.Parse(s.assetURL); err != nil {
		return nil, err
	}
	s.sessions = newSessionStore(cfg.SessionKeys, s.secure)
	s.adminCookies = newAdminCookieStore(cfg.SessionKeys, s.secure)
	s.throttle = newLoginThrottle(loginFailureLimit, loginFailureWindow)
	if s.cfg.MaxUploadBytes <= 0 {
		s.cfg.MaxUploadBytes = DefaultMaxUploadBytes
	}
	s.echo = s.routes()
	return s, nil
}

// ServeHTTP makes Server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.echo.ServeHTTP(w, r)
}
