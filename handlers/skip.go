package handlers

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/arena-video/arena/models"
)

// skipRequest is the body of POST /api/v1/matchups/{id}/skip.
type skipRequest struct {
	Reason string `json:"reason"`
	Side   string `json:"side"`
}

// skipJSON answers a skip. The models stay hidden: a skip is not a vote, and
// revealing them would let a voter skip until a favourite shows up.
type skipJSON struct {
	Skipped bool   `json:"skipped"`
	Reason  string `json:"reason"`
	Side    string `json:"side,omitempty"`
}

// skip is the one place a matchup is skipped, for the API and the page.
func (s *Server) skip(c echo.Context, reason, side string) (models.SkipResult, error) {
	res, err := s.store.SkipMatchup(c.Request().Context(), s.existingVoterID(c), c.Param("id"), reason, side)
	if errors.Is(err, models.ErrNotFound) {
		return res, echo.NewHTTPError(http.StatusNotFound, "no matchup with this id was issued to you; ask for a new matchup")
	}
	return res, err
}

// handleSkip: POST /api/v1/matchups/{id}/skip {"reason", "side"} closes the
// matchup without a vote. The page sends it when the voter presses Skip (or
// S), and by itself with reason "broken" when a clip fails to play.
func (s *Server) handleSkip(c echo.Context) error {
	var req skipRequest
	if err := decodeJSON(c, &req, false); err != nil {
		return err
	}
	if !models.ValidSkipReason(req.Reason) {
		return badRequest(`"reason" must be one of "broken", "cant_decide", "inappropriate"`)
	}
	if req.Side != "" && req.Side != models.ChoiceA && req.Side != models.ChoiceB {
		return badRequest(`"side" must be "a" or "b", or left out to report both clips`)
	}
	res, err := s.skip(c, req.Reason, req.Side)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, skipJSON{Skipped: true, Reason: res.Reason, Side: res.Side})
}

// handleSkipForm skips from the page without JavaScript, then shows the next
// matchup.
func (s *Server) handleSkipForm(c echo.Context) error {
	reason := c.FormValue("reason")
	if !models.ValidSkipReason(reason) {
		return badRequest("choose why you skip: broken, can't decide or inappropriate")
	}
	side := c.FormValue("side")
	if side != "" && side != models.ChoiceA && side != models.ChoiceB {
		return badRequest("side must be a or b")
	}
	if _, err := s.skip(c, reason, side); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/")
}
