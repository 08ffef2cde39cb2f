// Package handlers speaks HTTP for Arena: the Echo router, its middleware,
// the voter, leaderboard and admin pages and the JSON API. Handlers decode,
// validate, call the models.Store and respond; they never build SQL.
package handlers

import (
	"context"
	"errors"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/gorilla/sessions"
	"github.com/labstack/echo/v4"

	"github.com/arena-video/arena/models"
	"github.com/arena-video/arena/models/gencache"
	"github.com/arena-video/arena/models/leaderboard"
	"github.com/arena-video/arena/models/media"
	"github.com/arena-video/arena/static"
	"github.com/arena-video/arena/templates"
)

// Blobs opens stored clip and image bytes by their content key, and stores
// new ones (admin uploads); *media.Store is one.
type Blobs interface {
	Open(ctx context.Context, key string) (media.Blob, error)
	models.Files
	// CanTranscode reports whether clips can be ingested: without ffmpeg
	// uploads are refused with 503.
	CanTranscode() bool
	// Blobs is the store the bytes live in, checked by /healthz.
	Blobs() media.BlobStore
}

// Config holds everything a Server needs. Nothing in this package reads the
// environment: cmd/arena builds a Config.
type Config struct {
	Store *models.Store
	// Boards serves the leaderboards; nil means leaderboards over Store
	// with default options. Share one with the Recomputer, so what it
	// stores shows at once.
	Boards *leaderboard.Boards
	Blobs  Blobs
	// SessionKeys are pairs of hash and encryption keys; the first pair signs,
	// later pairs still verify, so keys can be rotated.
	SessionKeys [][]byte
	Logger      *slog.Logger
	// RequestLogger takes the one line logged per request; nil means
	// Logger. A busy server gives it a buffered writer, as a line per
	// request is otherwise a write to the log file per request.
	RequestLogger *slog.Logger
	// PublicURL is where voters reach the arena, e.g. https://arena.example.org;
	// it is trusted as an origin and an https URL turns on Secure cookies.
	PublicURL string
	// Demo labels the content as demo data in every page.
	Demo bool
	// RateLimit bounds matchups and votes per voter; each client address
	// gets ten times as much. The zero value turns rate limiting off.
	RateLimit RateLimit
	// TrustedProxies are the networks whose X-Forwarded-For header names
	// the client. Without any, the client is the socket's peer address and
	// X-Forwarded-For is ignored, so nobody can pick their own address.
	TrustedProxies []*net.IPNet
	// Now is the clock for rate limits; nil means time.Now.
	Now func() time.Time
	// MetricsToken, when set, is the bearer token GET /metrics requires.
	MetricsToken string
	// MaxUploadBytes bounds one uploaded clip; 0 means DefaultMaxUploadBytes.
	MaxUploadBytes int64
	// Recompute, when set, starts a leaderboard recompute an admin asked
	// for. It must not block. Changes that move the rankings need no call:
	// the Store reports them (models.Store.RankingChanged).
	Recompute func()
	// Transcode, when set, wakes the transcode workers after a clip was
	// queued. It must not block.
	Transcode func()
	// RenditionProfile describes the canonical rendition, for the admin
	// pages.
	RenditionProfile string
	// MinVotes is the vote count under which a model is listed apart on the
	// leaderboard page as provisional.
	MinVotes int
	// ExportDir holds the regenerated public votes file; empty means a new
	// temporary directory.
	ExportDir string
	// Budgets limits new voters and valid votes per client address; nil
	// means no budgets.
	Budgets models.Budgets
	// MeMinVotes is how many valid votes a voter needs before /me shows
	// their own ranking.
	MeMinVotes int
	// PresignMedia, when positive and the blob store can presign URLs (an
	// S3 bucket), makes /media answer with a redirect to a URL of the
	// bucket valid this long instead of streaming the bytes.
	PresignMedia time.Duration
	// SharedLimits, when set, keeps rate limits and the sign-in throttle
	// in the database so they hold across instances; nil keeps them in
	// memory (one instance, SQLite).
	SharedLimits *models.SharedLimits
}

// DefaultMaxUploadBytes is the clip size limit when Config leaves it at 0.
const DefaultMaxUploadBytes = 500 << 20

// Server is Arena's HTTP application.
type Server struct {
	cfg      Config
	store    *models.Store
	boards   *leaderboard.Boards
	blobs    Blobs
	log      *slog.Logger
	reqLog   *slog.Logger
	sessions *sessions.CookieStore
	pages    *templates.Set
	assets   fs.FS
	versions map[string]string // asset path -> content hash, for cache busting
	echo     *echo.Echo
	secure   bool
	// limits spends rate-limit tokens; nil when limits are off.
	limits  Limiter
	budgets models.Budgets
	fetches *fetchTracker
	me      *meCache
	export  *voteExport
	// voterCookies skips decoding a voter cookie seen before.
	voterCookies *gencache.Cache[string, string]
	metrics      *metrics
	boardPages   *boardPageCache
	modelPages   *modelPageCache

	adminCookies *sessions.CookieStore
	// voterCookie and adminCookie are the cookie names (see cookieName).
	voterCookie, adminCookie string
	throttle                 *loginThrottle
	// passwordChecks holds a token per bcrypt comparison running now.
	passwordChecks chan struct{}
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
	if cfg.RequestLogger == nil {
		cfg.RequestLogger = cfg.Logger
	}
	if cfg.Boards == nil {
		cfg.Boards = leaderboard.New(cfg.Store, leaderboard.Options{})
	}
	if cfg.MeMinVotes <= 0 {
		cfg.MeMinVotes = 20
	}
	s := &Server{
		cfg:    cfg,
		store:  cfg.Store,
		boards: cfg.Boards,
		blobs:  cfg.Blobs,
		log:    cfg.Logger,
		reqLog: cfg.RequestLogger,
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
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s.cfg.Now = cfg.Now
	s.budgets = cfg.Budgets
	s.fetches = newFetchTracker()
	s.me = newMeCache()
	s.export = &voteExport{dir: cfg.ExportDir}
	if !cfg.RateLimit.Off() {
		s.limits = newMemoryLimiter(cfg.Now)
		if cfg.SharedLimits != nil {
			s.limits = &sharedLimiter{db: cfg.SharedLimits, now: cfg.Now}
		}
	}
	s.sessions = newSessionStore(cfg.SessionKeys, s.secure)
	s.voterCookie = cookieName(voterSessionName, s.secure)
	s.adminCookie = cookieName(adminSessionName, s.secure)
	s.voterCookies = newCookieCache()
	s.boardPages = newBoardPageCache()
	s.modelPages = newModelPageCache()
	s.metrics = newMetrics(cfg.Store)
	s.adminCookies = newAdminCookieStore(cfg.SessionKeys, s.secure)
	s.throttle = newLoginThrottle(loginFailureWindow, cfg.SharedLimits != nil)
	s.passwordChecks = make(chan struct{}, maxPasswordChecks)
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
