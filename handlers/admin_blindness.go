package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// handleAPIBlindness: GET /api/v1/admin/blindness, per pool how well a
// nearest-centroid classifier names the model from what voters can measure
// of served clips, next to chance, with the features that separate most.
func (s *Server) handleAPIBlindness(c echo.Context) error {
	pools, err := s.store.BlindnessAudit(c.Request().Context())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, map[string]any{"pools": pools})
}
