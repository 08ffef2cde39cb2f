package handlers

import (
	"errors"
	"log/slog"
	"math/rand/v2"
	"mime"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// requestIDLetters are what a generated request id is made of.
const requestIDLetters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// tagRequests gives each request an id, sent back in X-Request-Id and
// written in its log line and error answer: the id the client or a proxy
// sent, or 32 random letters. The id only ties a request's answer to its
// log line, so it comes from math/rand's generator, not from crypto/rand
// through a pooled buffer and a lock as Echo's RequestID middleware draws
// it, and the header is set without Header.Set's key check and slice.
func tagRequests(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		id := c.Request().Header.Get(echo.HeaderXRequestID)
		if id == "" {
			id = newRequestID()
		}
		c.Response().Header()[echo.HeaderXRequestID] = []string{id}
		return next(c)
	}
}

// newRequestID draws 32 letters, 11 from each random 64-bit number (52^11
// is under 2^64).
func newRequestID() string {
	var b [32]byte
	for i := 0; i < len(b); {
		n := rand.Uint64()
		for j := 0; j < 11 && i < len(b); j++ {
			b[i] = requestIDLetters[n%uint64(len(requestIDLetters))]
			n /= uint64(len(requestIDLetters))
			i++
		}
	}
	return string(b[:])
}

// logRequests writes one line per request: method, route, status, duration
// and request id. Cookies, queries and bodies are never logged.
//
// The record goes to the handler directly rather than through
// Logger.LogAttrs, which walks the stack for the caller's address on every
// call, a third of the line's cost; no request line shows its source.
func (s *Server) logRequests(next echo.HandlerFunc) echo.HandlerFunc {
	h := s.reqLog.Handler()
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			c.Error(err)
		}
		status := c.Response().Status
		level := slog.LevelInfo
		if status >= 500 {
			level = slog.LevelError
		}
		ctx := c.Request().Context()
		if !h.Enabled(ctx, level) {
			return nil
		}
		r := slog.NewRecord(time.Now(), level, "request", 0)
		r.AddAttrs(
			slog.String("method", c.Request().Method),
			slog.String("route", c.Path()),
			slog.Int("status", status),
			slog.Duration("duration", r.Time.Sub(start)),
			slog.String("request_id", c.Response().Header().Get(echo.HeaderXRequestID)))
		_ = h.Handle(ctx, r) // as Logger does: a failed log write does not fail the request
		return nil
	}
}

func (s *Server) logPanic(c echo.Context, err error, stack []byte) error {
	s.log.Error("panic", "path", c.Path(), "err", err, "stack", string(stack))
	return err
}

// contentSecurityPolicy allows scripts, styles, images and media only from
// Arena's own origin, and no inline script or style at all (pages keep their
// JavaScript in static/js and their CSS in static/css). Nothing may frame a
// page, so a voting button cannot be overlaid and clicked by another site.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; media-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

// securityHeaders sets a strict policy on every response, errors included:
// scripts and styles only from our own files, no framing, no sniffing, no
// referrer leaving the site, and HSTS when the public URL is https.
// Cross-Origin-Resource-Policy keeps other sites from embedding the clips.
//
// The values are built once and shared by every response: Header.Set would
// allocate a slice per header per request. Each slice has no spare
// capacity, so a later Add to one of these headers copies it rather than
// writing into the shared array.
func (s *Server) securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	pairs := [][2]string{
		{"Content-Security-Policy", contentSecurityPolicy},
		{"Cross-Origin-Opener-Policy", "same-origin"},
		{"Cross-Origin-Resource-Policy", "same-origin"},
		{"X-Content-Type-Options", "nosniff"},
		{"Referrer-Policy", "same-origin"},
		{"X-Frame-Options", "DENY"},
	}
	if s.secure {
		pairs = append(pairs, [2]string{"Strict-Transport-Security", "max-age=63072000; includeSubDomains"})
	}
	type header struct {
		key string
		val []string
	}
	headers := make([]header, len(pairs))
	for i, p := range pairs {
		headers[i] = header{http.CanonicalHeaderKey(p[0]), []string{p[1]}[:1:1]}
	}
	return func(c echo.Context) error {
		h := c.Response().Header()
		for _, hd := range headers {
			h[hd.key] = hd.val
		}
		return next(c)
	}
}

// refuseCrossOrigin refuses state-changing requests sent by another site,
// using Go's Sec-Fetch-Site/Origin check.
func (s *Server) refuseCrossOrigin() echo.MiddlewareFunc {
	cop := http.NewCrossOriginProtection()
	if s.cfg.PublicURL != "" {
		_ = cop.AddTrustedOrigin(s.cfg.PublicURL)
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if err := cop.Check(c.Request()); err != nil {
				return echo.NewHTTPError(http.StatusForbidden, "cross-origin request refused: send it from the arena's own pages")
			}
			return next(c)
		}
	}
}

// requireJSON refuses a request body that is not declared as JSON. An empty
// body is allowed where the handler treats it as "no options".
func requireJSON(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		r := c.Request()
		ct := r.Header.Get(echo.HeaderContentType)
		if ct == echo.MIMEApplicationJSON || r.ContentLength == 0 && ct == "" {
			return next(c) // the common answers, without parsing the type
		}
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || mt != echo.MIMEApplicationJSON {
			return echo.NewHTTPError(http.StatusUnsupportedMediaType, "send a JSON body with Content-Type: application/json")
		}
		return next(c)
	}
}

// isTooLarge recognises the body limit's error after a decoder wrapped it.
func isTooLarge(err error) bool {
	var he *echo.HTTPError
	var mbe *http.MaxBytesError
	return errors.As(err, &he) && he.Code == http.StatusRequestEntityTooLarge || errors.As(err, &mbe)
}
