package handlers

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/arena-video/arena/models"
	"github.com/arena-video/arena/models/leaderboard"
)

// poolLabels names the pools on the page's tabs.
var poolLabels = map[string]string{
	models.PoolT2V:      "Text to video",
	models.PoolI2V:      "Image to video",
	models.PoolT2VAudio: "Text to video, with sound",
	models.PoolI2VAudio: "Image to video, with sound",
}

type link struct {
	Label   string
	URL     string
	Current bool
}

// boardRow is one table row as the page shows it.
type boardRow struct {
	PublicStanding
	Minus, Plus float64
	WinPct      float64
	Spread      string // "1–3", or "2" when best and worst agree
	Change      string
	ChangeClass string
	ChangeSort  int
	BothBadPct  float64
	// VsRaw is the rank change against the raw board, on the style board.
	VsRaw      string
	VsRawClass string
	VsRawSort  int
}

type leaderboardData struct {
	Pool        string
	PoolLabel   string
	Tabs        []link
	Categories  []link
	Category    string
	MinVotes    int64
	Retired     bool
	RetiredURL  string
	Ranked      []boardRow
	Provisional []boardRow
	Votes       int64
	ComputedAt  *time.Time
	SortLinks   map[string]string
	Sort        string
	Chart       *scoreChart
	Heatmap     *heatmap
	JSONURL     string
	CSVURL      string
	// Control is "style" on the style-controlled board; Controls links the
	// raw and style boards (plain links, so the toggle needs no script).
	Control      string
	Controls     []link
	StyleControl *PublicStyleControl
	Cite         *citation // which stored board this is, and how to cite it
	Past         bool      // a stored board, not the newest
}

// handleLeaderboardPage renders the leaderboard of one pool from its newest
// snapshot: it never waits on a fit. Rendered pages are kept until their
// snapshot or catalog changes (boardPageCache).
func (s *Server) handleLeaderboardPage(c echo.Context) error {
	ctx := c.Request().Context()
	defMin := int64(s.cfg.MinVotes)
	b, err := s.parseBoardQuery(ctx, c.QueryParams(), defMin)
	if err != nil {
		return err
	}
	if !b.AsOf.IsZero() {
		return s.redirectAsOf(c, b)
	}
	lb, _, err := s.boards.Get(ctx, b.Pool, b.Category)
	if err != nil {
		return err
	}
	return s.renderBoardPage(c, b, lb, false)
}

// renderBoardPage renders a board: the newest of its pool and category, or
// a stored one (past) at its own address.
func (s *Server) renderBoardPage(c echo.Context, b boardQuery, lb *leaderboard.Leaderboard, past bool) error {
	ctx := c.Request().Context()
	defMin := int64(s.cfg.MinVotes)
	catalog, err := s.store.CatalogVersion(ctx)
	if err != nil {
		return err
	}
	cats, err := s.boards.Categories(ctx, b.Pool)
	if err != nil {
		return err
	}
	key := c.Request().URL.Path + "?" + b.values(defMin).Encode()
	stamp := boardStamp{board: lb, catalog: catalog, categories: strings.Join(cats, "\x00")}
	if body, ok := s.boardPages.get(key, stamp); ok {
		return sendPage(c, http.StatusOK, body)
	}
	if err := s.allowRender(c); err != nil {
		return err
	}
	all, err := Public(ctx, s.store, b.Pool, lb, LeaderboardFilter{Retired: b.Retired, Control: b.Control, Past: past})
	if err != nil {
		return err
	}
	d := leaderboardData{Pool: b.Pool, PoolLabel: poolLabels[b.Pool], Category: b.Category, MinVotes: b.MinVotes, Retired: b.Retired,
		Votes: all.Votes, ComputedAt: all.ComputedAt, Sort: b.Sort, Past: past, Cite: s.citationOf(c, all), Control: b.Control, StyleControl: all.StyleControl}
	for _, m := range all.Models {
		row := toBoardRow(m)
		if m.Votes >= b.MinVotes {
			d.Ranked = append(d.Ranked, row)
		} else {
			d.Provisional = append(d.Provisional, row)
		}
	}
	sortRows(d.Ranked, b.Sort)
	sortRows(d.Provisional, b.Sort)
	var charted []PublicStanding
	for _, r := range d.Ranked {
		charted = append(charted, r.PublicStanding)
	}
	d.Chart = newScoreChart(charted)
	d.Heatmap = newHeatmap(lb, charted)
	boardLinks(&d, b, cats, defMin)
	if past {
		pastBoardLinks(&d, b, lb.SnapshotID)
	}
	body, err := s.renderPage("leaderboard", page{Title: "Leaderboard · " + d.PoolLabel, Nav: "leaderboard", Data: d})
	if err != nil {
		return err
	}
	s.boardPages.put(key, stamp, body)
	return sendPage(c, http.StatusOK, body)
}

