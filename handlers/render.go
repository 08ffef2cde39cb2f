package handlers

import (
	"bytes"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// page is what every template receives.
type page struct {
	Title string
	Nav   string // which navigation link is current
	Demo  bool
	Data  any
	// Admin is the signed-in admin's name on admin pages; it shows the admin
	// navigation.
	Admin string
}

// render executes a page template into a buffer first, so a template error
// becomes a clean 500 instead of half a page.
func (s *Server) render(c echo.Context, status int, name string, p page) error {
	body, err := s.renderPage(name, p)
	if err != nil {
		return err
	}
	return sendPage(c, status, body)
}

// renderPage executes a page template into a new buffer.
func (s *Server) renderPage(name string, p page) ([]byte, error) {
	p.Demo = s.cfg.Demo
	var buf bytes.Buffer
	if err := s.pages.Render(&buf, name, p); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// sendPage writes a rendered page. Pages are never stored by caches: they
// change with every vote, and some are per visitor.
func sendPage(c echo.Context, status int, body []byte) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.HTMLBlob(status, body)
}

type errorData struct {
	Status  int
	Heading string
	Message string
	// Admin sends the way back to the admin pages instead of the arena.
	Admin bool
}

func (s *Server) renderError(c echo.Context, code int, msg string) {
	err := s.render(c, code, "error", page{
		Title: http.StatusText(code),
		Data: errorData{Status: code, Heading: http.StatusText(code), Message: msg,
			Admin: strings.HasPrefix(c.Request().URL.Path, "/admin")},
	})
	if err != nil {
		s.log.Error("render error page", "err", err)
		_ = c.String(code, msg)
	}
}
