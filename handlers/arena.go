package handlers

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/arena-video/arena/models"
)

// arenaData feeds the arena page: a matchup before the vote, or the reveal
// after a vote sent by the plain form.
type arenaData struct {
	Matchup  *matchupJSON
	Reveal   *voteJSON
	Choice   string
	Unusable string // why no matchup could be made
	// MinWatchMS is how long both clips must play before the page unlocks
	// the vote buttons (unless both played through sooner).
	MinWatchMS int64
}

// minWatchMS is the watch time the page asks for before a vote: the same
// minimum the store checks votes against (zero: none).
func (s *Server) minWatchMS() int64 {
	return s.store.MinWatch().Milliseconds()
}

// handleArenaPage renders the arena with a fresh matchup. The page works
// without JavaScript; static/js/arena.js adds synced playback, shortcuts and
// the in-place reveal.
func (s *Server) handleArenaPage(c echo.Context) error {
	voter, err := s.voterID(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	m, err := s.store.IssueMatchupTo(ctx, voter, clientNet(c), models.MatchupFilter{}, s.boards.PairWeigher(ctx, ""))
	if errors.Is(err, models.ErrNoMatchup) {
		_, msg := statusOf(err)
		return s.render(c, http.StatusServiceUnavailable, "arena", page{Title: "Arena", Nav: "arena", Data: arenaData{Unusable: msg, MinWatchMS: s.minWatchMS()}})
	}
	if err != nil {
		return err
	}
	mj := toMatchupJSON(m)
	return s.render(c, http.StatusOK, "arena", page{Title: "Arena", Nav: "arena", Data: arenaData{Matchup: &mj, MinWatchMS: s.minWatchMS()}})
}

// handleVoteForm records a vote sent by the plain HTML form and shows the
// reveal with a link to the next matchup.
func (s *Server) handleVoteForm(c echo.Context) error {
	choice := c.FormValue("choice")
	if !models.ValidChoice(choice) {
		return badRequest("choose A is better, B is better, Tie or Both are bad")
	}
	res, err := s.castVote(c, choice)
	if err != nil {
		return err
	}
	v := s.revealFor(c, res)
	shown := toMatchupJSON(models.IssuedMatchup{ID: res.MatchupID, Pool: res.ClipA.Pool, Prompt: res.Prompt, A: res.ClipA, B: res.ClipB})
	return s.render(c, http.StatusOK, "arena", page{Title: "Arena", Nav: "arena", Data: arenaData{Matchup: &shown, Reveal: &v, Choice: choice, MinWatchMS: s.minWatchMS()}})
}
