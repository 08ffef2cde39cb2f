package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// handleHealth answers 200 when the database answers, with whether clips
// can be ingested and how the transcode queue stands.
func (s *Server) handleHealth(c echo.Context) error {
	if err := s.store.Ping(c.Request().Context()); err != nil {
		s.log.Error("health check failed", "err", err)
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "database unavailable"})
	}
	ing, err := s.ingestion(c)
	if err != nil {
		s.log.Error("health check failed", "err", err)
		return c.JSON(http.StatusServiceUnavailable, map[string]string{"status": "database unavailable"})
	}
	// Ingestion without ffmpeg is degraded, not down: voting still works,
	// so the answer stays 200 and says what is missing.
	return c.JSON(http.StatusOK, map[string]any{"status": "ok", "ingestion": ing})
}
