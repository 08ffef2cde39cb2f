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

// dashboardHealthRows bounds the prompt health table on the dashboard: at
// 500 prompts the whole table would be most of the page and of its time.
const dashboardHealthRows = 50

// handleAdminDashboard shows totals, a summary of coverage, votes per
// model, clips that lack a pair and prompt health, sorted by ?sort=.
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
	ingestion, err := s.ingestion(c)
	if err != nil {
		return err
	}
	skips, err := s.store.SkipCounts(c.Request().Context())
	if err != nil {
		return err
	}
	reported, err := s.store.ReportedClips(c.Request().Context(), 50)
	if err != nil {
		return err
	}
	blindness, err := s.store.BlindnessAudit(c.Request().Context())
	if err != nil {
		return err
	}
	coverage, err := s.store.LoadCoverage(c.Request().Context())
	if err != nil {
		return err
	}
	return s.renderAdmin(c, http.StatusOK, "admin_dashboard", "Dashboard", "dashboard", struct {
		models.Dashboard
		Ingestion    ingestionJSON
		Skips        map[string]int64
		Reported     []models.ReportedClip
		BrokenLimit  int
		Blindness    []models.PoolBlindness
		HasRecompute bool
		Integrity    integrityData
		Health       promptHealthView
		Coverage     coverageView
	}{d, ingestion, skips, reported, models.BrokenReportLimit, blindness, s.cfg.Recompute != nil, integrity, promptHealthView{
		Rows: promptHealthRows(health[:min(len(health), dashboardHealthRows)]), Total: len(health), Headers: promptHealthHeaders(sort), CSVURL: "/api/v1/admin/prompts/health.csv?sort=" + sort,
		MinVotes: models.PromptHealthMinVotes, MinModelVotes: models.DiscriminationMinModelVotes, BothBadRate: models.BothBadFlagRate,
	}, dashboardCoverage(coverage)})
}

// handleAdminClipRestoreForm puts a clip voters reported broken back into
// matchups, forgetting the reports.
func (s *Server) handleAdminClipRestoreForm(c echo.Context) error {
	if _, err := s.store.RestoreClip(c.Request().Context(), actorOf(c), c.Param("id")); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin")
}
