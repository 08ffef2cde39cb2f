package handlers

import (
	"math"
	"net/http"
	"net/textproto"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/sessions"
	"github.com/labstack/echo/v4"

	"github.com/arena-video/arena/models"
)

const (
	voterSessionName = "arena"
	voterKey         = "voter"
	voterCookieAge   = 365 * 24 * 60 * 60
)

func newSessionStore(keys [][]byte, secure bool) *sessions.CookieStore {
	st := sessions.NewCookieStore(keys...)
	st.Options = &sessions.Options{
		Path:     "/",
		MaxAge:   voterCookieAge,
		HttpOnly: true,
		Secure:   secure,
		SameSite: http.SameSiteLaxMode,
	}
	st.MaxAge(voterCookieAge)
	return st
}

// voterID returns the voter behind the request, giving a new browser a new
// random id. The cookie is written only when the id is new, so a voting
// cycle costs no cookie encryption.
func (s *Server) voterID(c echo.Context) (string, error) {
	if id := s.existingVoterID(c); id != "" {
		return id, nil
	}
	if s.budgets != nil {
		ok, wait, err := s.budgets.TakeNewVoter(c.Request().Context(), clientNet(c), s.cfg.Now())
		if err != nil {
			return "", err
		}
		if !ok {
			secs := max(int(math.Ceil(wait.Seconds())), 1)
			c.Response().Header().Set("Retry-After", strconv.Itoa(secs))
			return "", echo.NewHTTPError(http.StatusTooManyRequests,
				"too many new visitors from your network this hour: keep your cookie, or try again in "+(time.Duration(secs)*time.Second).String())
		}
	}
	sess, _ := s.sessions.Get(c.Request(), s.voterCookie) // a bad or old cookie just starts a new session
	id := models.NewID()
	sess.Values[voterKey] = id
	if c.Scheme() == "https" {
		opts := *sess.Options
		opts.Secure = true
		sess.Options = &opts
	}
	if err := sess.Save(c.Request(), c.Response()); err != nil {
		return "", err
	}
	return id, nil
}

// existingVoterID returns the voter behind the request without creating
// one: a vote from a browser without a session cannot match any matchup.
func (s *Server) existingVoterID(c echo.Context) string {
	if v := cookieValue(c.Request().Header, s.voterCookie); v != "" {
		if id, ok := s.voterCookies.Get(v); ok {
			return id
		}
	}
	ck, err := c.Request().Cookie(s.voterCookie)
	if err != nil {
		return ""
	}
	if id, ok := s.voterCookies.Get(ck.Value); ok {
		return id
	}
	sess, _ := s.sessions.Get(c.Request(), s.voterCookie)
	id, _ := sess.Values[voterKey].(string)
	if !models.ValidID(id) {
		return ""
	}
	s.voterCookies.Put(ck.Value, id)
	return id
}

// cookieValue finds the value of the cookie called name in the Cookie
// headers, without Request.Cookie's parse of every cookie into a new
// http.Cookie, for a look-up in the voter cookie cache. It splits and
// trims as net/http does but does not check the value's characters or
// strip its quotes: a value net/http would read otherwise is never in the
// cache, whose values all decoded, and the caller then reads the cookie
// through net/http.
func cookieValue(h http.Header, name string) string {
	for _, line := range h["Cookie"] {
		for part := range strings.SplitSeq(line, ";") {
			if n, v, ok := strings.Cut(textproto.TrimString(part), "="); ok && n == name {
				return v
			}
		}
	}
	return ""
}

// hostPrefix marks a cookie that browsers accept only when it is Secure,
// has Path=/ and names no Domain: a subdomain or a plain-http page can then
// neither plant nor overwrite it.
const hostPrefix = "__Host-"

// cookieName is the name of the voter's or the admin's cookie: with the
// __Host- prefix when the arena is served over https.
func cookieName(base string, secure bool) string {
	if secure {
		return hostPrefix + base
	}
	return base
}

// clientNet is the client's network as budgets and integrity checks see it:
// its IPv4 address or IPv6 /64, from the socket or, behind a trusted proxy,
// from X-Forwarded-For.
func clientNet(c echo.Context) string { return addressKey(c.RealIP()) }
