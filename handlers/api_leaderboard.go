package handlers

import (
	"encoding/csv"
	"io"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
)

// handleLeaderboardJSON returns the newest leaderboard of a pool.
func (s *Server) handleLeaderboardJSON(c echo.Context) error {
	_, pub, err := s.requestedBoard(c)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "public, max-age=5")
	return c.JSON(http.StatusOK, pub)
}

// csvHeader names the CSV columns, the JSON fields flattened.
var csvHeader = []string{"rank", "rank_best", "rank_worst", "slug", "name", "organization", "release_date", "license", "active", "score", "ci_lower", "ci_upper", "votes", "win_rate", "both_bad_rate", "rank_change_vs_raw"}

// handleLeaderboardCSV returns the same rows as the JSON, as CSV.
func (s *Server) handleLeaderboardCSV(c echo.Context) error {
	b, pub, err := s.requestedBoard(c)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	name := "leaderboard-" + b.Pool
	if b.Control != "" {
		name += "-" + b.Control
	}
	h.Set("Content-Disposition", `attachment; filename="`+name+`.csv"`)
	h.Set("Cache-Control", "public, max-age=5")
	c.Response().WriteHeader(http.StatusOK)
	return writeLeaderboardCSV(c.Response(), pub)
}

func writeLeaderboardCSV(w io.Writer, pub PublicLeaderboard) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	f := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	for _, m := range pub.Models {
		rec := []string{
			strconv.Itoa(m.Rank), strconv.Itoa(m.RankSpread[0]), strconv.Itoa(m.RankSpread[1]),
			csvText(m.Model.Slug), csvText(m.Model.Name), csvText(m.Model.Organization), m.Model.ReleaseDate, m.Model.License,
			strconv.FormatBool(m.Model.Active), f(m.Score), f(m.CILower), f(m.CIUpper), strconv.FormatInt(m.Votes, 10), f(m.WinRate),
			f(m.BothBadRate), "",
		}
		if m.RankChangeVsRaw != nil {
			rec[len(rec)-1] = strconv.Itoa(*m.RankChangeVsRaw)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvText keeps a spreadsheet from reading a name as a formula.
func csvText(s string) string {
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r') {
		return "'" + s
	}
	return s
}

// requestedBoard is the leaderboard the query asks for and its public
// form, the same for the JSON and the CSV.
func (s *Server) requestedBoard(c echo.Context) (boardQuery, PublicLeaderboard, error) {
	b, err := s.parseBoardQuery(c.Request().Context(), c.QueryParams(), 0)
	if err != nil {
		return b, PublicLeaderboard{}, err
	}
	pub, err := s.publicBoard(c, b)
	return b, pub, err
}
