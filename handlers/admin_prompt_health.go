package handlers

import (
	"encoding/csv"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/arena-video/arena/models"
)

// promptHealthColumn is a sortable column of prompt health: its ?sort= key,
// its heading and the value it sorts on (nil sorts last either way).
type promptHealthColumn struct {
	key, label string
	value      func(h models.PromptHealth) *float64
}

// promptHealthColumns lists the sortable columns in page order.
func promptHealthColumns() []promptHealthColumn {
	return []promptHealthColumn{
		{"prompt", "Prompt", func(h models.PromptHealth) *float64 { x := float64(h.Prompt.ID); return &x }},
		{"votes", "Votes", func(h models.PromptHealth) *float64 { x := float64(h.Votes); return &x }},
		{"tie_rate", "Tie rate", func(h models.PromptHealth) *float64 { return h.TieRate }},
		{"both_bad_rate", "Both-bad rate", func(h models.PromptHealth) *float64 { return h.BothBadRate }},
		{"skip_rate", "Skip rate", func(h models.PromptHealth) *float64 { return h.SkipRate }},
		{"position_bias", "Votes for A", func(h models.PromptHealth) *float64 { return h.PositionBias }},
		{"discrimination", "Discrimination", func(h models.PromptHealth) *float64 { return h.Discrimination }},
	}
}

// defaultPromptHealthSort lists the prompts that separate models least
// first: the candidates for retirement.
const defaultPromptHealthSort = "discrimination"

// sortPromptHealth orders hs by a ?sort= value: a column key, descending
// with a leading "-". Ties keep prompt id order. An unknown key is an error
// for a 400.
func sortPromptHealth(hs []models.PromptHealth, sort string) error {
	if sort == "" {
		sort = defaultPromptHealthSort
	}
	key, desc := strings.CutPrefix(sort, "-")
	cols := promptHealthColumns()
	i := slices.IndexFunc(cols, func(c promptHealthColumn) bool { return c.key == key })
	if i < 0 {
		keys := make([]string, len(cols))
		for j, c := range cols {
			keys[j] = c.key
		}
		return echo.NewHTTPError(http.StatusBadRequest, "sort must be one of "+strings.Join(keys, ", ")+", optionally prefixed by - for descending")
	}
	value := cols[i].value
	slices.SortStableFunc(hs, func(a, b models.PromptHealth) int {
		va, vb := value(a), value(b)
		switch {
		case va == nil && vb == nil:
			return 0
		case va == nil:
			return 1
		case vb == nil:
			return -1
		}
		c := 0
		if *va < *vb {
			c = -1
		} else if *va > *vb {
			c = 1
		}
		if desc {
			c = -c
		}
		return c
	})
	return nil
}

// loadPromptHealth reads prompt health sorted as the request asks.
func (s *Server) loadPromptHealth(c echo.Context) ([]models.PromptHealth, string, error) {
	sort := c.QueryParam("sort")
	hs, err := s.store.LoadPromptHealth(c.Request().Context())
	if err != nil {
		return nil, "", err
	}
	if err := sortPromptHealth(hs, sort); err != nil {
		return nil, "", err
	}
	if sort == "" {
		sort = defaultPromptHealthSort
	}
	return hs, sort, nil
}

type promptHealthJSON struct {
	ID             uint     `json:"id"`
	Text           string   `json:"text"`
	Category       string   `json:"category"`
	Modality       string   `json:"modality"`
	Active         bool     `json:"active"`
	Votes          int64    `json:"votes"`
	TieRate        *float64 `json:"tie_rate"`
	BothBadRate    *float64 `json:"both_bad_rate"`
	SkipRate       *float64 `json:"skip_rate"`
	PositionBias   *float64 `json:"position_bias"`
	Discrimination *float64 `json:"discrimination"`
	Noise          *float64 `json:"noise"`
	Models         int      `json:"models"`
	Flags          []string `json:"flags"`
}

func toPromptHealthJSON(h models.PromptHealth) promptHealthJSON {
	flags := h.Flags
	if flags == nil {
		flags = []string{}
	}
	return promptHealthJSON{ID: h.Prompt.ID, Text: h.Prompt.Text, Category: h.Prompt.Category, Modality: h.Prompt.Modality,
		Active: h.Prompt.Active, Votes: h.Votes, TieRate: h.TieRate, BothBadRate: h.BothBadRate, SkipRate: h.SkipRate,
		PositionBias: h.PositionBias, Discrimination: h.Discrimination, Noise: h.Noise, Models: h.Models, Flags: flags}
}

