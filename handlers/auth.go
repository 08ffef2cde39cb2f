package handlers

import (
	"context"
	"errors"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/sessions"
	"github.com/labstack/echo/v4"

	"github.com/arena-video/arena/models"
)

// Admin sessions: a separate cookie from the voter's, sent only to our own
// site (SameSite=Strict), ending after adminIdle without use and after
// adminMaxAge in any case. The cookie holds a random session id; the
// session itself lives in the database, so logging out really ends it.
const (
	adminSessionName = "arena_admin"
	adminSessionKey  = "sid"
	adminIdle        = 2 * time.Hour
	adminMaxAge      = 12 * time.Hour
	// adminContextKey is where the middleware leaves the signed-in admin
	// for the handler of the same request.
	adminContextKey = "arena.admin"
)

func newAdminCookieStore(keys [][]byte, secure bool) *sessions.CookieStore {
	st := sessions.NewCookieStore(keys...)
	st.Options = &sessions.Options{
		Path:     "/",
		MaxAge:   int(adminMaxAge / time.Second),
		HttpOnly: true,
		Secure:   secure,
		SameSite: http.SameSiteStrictMode,
	}
	st.MaxAge(int(adminMaxAge / time.Second))
	return st
}

// adminOf returns the admin the auth middleware found for this request.
func adminOf(c echo.Context) models.Admin {
	a, _ := c.Get(adminContextKey).(models.Admin)
	return a
}

// sessionAdmin returns the admin behind the request's admin cookie.
func (s *Server) sessionAdmin(c echo.Context) (models.Admin, string, error) {
	sess, _ := s.adminCookies.Get(c.Request(), s.adminCookie) // a bad cookie is just no session
	sid, _ := sess.Values[adminSessionKey].(string)
	if sid == "" {
		return models.Admin{}, "", models.ErrBadCredentials
	}
	a, err := s.store.AdminBySession(c.Request().Context(), sid, adminIdle)
	return a, sid, err
}

// requireAdminPage lets signed-in admins through and sends everyone else to
// the login page.
func (s *Server) requireAdminPage(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		a, _, err := s.sessionAdmin(c)
		if errors.Is(err, models.ErrBadCredentials) {
			return c.Redirect(http.StatusSeeOther, "/admin/login")
		}
		if err != nil {
			return err
		}
		c.Set(adminContextKey, a)
		return next(c)
	}
}

