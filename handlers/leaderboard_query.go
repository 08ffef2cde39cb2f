package handlers

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/arena-video/arena/models"
)

// boardQuery is a validated leaderboard request, shared by the page, the
// JSON and the CSV.
type boardQuery struct {
	Pool     string
	Category string
	MinVotes int64
	Retired  bool
	Sort     string // page only: a column, "-" first for descending
}

// sortColumns are the columns the page sorts by.
var sortColumns = map[string]bool{"rank": true, "model": true, "score": true, "ci": true, "votes": true, "win_rate": true, "change": true}

// parseBoardQuery reads and checks the filters. A bad filter is a 400 that
// says what to send instead.
func (s *Server) parseBoardQuery(ctx context.Context, q url.Values, defaultMin int64) (boardQuery, error) {
	b := boardQuery{Pool: q.Get("pool"), Category: q.Get("category"), MinVotes: defaultMin, Sort: q.Get("sort")}
	if b.Pool == "" {
		b.Pool = models.PoolT2V
	}
	if !models.ValidPool(b.Pool) {
		return b, badRequest("unknown pool %q: use one of %s", truncate(b.Pool, 40), strings.Join(models.Pools, ", "))
	}
	if v := q.Get("min_votes"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 || n > 1_000_000_000 {
			return b, badRequest("min_votes must be a whole number from 0, not %q", truncate(v, 40))
		}
		b.MinVotes = n
	}
	switch v := q.Get("retired"); v {
	case "", "0", "false":
	case "1", "true":
		b.Retired = true
	default:
		return b, badRequest("retired must be 1 or 0, not %q", truncate(v, 40))
	}
	if b.Sort != "" && !sortColumns[strings.TrimPrefix(b.Sort, "-")] {
		return b, badRequest("sort must be one of rank, model, score, ci, votes, win_rate, change (with - first for descending)")
	}
	if b.Category != "" {
		if len(b.Category) > 64 || !utf8.ValidString(b.Category) || strings.ContainsRune(b.Category, 0) {
			return b, badRequest("category must be at most 64 characters of text")
		}
		known, err := s.boards.Categories(ctx, b.Pool)
		if err != nil {
			return b, err
		}
		found := false
		for _, c := range known {
			found = found || c == b.Category
		}
		if !found {
			return b, badRequest("unknown category %q in pool %s: use one of %s", truncate(b.Category, 40), b.Pool, strings.Join(known, ", "))
		}
	}
	return b, nil
}

// values turns the query back into URL parameters, leaving out defaults.
func (b boardQuery) values(defaultMin int64) url.Values {
	v := url.Values{}
	v.Set("pool", b.Pool)
	if b.Category != "" {
		v.Set("category", b.Category)
	}
	if b.MinVotes != defaultMin {
		v.Set("min_votes", strconv.FormatInt(b.MinVotes, 10))
	}
	if b.Retired {
		v.Set("retired", "1")
	}
	if b.Sort != "" {
		v.Set("sort", b.Sort)
	}
	return v
}

// publicBoard loads the newest snapshot for the query and filters its rows.
func (s *Server) publicBoard(c echo.Context, b boardQuery) (PublicLeaderboard, error) {
	ctx := c.Request().Context()
	lb, _, err := s.boards.Get(ctx, b.Pool, b.Category)
	if err != nil {
		return PublicLeaderboard{}, err
	}
	return Public(ctx, s.store, b.Pool, lb, LeaderboardFilter{MinVotes: b.MinVotes, Retired: b.Retired})
}
