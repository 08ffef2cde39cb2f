package handlers

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/arena-video/arena/models"
	"github.com/arena-video/arena/models/leaderboard"
)

// modelReportJSON is GET /api/v1/models/{slug}: the model, and its standing,
// history, head-to-head record and category scores in every pool it has
// votes in. Scripts rely on this shape.
type modelReportJSON struct {
	Model modelInfoJSON   `json:"model"`
	Pools []modelPoolJSON `json:"pools"`
}

type modelInfoJSON struct {
	Slug         string     `json:"slug"`
	Name         string     `json:"name"`
	Organization string     `json:"organization"`
	Family       string     `json:"family"`
	Version      string     `json:"version"`
	ReleaseDate  string     `json:"release_date"`
	License      string     `json:"license"`
	Homepage     string     `json:"homepage"`
	Status       string     `json:"status"` // active, provisional or retired
	RetiredAt    *time.Time `json:"retired_at"`
	// Versions lists the family's models, this one included, by version.
	Versions []versionJSON `json:"versions"`
}

type versionJSON struct {
	Slug    string `json:"slug"`
	Name    string `json:"name"`
	Version string `json:"version"`
	Active  bool   `json:"active"`
}

type modelPoolJSON struct {
	Pool        string                     `json:"pool"`
	Rank        int                        `json:"rank"`
	RankSpread  [2]int                     `json:"rank_spread"`
	Score       float64                    `json:"score"`
	CILower     float64                    `json:"ci_lower"`
	CIUpper     float64                    `json:"ci_upper"`
	Votes       int64                      `json:"votes"`
	WinRate     float64                    `json:"win_rate"`
	Provisional bool                       `json:"provisional"`
	History     []leaderboard.HistoryPoint `json:"history"`
	HeadToHead  []headToHeadJSON           `json:"head_to_head"`
	Categories  []categoryJSON             `json:"categories"`
}

type headToHeadJSON struct {
	Opponent         modelRef `json:"opponent"`
	Wins             int64    `json:"wins"`
	Losses           int64    `json:"losses"`
	Ties             int64    `json:"ties"`
	BothBad          int64    `json:"both_bad"`
	Votes            int64    `json:"votes"`
	WinRate          float64  `json:"win_rate"`
	PredictedWinRate float64  `json:"predicted_win_rate"`
}

type categoryJSON struct {
	Category string  `json:"category"`
	Rank     int     `json:"rank"`
	Score    float64 `json:"score"`
	CILower  float64 `json:"ci_lower"`
	CIUpper  float64 `json:"ci_upper"`
	Votes    int64   `json:"votes"`
	WinRate  float64 `json:"win_rate"`
}

// modelBySlug finds the model a page or API call names. A slug that cannot
// be one, or names no model, is a 404 saying which.
func (s *Server) modelBySlug(ctx context.Context, slug string) (models.Model, error) {
	if !models.ValidSlug(slug) {
		return models.Model{}, echo.NewHTTPError(http.StatusNotFound, fmt.Sprintf("no model %q: a model's address is its slug, lowercase letters, digits and dashes", models.Truncate(slug, 40)))
	}
	m, err := s.store.ModelBySlug(ctx, slug)
	if err != nil {
		return models.Model{}, echo.NewHTTPError(http.StatusNotFound, fmt.Sprintf("no model %q", slug))
	}
	return m, nil
}

// modelReport gathers everything the model page and API show. It reads
// the in-memory boards and history; no fit, no vote query.
func (s *Server) modelReport(ctx context.Context, m models.Model) (modelReportJSON, error) {
	ms, err := s.store.CatalogModels(ctx)
	if err != nil {
		return modelReportJSON{}, err
	}
	out := modelReportJSON{Model: modelInfoJSON{
		Slug: m.Slug, Name: m.Name, Organization: m.Organization, Family: m.Family, Version: m.Version,
		ReleaseDate: m.ReleaseDate, License: m.License, Homepage: m.Homepage, RetiredAt: m.RetiredAt,
		Versions: familyOf(ms, m),
	}, Pools: []modelPoolJSON{}}
	ranked := false
	for _, pool := range models.Pools {
		p, ok, err := s.modelPool(ctx, ms, m, pool)
		if err != nil {
			return modelReportJSON{}, err
		}
		if ok {
			out.Pools = append(out.Pools, p)
			ranked = ranked || !p.Provisional
		}
	}
	switch {
	case !m.Active:
		out.Model.Status = "retired"
	case !ranked:
		out.Model.Status = "provisional"
	default:
		out.Model.Status = "active"
	}
	return out, nil
}