// boardLinks fills the tab, category, sort and download links, each keeping
// the other filters.
func boardLinks(d *leaderboardData, b boardQuery, cats []string, defMin int64) {
	for _, p := range models.Pools {
		q := boardQuery{Pool: p, MinVotes: b.MinVotes, Retired: b.Retired, Control: b.Control}
		d.Tabs = append(d.Tabs, link{Label: poolLabels[p], URL: "/leaderboard?" + q.values(defMin).Encode(), Current: p == b.Pool})
	}
	base := b
	base.Category = ""
	d.Categories = append(d.Categories, link{Label: "All categories", URL: "/leaderboard?" + base.values(defMin).Encode(), Current: b.Category == ""})
	for _, cat := range cats {
		q := base
		q.Category = cat
		d.Categories = append(d.Categories, link{Label: cat, URL: "/leaderboard?" + q.values(defMin).Encode(), Current: b.Category == cat})
	}
	d.SortLinks = make(map[string]string, len(sortColumns))
	for col := range sortColumns {
		q := b
		q.Sort = col
		if b.Sort == col {
			q.Sort = "-" + col
		}
		d.SortLinks[col] = "/leaderboard?" + q.values(defMin).Encode()
	}
	r := b
	r.Retired = !b.Retired
	d.RetiredURL = "/leaderboard?" + r.values(defMin).Encode()
	for _, c := range []struct{ label, control string }{{"Raw", ""}, {"Style control", controlStyle}} {
		q := b
		q.Control = c.control
		d.Controls = append(d.Controls, link{Label: c.label, URL: "/leaderboard?" + q.values(defMin).Encode(), Current: b.Control == c.control})
	}
	api := boardQuery{Pool: b.Pool, Category: b.Category, MinVotes: b.MinVotes, Retired: b.Retired, Control: b.Control}
	d.JSONURL = "/api/v1/leaderboard?" + api.values(0).Encode()
	d.CSVURL = "/api/v1/leaderboard.csv?" + api.values(0).Encode()
}

func toBoardRow(m PublicStanding) boardRow {
	r := boardRow{PublicStanding: m, Minus: m.Score - m.CILower, Plus: m.CIUpper - m.Score, WinPct: 100 * m.WinRate, BothBadPct: 100 * m.BothBadRate}
	if v := m.RankChangeVsRaw; v != nil {
		r.VsRawSort = *v
		switch {
		case *v > 0:
			r.VsRaw, r.VsRawClass = fmt.Sprintf("▲ %d", *v), "change-up"
		case *v < 0:
			r.VsRaw, r.VsRawClass = fmt.Sprintf("▼ %d", -*v), "change-down"
		default:
			r.VsRaw, r.VsRawClass = "=", "change-same"
		}
	}
	r.Spread = fmt.Sprint(m.RankSpread[0])
	if m.RankSpread[1] != m.RankSpread[0] {
		r.Spread = fmt.Sprintf("%d–%d", m.RankSpread[0], m.RankSpread[1])
	}
	switch {
	case m.RankChange == nil:
		r.Change, r.ChangeClass, r.ChangeSort = "new", "change-new", 0
	case *m.RankChange > 0:
		r.Change, r.ChangeClass, r.ChangeSort = fmt.Sprintf("▲ %d", *m.RankChange), "change-up", *m.RankChange
	case *m.RankChange < 0:
		r.Change, r.ChangeClass, r.ChangeSort = fmt.Sprintf("▼ %d", -*m.RankChange), "change-down", *m.RankChange
	default:
		r.Change, r.ChangeClass = "=", "change-same"
	}
	return r
}

// sortRows orders rows by a column; "-" first reverses it. Each column's
// natural direction puts the best first.
func sortRows(rows []boardRow, by string) {
	desc := strings.HasPrefix(by, "-")
	col := strings.TrimPrefix(by, "-")
	less := func(a, b boardRow) bool {
		switch col {
		case "model":
			return strings.ToLower(a.Model.Name) < strings.ToLower(b.Model.Name)
		case "score":
			return a.Score > b.Score
		case "ci":
			return a.Plus+a.Minus < b.Plus+b.Minus
		case "votes":
			return a.Votes > b.Votes
		case "win_rate":
			return a.WinRate > b.WinRate
		case "change":
			return a.ChangeSort > b.ChangeSort
		}
		if a.Rank != b.Rank {
			return a.Rank < b.Rank
		}
		return a.Score > b.Score
	}
	sort.SliceStable(rows, func(i, j int) bool {
		if desc {
			return less(rows[j], rows[i])
		}
		return less(rows[i], rows[j])
	})
}

// addRanks adds each revealed model's current rank, read from the in-memory
// leaderboard in one look-up: no database work on the vote path.
func (s *Server) addRanks(c echo.Context, v *voteJSON, res models.VoteResult) {
	if v.A == nil || v.B == nil {
		return
	}
	v.A.Rank, v.B.Rank = s.boards.Ranks(c.Request().Context(), res.ClipA.Pool, res.A.ID, res.B.ID)
}
