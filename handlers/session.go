package handlers

import (
	"net/http"

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
	sess, _ := s.sessions.Get(c.Request(), voterSessionName) // a bad or old cookie just starts a new session
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
	ck, err := c.Request().Cookie(voterSessionName)
	if err != nil {
		return ""
	}
	if id, ok := s.voterCookies.Get(ck.Value); ok {
		return id
	}
	sess, _ := s.sessions.Get(c.Request(), voterSessionName)
	id, _ := sess.Values[voterKey].(string)
	if !models.ValidID(id) {
		return ""
	}
	s.voterCookies.Put(ck.Value, id)
	return id
}