// modelPool is a model's part of one pool, and whether it has one.
func (s *Server) modelPool(ctx context.Context, ms map[uint]models.Model, m models.Model, pool string) (modelPoolJSON, bool, error) {
	p := modelPoolJSON{Pool: pool, HeadToHead: []headToHeadJSON{}, Categories: []categoryJSON{}}
	hist, err := s.boards.ModelHistory(ctx, pool, m.ID)
	if err != nil {
		return p, false, err
	}
	p.History = hist
	if p.History == nil {
		p.History = []leaderboard.HistoryPoint{}
	}
	lb, ok, err := s.boards.Get(ctx, pool, "")
	if err != nil {
		return p, false, err
	}
	row, found := PublicStanding{}, false
	if ok {
		if row, found, err = s.publicRow(ctx, pool, lb, m.ID); err != nil {
			return p, false, err
		}
	}
	if !found && len(hist) == 0 {
		return p, false, nil
	}
	if found {
		p.Rank, p.RankSpread, p.Score, p.CILower, p.CIUpper = row.Rank, row.RankSpread, row.Score, row.CILower, row.CIUpper
		p.Votes, p.WinRate = row.Votes, row.WinRate
		for _, h := range lb.HeadToHead(m.ID) {
			opp := ms[h.OpponentID]
			p.HeadToHead = append(p.HeadToHead, headToHeadJSON{
				Opponent: modelRef{Slug: opp.Slug, Name: opp.Name}, Wins: h.Wins, Losses: h.Losses, Ties: h.Ties, BothBad: h.BothBad,
				Votes: h.Votes(), WinRate: h.WinRate, PredictedWinRate: h.Predicted,
			})
		}
	}
	p.Provisional = p.Votes < int64(s.cfg.MinVotes)
	cats, err := s.boards.Categories(ctx, pool)
	if err != nil {
		return p, false, err
	}
	for _, cat := range cats {
		clb, ok, err := s.boards.Get(ctx, pool, cat)
		if err != nil {
			return p, false, err
		}
		if !ok {
			continue
		}
		r, found, err := s.publicRow(ctx, pool, clb, m.ID)
		if err != nil {
			return p, false, err
		}
		if found {
			p.Categories = append(p.Categories, categoryJSON{Category: cat, Rank: r.Rank, Score: r.Score, CILower: r.CILower, CIUpper: r.CIUpper, Votes: r.Votes, WinRate: r.WinRate})
		}
	}
	return p, true, nil
}

// publicRow finds a model's row on a board as the public sees it (retired
// models shown, so that a retired model's page still has its numbers).
func (s *Server) publicRow(ctx context.Context, pool string, lb *leaderboard.Leaderboard, id uint) (PublicStanding, bool, error) {
	pub, err := Public(ctx, s.store, pool, lb, LeaderboardFilter{Retired: true, RowsOnly: true})
	if err != nil {
		return PublicStanding{}, false, err
	}
	for _, r := range pub.Models {
		if r.ModelID == id {
			return r, true, nil
		}
	}
	return PublicStanding{}, false, nil
}

// familyOf lists the models of m's family by version, or m alone.
func familyOf(ms map[uint]models.Model, m models.Model) []versionJSON {
	var out []versionJSON
	for _, o := range ms {
		if o.ID == m.ID || (m.Family != "" && o.Family == m.Family) {
			out = append(out, versionJSON{Slug: o.Slug, Name: o.Name, Version: o.Version, Active: o.Active})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Version != out[j].Version {
			return versionLess(out[i].Version, out[j].Version)
		}
		return out[i].Slug < out[j].Slug
	})
	return out
}

// handleModelJSON returns a model's page as JSON.
func (s *Server) handleModelJSON(c echo.Context) error {
	ctx := c.Request().Context()
	m, err := s.modelBySlug(ctx, c.Param("slug"))
	if err != nil {
		return err
	}
	body, err := s.cachedModel(ctx, "json", m, func(rep modelReportJSON) ([]byte, error) {
		b, err := json.Marshal(rep)
		return append(b, '\n'), err
	})
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "public, max-age=5")
	if _, pretty := c.QueryParams()["pretty"]; pretty { // as c.JSON does
		var buf bytes.Buffer
		if err := json.Indent(&buf, body, "", "  "); err != nil {
			return err
		}
		body = buf.Bytes()
	}
	return c.JSONBlob(http.StatusOK, body)
}
