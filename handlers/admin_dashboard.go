package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/arena-video/arena/models"
)

// triggerRecompute is the one place a recompute is asked for by hand.
func (s *Server) triggerRecompute(c echo.Context) bool {
	s.audit(c, "recompute", "leaderboard", "")
	if s.cfg.Recompute == nil {
		return false
	}
	s.cfg.Recompute()
	return true
}

// handleAdminRecomputeForm starts a leaderboard recompute from the page.
func (s *Server) handleAdminRecomputeForm(c echo.Context) error {
	s.triggerRecompute(c)
	return c.Redirect(http.StatusSeeOther, "/admin")
}

// handleAPIRecompute: POST /api/v1/admin/recompute → 202.
func (s *Server) handleAPIRecompute(c echo.Context) error {
	if !s.triggerRecompute(c) {
		return echo.NewHTTPError(http.StatusServiceUnavailable, "this server has no ranking engine wired in")
	}
	return c.JSON(http.StatusAccepted, map[string]string{"status": "recompute started"})
}

// handleAdminDashboard shows totals, coverage, votes per model, clips
// that lack a pair and prompt health, sorted by ?sort=.
func (s *Server) handleAdminDashboard(c echo.Context) error {
	health, sort, err := s.loadPromptHealth(c)
	if err != nil {
		return err
	}
	d, err := s.store.LoadDashboard(c.Request().Context())
	if err != nil {
		return err
	}
	integrity, err := s.loadIntegrity(c.Request().Context())
	if err != nil {
		return err
	}
	return s.renderAdmin(c, http.StatusOK, "admin_dashboard", "Dashboard", "dashboard", struct {
		models.Dashboard
		HasFFmpeg    bool
		HasRecompute bool
		Integrity    integrityData
		Health       promptHealthView
	}{d, s.blobs.HasFFmpeg(), s.cfg.Recompute != nil, integrity, promptHealthView{
		Rows: promptHealthRows(health), Headers: promptHealthHeaders(sort), CSVURL: "/api/v1/admin/prompts/health.csv?sort=" + sort,
		MinVotes: models.PromptHealthMinVotes, MinModelVotes: models.DiscriminationMinModelVotes, BothBadRate: models.BothBadFlagRate,
	}})
}
