package handlers

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"time"
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
	// Control is "style" for the style-controlled board, "" for the raw one.
	Control string
	// AsOf asks for the newest stored board at or before a time (JSON and
	// CSV; the page redirects to that board's own address).
	AsOf time.Time
}

// controlStyle asks for the style-controlled board.
const controlStyle = "style"

// sortColumns are the columns the page sorts by.
var sortColumns = map[string]bool{"rank": true, "model": true, "score": true, "ci": true, "votes": true, "win_rate": true, "change": true}

// parseBoardQuery reads and checks the filters. A bad filter is a 400 that
// says what to send instead.
func (s *Server) parseBoardQuery(ctx context.Context, q url.Values, defaultMin int64) (boardQuery, error) {
	b := boardQuery{Pool: q.Get("pool"), Category: q.Get("category"), MinVotes: defaultMin, Sort: q.Get("sort"), Control: q.Get("control")}
	if b.Control != "" && b.Control != controlStyle {
		return b, badRequest("control must be %q (the style-controlled board) or left out (the raw board), not %q", controlStyle, models.Truncate(b.Control, 40))
	}
	if b.Pool == "" {
		b.Pool = models.PoolT2V
	}
	if !models.ValidPool(b.Pool) {
		return b, badRequest("unknown pool %q: use one of %s", models.Truncate(b.Pool, 40), strings.Join(models.Pools, ", "))
	}
	if v := q.Get("min_votes"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 || n > 1_000_000_000 {
			return b, badRequest("min_votes must be a whole number from 0, not %q", models.Truncate(v, 40))
		}
		b.MinVotes = n
	}
	switch v := q.Get("retired"); v {
	case "", "0", "false":
	case "1", "true":
		b.Retired = true
	default:
		return b, badRequest("retired must be 1 or 0, not %q", models.Truncate(v, 40))
	}
	if v := q.Get("as_of"); v != "" {
		t, err := parseAsOf(v, s.now())
		if err != nil {
			return b, err
		}
		b.AsOf = t
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
			return b, badRequest("unknown category %q in pool %s: use one of %s", models.Truncate(b.Category, 40), b.Pool, strings.Join(known, ", "))
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
	if b.Control != "" {
		v.Set("control", b.Control)
	}
	return v
}

// publicBoard loads the newest snapshot for the query, or the one as of
// its time, and filters its rows.
func (s *Server) publicBoard(c echo.Context, b boardQuery) (PublicLeaderboard, error) {
	ctx := c.Request().Context()
	if !b.AsOf.IsZero() {
		lb, err := s.boards.AsOf(ctx, b.Pool, b.Category, b.AsOf)
		if err != nil {
			return PublicLeaderboard{}, err
		}
		return Public(ctx, s.store, b.Pool, lb, LeaderboardFilter{MinVotes: b.MinVotes, Retired: b.Retired, Past: true})
	}
	lb, _, err := s.boards.Get(ctx, b.Pool, b.Category)
	if err != nil {
		return PublicLeaderboard{}, err
	}
	return Public(ctx, s.store, b.Pool, lb, LeaderboardFilter{MinVotes: b.MinVotes, Retired: b.Retired, Control: b.Control})
}

// parseAsOf reads an as_of time: RFC 3339, not in the future.
func parseAsOf(v string, now time.Time) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		return time.Time{}, badRequest("as_of must be a time in RFC 3339 form, such as 2026-06-01T00:00:00Z, not %q", models.Truncate(v, 40))
	}
	if t.After(now) {
		return time.Time{}, badRequest("as_of %s is in the future: the board of a time to come is not known", t.UTC().Format(time.RFC3339))
	}
	return t.UTC(), nil
}
