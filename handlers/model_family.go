package handlers

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/arena-video/arena/models"
)

// versionLess orders versions as people number them: "1.9" before "1.10",
// numbers before words, and the empty version first.
func versionLess(a, b string) bool {
	pa, pb := strings.FieldsFunc(a, versionSep), strings.FieldsFunc(b, versionSep)
	for i := 0; i < len(pa) && i < len(pb); i++ {
		na, ea := strconv.Atoi(pa[i])
		nb, eb := strconv.Atoi(pb[i])
		switch {
		case ea == nil && eb == nil && na != nb:
			return na < nb
		case ea == nil && eb != nil:
			return true
		case ea != nil && eb == nil:
			return false
		case ea != nil && eb != nil && pa[i] != pb[i]:
			return pa[i] < pb[i]
		}
	}
	return len(pa) < len(pb)
}

func versionSep(r rune) bool { return r == '.' || r == '-' || r == ' ' || r == '_' }

// familyPath is the address of a family's page.
func familyPath(family string) string { return "/families/" + url.PathEscape(family) }

type familyData struct {
	Family string
	Pools  []string // pool labels, in the columns' order
	Rows   []familyRow
}

type familyRow struct {
	Model   models.Model
	Version string
	Cells   []familyCell // one per pool
}

type familyCell struct {
	Has         bool
	Rank        int
	Score       float64
	Minus, Plus float64
	Votes       int64
}

// handleFamilyPage compares the versions of one model family side by side:
// each version's rank, score and votes in every pool.
func (s *Server) handleFamilyPage(c echo.Context) error {
	ctx := c.Request().Context()
	family := c.Param("family")
	if uf, err := url.PathUnescape(family); err == nil {
		family = uf
	}
	if family == "" || len(family) > 64 || !utf8.ValidString(family) {
		return echo.NewHTTPError(http.StatusNotFound, "no such model family")
	}
	ms, err := s.store.CatalogModels(ctx)
	if err != nil {
		return err
	}
	var members []models.Model
	for _, m := range ms {
		if m.Family == family {
			members = append(members, m)
		}
	}
	if len(members) == 0 {
		return echo.NewHTTPError(http.StatusNotFound, fmt.Sprintf("no model family %q", models.Truncate(family, 40)))
	}
	vs := familyOf(ms, members[0])
	d := familyData{Family: family}
	boards := make(map[string]*PublicLeaderboard)
	var pools []string
	for _, p := range models.Pools {
		lb, ok, err := s.boards.Get(ctx, p, "")
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		pub, err := Public(ctx, s.store, p, lb, LeaderboardFilter{Retired: true, RowsOnly: true})
		if err != nil {
			return err
		}
		boards[p] = &pub
		pools = append(pools, p)
	}
	bySlug := make(map[string]models.Model, len(members))
	for _, m := range members {
		bySlug[m.Slug] = m
	}
	used := make(map[string]bool)
	for _, v := range vs {
		row := familyRow{Model: bySlug[v.Slug], Version: v.Version}
		for _, p := range pools {
			var cell familyCell
			for _, r := range boards[p].Models {
				if r.Model.Slug == v.Slug {
					cell = familyCell{Has: true, Rank: r.Rank, Score: r.Score, Minus: r.Score - r.CILower, Plus: r.CIUpper - r.Score, Votes: r.Votes}
					used[p] = true
				}
			}
			row.Cells = append(row.Cells, cell)
		}
		d.Rows = append(d.Rows, row)
	}
	// Leave out the pools none of the versions has votes in.
	var keep []int
	for i, p := range pools {
		if used[p] {
			keep = append(keep, i)
			d.Pools = append(d.Pools, poolLabels[p])
		}
	}
	for r := range d.Rows {
		cells := make([]familyCell, 0, len(keep))
		for _, i := range keep {
			cells = append(cells, d.Rows[r].Cells[i])
		}
		d.Rows[r].Cells = cells
	}
	return s.render(c, http.StatusOK, "family", page{Title: family + " · model family", Nav: "leaderboard", Data: d})
}

type modelPageData struct {
	Report     modelReportJSON
	FamilyURL  string
	StatusText string
	Pools      []modelPoolView
	JSONURL    string
}

type modelPoolView struct {
	modelPoolJSON
	Label       string
	Minus, Plus float64
	Spread      string
	Chart       *historyChart
	Rows        []headToHeadView
	BoardURL    string
	FirstAt     string
}

type headToHeadView struct {
	headToHeadJSON
	WinPct, PredictedPct float64
}

// handleModelPage shows one model: who makes it, its status, and in each
// pool its standing, its score and rank over time, its category scores and
// its record against every opponent. It shows no clip: a clip that can
// still appear in a matchup would tell voters which model made it.
func (s *Server) handleModelPage(c echo.Context) error {
	ctx := c.Request().Context()
	m, err := s.modelBySlug(ctx, c.Param("slug"))
	if err != nil {
		return err
	}
	body, err := s.cachedModel(ctx, "page", m, func(rep modelReportJSON) ([]byte, error) {
		return s.renderModelPage(m, rep)
	})
	if err != nil {
		return err
	}
	return sendPage(c, http.StatusOK, body)
}

// renderModelPage renders a model's page from its report.
func (s *Server) renderModelPage(m models.Model, rep modelReportJSON) ([]byte, error) {
	d := modelPageData{Report: rep, JSONURL: "/api/v1/models/" + m.Slug}
	if m.Family != "" {
		d.FamilyURL = familyPath(m.Family)
	}
	switch rep.Model.Status {
	case "retired":
		d.StatusText = "Retired"
		if m.RetiredAt != nil {
			d.StatusText += " on " + m.RetiredAt.UTC().Format("2 Jan 2006")
		}
		d.StatusText += ": it no longer appears in new matchups; its votes still count."
	case "provisional":
		d.StatusText = fmt.Sprintf("Provisional: fewer than %d votes in every pool, so its score can still move a lot.", s.cfg.MinVotes)
	default:
		d.StatusText = "Active: it appears in new matchups."
	}
	for _, p := range rep.Pools {
		v := modelPoolView{modelPoolJSON: p, Label: poolLabels[p.Pool], Minus: p.Score - p.CILower, Plus: p.CIUpper - p.Score,
			BoardURL: "/leaderboard?pool=" + p.Pool}
		v.Spread = strconv.Itoa(p.RankSpread[0])
		if p.RankSpread[1] != p.RankSpread[0] {
			v.Spread = fmt.Sprintf("%d–%d", p.RankSpread[0], p.RankSpread[1])
		}
		v.Chart = newHistoryChart("history-"+p.Pool, fmt.Sprintf("%s in %s: score with its 95%% interval, and rank, over time", m.Name, v.Label), p.History)
		if len(p.History) > 0 {
			v.FirstAt = p.History[0].At.Format("2 Jan 2006")
		}
		for _, h := range p.HeadToHead {
			v.Rows = append(v.Rows, headToHeadView{headToHeadJSON: h, WinPct: 100 * h.WinRate, PredictedPct: 100 * h.PredictedWinRate})
		}
		d.Pools = append(d.Pools, v)
	}
	return s.renderPage("model", page{Title: m.Name, Nav: "leaderboard", Data: d})
}