// requireAdminAPI accepts an API token (Authorization: Bearer) or an admin
// session cookie and answers 401 otherwise. A request that sends a token is
// judged by the token alone.
func (s *Server) requireAdminAPI(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		var (
			a   models.Admin
			err error
		)
		if h := c.Request().Header.Get(echo.HeaderAuthorization); h != "" {
			token, ok := strings.CutPrefix(h, "Bearer ")
			if !ok {
				err = models.ErrBadCredentials
			} else {
				a, err = s.store.AdminByToken(c.Request().Context(), strings.TrimSpace(token))
			}
		} else {
			a, _, err = s.sessionAdmin(c)
		}
		if errors.Is(err, models.ErrBadCredentials) {
			c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="arena-admin"`)
			return echo.NewHTTPError(http.StatusUnauthorized, "sign in at /admin/login or send Authorization: Bearer <token> (make one with arena admin token)")
		}
		if err != nil {
			return err
		}
		c.Set(adminContextKey, a)
		return next(c)
	}
}

type loginData struct {
	Username string
}

// handleLoginPage shows the login form, or the dashboard to an admin who is
// already signed in.
func (s *Server) handleLoginPage(c echo.Context) error {
	if _, _, err := s.sessionAdmin(c); err == nil {
		return c.Redirect(http.StatusSeeOther, "/admin")
	}
	return s.render(c, http.StatusOK, "admin_login", page{Title: "Admin sign-in", Data: loginData{}})
}

// handleLogin checks a username and password and starts a new session. The
// session id is always new, so a cookie planted before sign-in is worthless.
func (s *Server) handleLogin(c echo.Context) error {
	ctx := c.Request().Context()
	if err := c.Request().ParseForm(); err != nil {
		if isTooLarge(err) {
			return echo.NewHTTPError(http.StatusRequestEntityTooLarge, "the sign-in form is larger than 16 KB")
		}
		return badRequest("send the sign-in form as application/x-www-form-urlencoded")
	}
	username := strings.TrimSpace(c.FormValue("username"))
	password := c.FormValue("password")
	if len(username) > 64 { // no admin has a longer name; keep throttle keys small
		username = username[:64]
	}
	keys := loginKeys(addressKey(clientIP(c)), strings.ToLower(username))
	attempt, wait, err := s.reserveLogin(ctx, keys)
	if err != nil {
		return err
	}
	if wait > 0 {
		secs := int(math.Ceil(wait.Seconds()))
		c.Response().Header().Set(echo.HeaderRetryAfter, strconv.Itoa(secs))
		return echo.NewHTTPError(http.StatusTooManyRequests, "too many sign-in attempts from your address; try again in "+(time.Duration(secs)*time.Second).String())
	}
	release, err := s.passwordCheckSlot(ctx)
	if err != nil {
		attempt.cancel()
		c.Response().Header().Set(echo.HeaderRetryAfter, "5")
		return echo.NewHTTPError(http.StatusTooManyRequests, "the server is checking many sign-ins at once; try again in a few seconds")
	}
	a, err := s.store.Authenticate(ctx, username, password)
	release()
	if errors.Is(err, models.ErrBadCredentials) {
		if err := s.loginFailed(ctx, attempt); err != nil {
			return err
		}
		s.auditAs(c, username, "login.failed", "admin:"+username, "")
		return s.render(c, http.StatusUnauthorized, "admin_login", page{
			Title: "Admin sign-in",
			Data:  loginData{Username: username},
		})
	}
	if err != nil {
		attempt.cancel()
		return err
	}
	if err := s.loginSucceeded(ctx, attempt); err != nil {
		return err
	}
	// Sign-in replaces whatever session this browser had.
	if _, oldSID, err := s.sessionAdmin(c); err == nil {
		_ = s.store.EndAdminSession(ctx, oldSID)
	}
	sid, err := s.store.StartAdminSession(ctx, a.ID, adminMaxAge)
	if err != nil {
		return err
	}
	sess := sessions.NewSession(s.adminCookies, s.adminCookie)
	opts := *s.adminCookies.Options
	if c.Scheme() == "https" {
		opts.Secure = true
	}
	sess.Options = &opts
	sess.IsNew = true
	sess.Values[adminSessionKey] = sid
	if err := sess.Save(c.Request(), c.Response()); err != nil {
		return err
	}
	c.Set(adminContextKey, a)
	s.audit(c, "login", "admin:"+a.Username, "")
	return c.Redirect(http.StatusSeeOther, "/admin")
}

// handleLogout ends the session in the database and clears the cookie.
func (s *Server) handleLogout(c echo.Context) error {
	if _, sid, err := s.sessionAdmin(c); err == nil {
		if err := s.store.EndAdminSession(c.Request().Context(), sid); err != nil {
			return err
		}
	}
	s.audit(c, "logout", "admin:"+adminOf(c).Username, "")
	sess := sessions.NewSession(s.adminCookies, s.adminCookie)
	opts := *s.adminCookies.Options
	opts.MaxAge = -1
	sess.Options = &opts
	if err := sess.Save(c.Request(), c.Response()); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/login")
}

// passwordCheckSlot waits for one of the few bcrypt comparisons allowed at
// once, up to passwordCheckWait, and returns its release.
func (s *Server) passwordCheckSlot(ctx context.Context) (release func(), err error) {
	ctx, cancel := context.WithTimeout(ctx, passwordCheckWait)
	defer cancel()
	select {
	case s.passwordChecks <- struct{}{}:
		return func() { <-s.passwordChecks }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// clientIP is the address login throttling and the audit log use. It goes
// through Echo's IP extractor when one is configured (behind a trusted
// proxy), and otherwise uses the connection's address: headers such as
// X-Forwarded-For are set by the client and would let it dodge throttling.
func clientIP(c echo.Context) string {
	if c.Echo().IPExtractor != nil {
		return c.RealIP()
	}
	host, _, err := net.SplitHostPort(c.Request().RemoteAddr)
	if err != nil {
		return c.Request().RemoteAddr
	}
	return host
}
