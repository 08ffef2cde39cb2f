package handlers

import (
	"cmp"
	"net/http"
	"slices"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/arena-video/arena/models"
)

// Coverage pages: how many rows of each list one page shows, and how many
// the dashboard's summary shows before linking to the coverage page.
const (
	coveragePageSize      = 100
	dashboardLeastCovered = 10
	dashboardGaps         = 20
	dashboardUnpaired     = 50
	maxCoveragePageSize   = 1000
)

// pageParam reads a 1-based page number from the query parameter name.
func pageParam(c echo.Context, name string) (int, error) {
	v := c.QueryParam(name)
	if v == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 1_000_000 {
		return 0, badRequest("%s must be a number from 1 on", name)
	}
	return n, nil
}

// limitParam reads a page size from ?limit=, def when absent.
func limitParam(c echo.Context, def, most int) (int, error) {
	v := c.QueryParam("limit")
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > most {
		return 0, badRequest("limit must be a number from 1 to %d", most)
	}
	return n, nil
}

// pageLinks are the links to a list's neighbouring pages; empty at either
// end.
type pageLinks struct {
	Page, Pages int
	Total       int64
	Prev, Next  string
}

// pageJSON is the paging part of every paged admin list's JSON, beside its
// rows.
type pageJSON struct {
	Total int64  `json:"total"`
	Page  int    `json:"page"`
	Pages int    `json:"pages"`
	Limit int    `json:"limit"`
	Prev  string `json:"prev,omitempty"`
	Next  string `json:"next,omitempty"`
}

func (l pageLinks) json(limit int) pageJSON {
	return pageJSON{Total: l.Total, Page: l.Page, Pages: l.Pages, Limit: limit, Prev: l.Prev, Next: l.Next}
}

// pageOf cuts page (1-based) of size from a list of total rows and links
// its neighbours through link, which makes the URL of a page.
func pageOf(page, size, total int, link func(page int) string) (from, to int, l pageLinks) {
	l = pageLinks{Page: page, Total: int64(total), Pages: (total + size - 1) / size}
	from = min((page-1)*size, total)
	to = min(from+size, total)
	if page > 1 {
		l.Prev = link(min(page-1, max(l.Pages, 1)))
	}
	if page < l.Pages {
		l.Next = link(page + 1)
	}
	return from, to, l
}

// coverageView is the coverage section of the dashboard and the coverage
// page: the summary, one page of prompts and one of gaps.
type coverageView struct {
	*models.Coverage
	ModelRows  []models.ModelCoverage
	PromptRows []models.PromptCoverage
	PromptsNav pageLinks
	GapRows    []models.CoverageGap
	GapsNav    pageLinks
	Unpaired   []models.Clip
	// Full is true on the coverage page, false in the dashboard's summary.
	Full bool
}

// handleAdminCoverage shows coverage in full: every model, the prompts
// least covered first and the gaps, each paged (?prompts_page=, ?gaps_page=).
func (s *Server) handleAdminCoverage(c echo.Context) error {
	pp, err := pageParam(c, "prompts_page")
	if err != nil {
		return err
	}
	gp, err := pageParam(c, "gaps_page")
	if err != nil {
		return err
	}
	cv, err := s.store.LoadCoverage(c.Request().Context())
	if err != nil {
		return err
	}
	link := func(prompts, gaps int) string {
		return "/admin/coverage?prompts_page=" + strconv.Itoa(prompts) + "&gaps_page=" + strconv.Itoa(gaps)
	}
	v := coverageView{Coverage: cv, ModelRows: cv.Models, Full: true}
	from, to, nav := pageOf(pp, coveragePageSize, len(cv.Prompts), func(p int) string { return link(p, gp) + "#prompts" })
	v.PromptRows, v.PromptsNav = cv.Prompts[from:to], nav
	from, _, nav = pageOf(gp, coveragePageSize, cv.Gaps, func(g int) string { return link(pp, g) + "#gaps" })
	v.GapRows, v.GapsNav = cv.GapPage(from, coveragePageSize), nav
	v.Unpaired = cv.Unpaired
	return s.renderAdmin(c, http.StatusOK, "admin_coverage", "Coverage", "dashboard", v)
}