// handleAPIPromptHealth: GET /api/v1/admin/prompts/health?sort= → every
// prompt's health with the thresholds its flags use.
func (s *Server) handleAPIPromptHealth(c echo.Context) error {
	hs, sort, err := s.loadPromptHealth(c)
	if err != nil {
		return err
	}
	out := make([]promptHealthJSON, len(hs))
	for i, h := range hs {
		out[i] = toPromptHealthJSON(h)
	}
	return c.JSON(http.StatusOK, map[string]any{
		"sort":               sort,
		"min_votes":          models.PromptHealthMinVotes,
		"min_model_votes":    models.DiscriminationMinModelVotes,
		"both_bad_flag_rate": models.BothBadFlagRate,
		"prompts":            out,
	})
}

// handleAPIPromptHealthCSV: GET /api/v1/admin/prompts/health.csv?sort=.
func (s *Server) handleAPIPromptHealthCSV(c echo.Context) error {
	hs, _, err := s.loadPromptHealth(c)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="prompt-health.csv"`)
	c.Response().WriteHeader(http.StatusOK)
	return writePromptHealthCSV(c.Response(), hs)
}

func writePromptHealthCSV(w io.Writer, hs []models.PromptHealth) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"prompt_id", "text", "category", "modality", "active", "votes", "tie_rate", "both_bad_rate",
		"skip_rate", "position_bias", "discrimination", "noise", "models", "flags"})
	num := func(x *float64) string {
		if x == nil {
			return ""
		}
		return strconv.FormatFloat(*x, 'f', 4, 64)
	}
	for _, h := range hs {
		_ = cw.Write([]string{strconv.FormatUint(uint64(h.Prompt.ID), 10), csvText(h.Prompt.Text), csvText(h.Prompt.Category),
			h.Prompt.Modality, strconv.FormatBool(h.Prompt.Active), strconv.FormatInt(h.Votes, 10),
			num(h.TieRate), num(h.BothBadRate), num(h.SkipRate), num(h.PositionBias), num(h.Discrimination), num(h.Noise),
			strconv.Itoa(h.Models), strings.Join(h.Flags, ";")})
	}
	cw.Flush()
	return cw.Error()
}

// promptHealthHeader is one sortable column heading of the dashboard: its
// link sorts by it, ascending first, and flips the order when it already
// sorts by it.
type promptHealthHeader struct {
	Label, Href, AriaSort string
}

func promptHealthHeaders(sort string) []promptHealthHeader {
	cols := promptHealthColumns()
	out := make([]promptHealthHeader, len(cols))
	for i, c := range cols {
		h := promptHealthHeader{Label: c.label, Href: "/admin?sort=" + c.key + "#prompt-health", AriaSort: "none"}
		switch sort {
		case c.key:
			h.Href, h.AriaSort = "/admin?sort=-"+c.key+"#prompt-health", "ascending"
		case "-" + c.key:
			h.AriaSort = "descending"
		}
		out[i] = h
	}
	return out
}

// promptHealthView is the dashboard's prompt health section.
type promptHealthView struct {
	Rows []promptHealthRow
	// Total counts every prompt; Rows holds the first dashboardHealthRows
	// in the chosen order, the CSV all of them.
	Total         int
	Headers       []promptHealthHeader
	CSVURL        string
	MinVotes      int
	MinModelVotes int
	BothBadRate   float64
}

// promptHealthRow is one prompt on the dashboard, its rates as percentages
// and "–" where there is nothing to divide by.
type promptHealthRow struct {
	Prompt                        models.Prompt
	Votes                         int64
	Tie, BothBad, Skip, PositionA string
	Discrimination, Noise         string
	Models                        int
	Flags                         []string
}

func promptHealthRows(hs []models.PromptHealth) []promptHealthRow {
	pct := func(x *float64) string {
		if x == nil {
			return "–"
		}
		return strconv.FormatFloat(100**x, 'f', 0, 64) + "%"
	}
	dec := func(x *float64) string {
		if x == nil {
			return "–"
		}
		return strconv.FormatFloat(*x, 'f', 3, 64)
	}
	out := make([]promptHealthRow, len(hs))
	for i, h := range hs {
		out[i] = promptHealthRow{Prompt: h.Prompt, Votes: h.Votes, Tie: pct(h.TieRate), BothBad: pct(h.BothBadRate),
			Skip: pct(h.SkipRate), PositionA: pct(h.PositionBias), Discrimination: dec(h.Discrimination), Noise: dec(h.Noise),
			Models: h.Models, Flags: h.Flags}
	}
	return out
}
