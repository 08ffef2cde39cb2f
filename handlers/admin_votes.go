package handlers

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/arena-video/arena/models"
)

// recentVotesLimit is how many votes the moderation page and API list.
const recentVotesLimit = 200

type votesPageData struct {
	Voter string
	Votes []models.VoteRow
}

// handleAdminVotesPage lists recent votes with their validity, of one voter
// with ?voter=, and offers the moderation forms.
func (s *Server) handleAdminVotesPage(c echo.Context) error {
	voter := strings.TrimSpace(c.QueryParam("voter"))
	rows, err := s.store.RecentVotes(c.Request().Context(), voter, recentVotesLimit)
	if err != nil {
		return err
	}
	return s.renderAdmin(c, http.StatusOK, "admin_votes", "Votes", "votes", votesPageData{Voter: voter, Votes: rows})
}

// handleAPIVotes: GET /api/v1/admin/votes?voter=.
func (s *Server) handleAPIVotes(c echo.Context) error {
	rows, err := s.store.RecentVotes(c.Request().Context(), strings.TrimSpace(c.QueryParam("voter")), recentVotesLimit)
	if err != nil {
		return err
	}
	if rows == nil {
		rows = []models.VoteRow{}
	}
	return c.JSON(http.StatusOK, map[string]any{"votes": rows})
}

// moderateVoter invalidates or restores a voter's votes, the one place this
// happens for the page and the API. The reason goes into the audit log.
func (s *Server) moderateVoter(c echo.Context, voterID, reason string, invalidate bool) (int64, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" || len(reason) > 500 {
		return 0, badRequest("give a reason of 1 to 500 characters")
	}
	ctx := c.Request().Context()
	moderate := s.store.RestoreVoterVotes
	if invalidate {
		moderate = s.store.InvalidateVoterVotes
	}
	return moderate(ctx, actorOf(c), voterID, reason)
}

func (s *Server) handleAdminVoterForm(invalidate bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		voter := c.Param("id")
		if _, err := s.moderateVoter(c, voter, c.FormValue("reason"), invalidate); err != nil {
			return err
		}
		return c.Redirect(http.StatusSeeOther, "/admin/votes?voter="+voter)
	}
}

func (s *Server) handleAPIVoter(invalidate bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		var req struct {
			Reason string `json:"reason"`
		}
		if err := decodeJSON(c, &req, false); err != nil {
			return err
		}
		n, err := s.moderateVoter(c, c.Param("id"), req.Reason, invalidate)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, map[string]any{"voter": c.Param("id"), "changed": n})
	}
}
