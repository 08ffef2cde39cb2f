package handlers

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/arena-video/arena/models"
	"github.com/arena-video/arena/models/leaderboard"
	"github.com/arena-video/arena/models/media"
)

// statusOf maps domain errors to HTTP statuses and the message a user sees.
// This is the one place where that mapping lives.
func statusOf(err error) (int, string) {
	var he *echo.HTTPError
	switch {
	case errors.As(err, &he):
		msg := http.StatusText(he.Code)
		if m, ok := he.Message.(string); ok && m != "" {
			msg = m
		}
		if he.Code == http.StatusNotFound && msg == "Not Found" {
			msg = "nothing here: check the address"
		}
		if he.Code == http.StatusMethodNotAllowed {
			msg = "this address does not accept that method"
		}
		if he.Code == http.StatusRequestEntityTooLarge {
			msg = "the request body is too large"
		}
		return he.Code, msg
	case errors.Is(err, models.ErrNotFound), errors.Is(err, leaderboard.ErrBeforeFirstBoard):
		return http.StatusNotFound, strings.TrimPrefix(err.Error(), models.ErrNotFound.Error()+": ")
	case errors.Is(err, models.ErrAlreadyVoted):
		return http.StatusConflict, "this matchup already has a vote; ask for a new matchup"
	case errors.Is(err, models.ErrSkipped):
		return http.StatusConflict, "this matchup was skipped; ask for a new matchup"
	case errors.Is(err, models.ErrExpired):
		return http.StatusGone, "this matchup has expired; ask for a new matchup"
	case errors.Is(err, models.ErrNoMatchup):
		return http.StatusServiceUnavailable, "no matchup can be made yet: no prompt has clips from two active models"
	case errors.Is(err, models.ErrConflict):
		return http.StatusConflict, err.Error()
	case errors.Is(err, models.ErrBadCredentials):
		return http.StatusUnauthorized, err.Error()
	case errors.Is(err, media.ErrNoFFmpeg):
		return http.StatusServiceUnavailable, err.Error()
	case errors.Is(err, media.ErrRejected):
		return http.StatusUnprocessableEntity, err.Error()
	case errors.Is(err, media.ErrTooLarge):
		return http.StatusRequestEntityTooLarge, err.Error()
	case errors.Is(err, media.ErrUnsupported):
		return http.StatusUnsupportedMediaType, err.Error()
	case errors.Is(err, media.ErrEmpty), errors.Is(err, media.ErrCorrupt):
		return http.StatusUnprocessableEntity, err.Error()
	case errors.Is(err, media.ErrInvalidKey):
		return http.StatusNotFound, "no such file"
	case errors.Is(err, models.ErrInvalidInput):
		return http.StatusBadRequest, strings.TrimPrefix(err.Error(), models.ErrInvalidInput.Error()+": ")
	}
	return http.StatusInternalServerError, ""
}

// handleError answers every error: JSON under /api, a readable page
// elsewhere. A 500 logs its cause and shows only the request id.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	code, msg := statusOf(err)
	reqID := c.Response().Header().Get(echo.HeaderXRequestID)
	if code >= 500 && code != http.StatusServiceUnavailable {
		s.log.Error("request failed", "method", c.Request().Method, "path", c.Path(), "request_id", reqID, "err", err)
		msg = fmt.Sprintf("something went wrong on our side; if it keeps happening, report request id %s", reqID)
	}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(code)
		return
	}
	if isAPI(c) {
		_ = c.JSON(code, map[string]string{"error": msg})
		return
	}
	s.renderError(c, code, msg)
}

func isAPI(c echo.Context) bool {
	return strings.HasPrefix(c.Request().URL.Path, "/api/")
}

// badRequest is a 400 with a message the client can act on.
func badRequest(format string, args ...any) error {
	return echo.NewHTTPError(http.StatusBadRequest, fmt.Sprintf(format, args...))
}
