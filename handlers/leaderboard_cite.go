package handlers

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/arena-video/arena/models"
	"github.com/arena-video/arena/models/leaderboard"
)

// citation names a stored board so that a number quoted from it can be
// checked later.
type citation struct {
	SnapshotID   uint
	URL          string // the board's own address, absolute
	VotesThrough *time.Time
	Votes        int64
	Method       string
	SHA256       string
	Text         string // the "cite this" line
}

func (s *Server) now() time.Time {
	if s.cfg.Now != nil {
		return s.cfg.Now()
	}
	return time.Now()
}

// baseURL is the arena's public address: ARENA_PUBLIC_URL when set, else
// the address the request came to.
func (s *Server) baseURL(c echo.Context) string {
	if s.cfg.PublicURL != "" {
		return strings.TrimRight(s.cfg.PublicURL, "/")
	}
	return c.Scheme() + "://" + c.Request().Host
}

// citationOf describes the stored board behind a public board, or nil
// before the first one.
func (s *Server) citationOf(c echo.Context, pub PublicLeaderboard) *citation {
	if pub.SnapshotID == 0 {
		return nil
	}
	ct := &citation{SnapshotID: pub.SnapshotID, VotesThrough: pub.VotesThrough, Votes: pub.Votes, Method: pub.Method, SHA256: pub.SHA256}
	ct.URL = s.baseURL(c) + snapshotPath(pub.Pool, pub.SnapshotID)
	through := "no votes"
	if pub.VotesThrough != nil {
		through = "votes through " + pub.VotesThrough.UTC().Format("2 Jan 2006 15:04:05 UTC")
	}
	label := poolLabels[pub.Pool]
	if pub.Category != "" {
		label += ", " + pub.Category
	}
	ct.Text = fmt.Sprintf("Arena leaderboard, %s, snapshot %d (%s, %d votes, method %s), %s, SHA-256 %s",
		label, pub.SnapshotID, through, pub.Votes, pub.Method, ct.URL, pub.SHA256)
	return ct
}

func snapshotPath(pool string, id uint) string {
	return "/leaderboard/" + pool + "/" + strconv.FormatUint(uint64(id), 10)
}

// pastBoardLinks points the page's links at the stored board: its JSON, and
// the newest board of the pool.
func pastBoardLinks(d *leaderboardData, b boardQuery, id uint) {
	api := boardQuery{MinVotes: b.MinVotes, Retired: b.Retired}
	q := api.values(0)
	q.Del("pool")
	d.JSONURL = "/api/v1" + snapshotPath(b.Pool, id)
	if enc := q.Encode(); enc != "" {
		d.JSONURL += "?" + enc
	}
	d.CSVURL = ""
}

// storedBoard reads a board's address, /leaderboard/{pool}/{snapshot_id}.
// A malformed or unknown id, or one of another pool, is a 404 that says so.
func (s *Server) storedBoard(c echo.Context) (*leaderboard.Leaderboard, error) {
	pool, raw := c.Param("pool"), c.Param("id")
	if !models.ValidPool(pool) {
		return nil, echo.NewHTTPError(http.StatusNotFound, fmt.Sprintf("no pool %q: pools are %s", models.Truncate(pool, 40), strings.Join(models.Pools, ", ")))
	}
	id, err := strconv.ParseUint(raw, 10, 32)
	if err != nil || id == 0 {
		return nil, echo.NewHTTPError(http.StatusNotFound, fmt.Sprintf("no snapshot %q: snapshot ids are whole numbers from 1", models.Truncate(raw, 40)))
	}
	lb, err := s.boards.Stored(c.Request().Context(), uint(id))
	if err != nil {
		return nil, err
	}
	if lb.Pool != pool {
		return nil, echo.NewHTTPError(http.StatusNotFound, fmt.Sprintf("snapshot %d is a board of pool %s, not %s", id, lb.Pool, pool))
	}
	return lb, nil
}

// handleStoredBoardPage shows one stored board at its own, permanent
// address, with what is needed to cite it.
func (s *Server) handleStoredBoardPage(c echo.Context) error {
	lb, err := s.storedBoard(c)
	if err != nil {
		return err
	}
	b, err := s.parseBoardQuery(c.Request().Context(), c.QueryParams(), int64(s.cfg.MinVotes))
	if err != nil {
		return err
	}
	b.Pool, b.Category = lb.Pool, lb.Category
	return s.renderBoardPage(c, b, lb, true)
}

// handleStoredBoardJSON returns one stored board, as GET /api/v1/leaderboard
// does the newest.
func (s *Server) handleStoredBoardJSON(c echo.Context) error {
	lb, err := s.storedBoard(c)
	if err != nil {
		return err
	}
	b, err := s.parseBoardQuery(c.Request().Context(), c.QueryParams(), 0)
	if err != nil {
		return err
	}
	pub, err := Public(c.Request().Context(), s.store, lb.Pool, lb, LeaderboardFilter{MinVotes: b.MinVotes, Retired: b.Retired, Past: true})
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "public, max-age=300")
	return c.JSON(http.StatusOK, pub)
}

// redirectAsOf sends the page asked for as of a time to the stored board
// that answers it.
func (s *Server) redirectAsOf(c echo.Context, b boardQuery) error {
	lb, err := s.boards.AsOf(c.Request().Context(), b.Pool, b.Category, b.AsOf)
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, snapshotPath(lb.Pool, lb.SnapshotID))
}