// dashboardCoverage is the dashboard's summary of coverage: the prompts
// least covered and the first gaps, linking to the coverage page for more.
func dashboardCoverage(cv *models.Coverage) coverageView {
	v := coverageView{Coverage: cv}
	v.ModelRows = slices.Clone(cv.Models)
	slices.SortStableFunc(v.ModelRows, func(a, b models.ModelCoverage) int { return cmp.Compare(a.Prompts, b.Prompts) })
	v.ModelRows = v.ModelRows[:min(len(v.ModelRows), dashboardLeastCovered)]
	v.PromptRows = cv.Prompts[:min(len(cv.Prompts), dashboardLeastCovered)]
	v.GapRows = cv.GapPage(0, dashboardGaps)
	v.Unpaired = cv.Unpaired[:min(len(cv.Unpaired), dashboardUnpaired)]
	return v
}

// coverageModelJSON is one model's coverage in the API.
type coverageModelJSON struct {
	Model   string `json:"model"`
	Active  bool   `json:"active"`
	Prompts int    `json:"prompts"`
	Clips   int    `json:"clips"`
}

// coveragePromptJSON is one active prompt's coverage in the API.
type coveragePromptJSON struct {
	PromptID uint `json:"prompt_id"`
	Models   int  `json:"models"`
	Missing  int  `json:"missing"`
	Clips    int  `json:"clips"`
}

// handleAPICoverage: GET /api/v1/admin/coverage, the summary with every
// model and every active prompt (least covered first); the gaps are paged
// at /api/v1/admin/coverage/gaps.
func (s *Server) handleAPICoverage(c echo.Context) error {
	cv, err := s.store.LoadCoverage(c.Request().Context())
	if err != nil {
		return err
	}
	ms := make([]coverageModelJSON, len(cv.Models))
	for i, m := range cv.Models {
		ms[i] = coverageModelJSON{Model: m.Model.Slug, Active: m.Model.Active, Prompts: m.Prompts, Clips: m.Clips}
	}
	ps := make([]coveragePromptJSON, len(cv.Prompts))
	for i, p := range cv.Prompts {
		ps[i] = coveragePromptJSON{PromptID: p.Prompt.ID, Models: p.Models, Missing: p.Missing, Clips: p.Clips}
	}
	return c.JSON(http.StatusOK, map[string]any{
		"active_models": cv.ActiveModels, "active_prompts": cv.ActivePrompts, "gaps": cv.Gaps, "unpaired_clips": len(cv.Unpaired),
		"models": ms, "prompts": ps,
	})
}

// handleAPICoverageGaps: GET /api/v1/admin/coverage/gaps?page=&limit=, the
// (active model, active prompt) pairs with no active clip, by prompt id.
func (s *Server) handleAPICoverageGaps(c echo.Context) error {
	page, err := pageParam(c, "page")
	if err != nil {
		return err
	}
	limit, err := limitParam(c, coveragePageSize, maxCoveragePageSize)
	if err != nil {
		return err
	}
	cv, err := s.store.LoadCoverage(c.Request().Context())
	if err != nil {
		return err
	}
	from, _, nav := pageOf(page, limit, cv.Gaps, func(p int) string {
		return "/api/v1/admin/coverage/gaps?page=" + strconv.Itoa(p) + "&limit=" + strconv.Itoa(limit)
	})
	type gapJSON struct {
		PromptID uint   `json:"prompt_id"`
		Model    string `json:"model"`
	}
	gaps := cv.GapPage(from, limit)
	out := make([]gapJSON, len(gaps))
	for i, g := range gaps {
		out[i] = gapJSON{PromptID: g.Prompt.ID, Model: g.Model.Slug}
	}
	return c.JSON(http.StatusOK, struct {
		Gaps []gapJSON `json:"gaps"`
		pageJSON
	}{out, nav.json(limit)})
}
