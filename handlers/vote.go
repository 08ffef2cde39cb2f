package handlers

import (
	"github.com/labstack/echo/v4"

	"github.com/arena-video/arena/models"
)

// castVote records a vote for the JSON API and the plain form alike. The
// client address's daily budget of valid votes is spent first; when it is
// used up the vote is stored but does not count (address_budget), and when
// the vote does not count for another reason the budget is given back.
func (s *Server) castVote(c echo.Context, choice string) (models.VoteResult, error) {
	ctx := c.Request().Context()
	var (
		net    string
		took   bool
		reason string
		now    = s.cfg.Now()
	)
	if s.budgets != nil {
		net = clientNet(c)
		var err error
		if took, err = s.budgets.TakeVote(ctx, net, now); err != nil {
			return models.VoteResult{}, err
		}
		if !took {
			reason = models.ReasonAddressBudget
		}
	}
	res, err := s.store.RecordVoteWith(ctx, s.existingVoterID(c), c.Param("id"), choice, reason)
	if took && (err != nil || !res.Valid) {
		if rerr := s.budgets.RefundVote(ctx, net, now); rerr != nil {
			s.log.Error("refund vote budget", "err", rerr)
		}
	}
	return res, err
}

// revealFor is the answer to a vote: both models, but only for a vote that
// counts. A vote stored invalid (too fast, clips not fetched, over budget,
// flagged) learns nothing, so a throwaway cookie cannot map clips to models
// by voting carelessly.
func (s *Server) revealFor(c echo.Context, res models.VoteResult) voteJSON {
	if !res.Valid {
		return voteJSON{Choice: res.Choice}
	}
	out := toVoteJSON(res)
	s.addRanks(c, &out, res)
	return out
}
