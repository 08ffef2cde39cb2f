package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

type methodologyData struct {
	MinVotes   int
	MeMinVotes int
}

// handleMethodologyPage explains how the leaderboard is computed.
func (s *Server) handleMethodologyPage(c echo.Context) error {
	d := methodologyData{MinVotes: s.cfg.MinVotes, MeMinVotes: s.cfg.MeMinVotes}
	return s.render(c, http.StatusOK, "methodology", page{Title: "Methodology", Nav: "methodology", Data: d})
}
