package handlers

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/arena-video/arena/models"
)

// defaultClipPageSize is how many clips a list page shows unless ?limit=
// says otherwise.
const defaultClipPageSize = 50

// clipQuery is an admin clip list request: its filter and its page.
type clipQuery struct {
	Filter      models.ClipFilter
	Model       string // the slug Filter.ModelID came from
	Active      string // "", "true" or "false", as asked
	Page, Limit int
}

// parseClipQuery reads ?model=&prompt=&pool=&status=&active=&page=&limit=
// and says what is wrong with any of them.
func (s *Server) parseClipQuery(c echo.Context) (clipQuery, error) {
	q := clipQuery{Page: 1, Limit: defaultClipPageSize}
	var err error
	if q.Filter.PromptID, err = optionalID(c.QueryParam("prompt")); err != nil {
		return q, badRequest("prompt must be a prompt's number, not %q", c.QueryParam("prompt"))
	}
	if q.Model = strings.TrimSpace(c.QueryParam("model")); q.Model != "" {
		m, err := s.store.ModelBySlug(c.Request().Context(), q.Model)
		if errors.Is(err, models.ErrNotFound) {
			return q, badRequest("no model with slug %q", q.Model)
		}
		if err != nil {
			return q, err
		}
		q.Filter.ModelID = m.ID
	}
	if q.Filter.Pool = c.QueryParam("pool"); q.Filter.Pool != "" && !models.ValidPool(q.Filter.Pool) {
		return q, badRequest("pool must be one of %s", strings.Join(models.Pools, ", "))
	}
	if q.Filter.Status = c.QueryParam("status"); q.Filter.Status != "" && !models.ValidClipStatus(q.Filter.Status) {
		return q, badRequest("status must be processing, ready or failed")
	}
	if q.Active = c.QueryParam("active"); q.Active != "" {
		active, err := strconv.ParseBool(q.Active)
		if err != nil {
			return q, badRequest("active must be true or false")
		}
		q.Filter.Active, q.Active = &active, strconv.FormatBool(active)
	}
	if q.Page, err = pageParam(c, "page"); err != nil {
		return q, err
	}
	if q.Limit, err = limitParam(c, defaultClipPageSize, models.MaxClipPageSize); err != nil {
		return q, err
	}
	return q, nil
}

// values is the query as URL parameters, for links to other pages of it.
func (q clipQuery) values() url.Values {
	v := url.Values{}
	if q.Model != "" {
		v.Set("model", q.Model)
	}
	if q.Filter.PromptID != 0 {
		v.Set("prompt", uintString(q.Filter.PromptID))
	}
	if q.Filter.Pool != "" {
		v.Set("pool", q.Filter.Pool)
	}
	if q.Filter.Status != "" {
		v.Set("status", q.Filter.Status)
	}
	if q.Active != "" {
		v.Set("active", q.Active)
	}
	if q.Limit != defaultClipPageSize {
		v.Set("limit", strconv.Itoa(q.Limit))
	}
	return v
}

// linksFor builds the links of page q.Page of total clips under path.
func (q clipQuery) linksFor(path string, total int64) pageLinks {
	_, _, l := pageOf(q.Page, q.Limit, int(total), func(page int) string {
		v := q.values()
		if page > 1 {
			v.Set("page", strconv.Itoa(page))
		}
		if len(v) == 0 {
			return path
		}
		return path + "?" + v.Encode()
	})
	return l
}

// listClips runs the query.
func (s *Server) listClips(c echo.Context, q clipQuery) (models.ClipPage, error) {
	return s.store.ListClipsPage(c.Request().Context(), q.Filter, (q.Page-1)*q.Limit, q.Limit)
}

// handleAPIListClips: GET /api/v1/admin/clips, newest first, a page at a
// time, filtered by ?model=, ?prompt=, ?pool=, ?status= and ?active=.
func (s *Server) handleAPIListClips(c echo.Context) error {
	q, err := s.parseClipQuery(c)
	if err != nil {
		return err
	}
	p, err := s.listClips(c, q)
	if err != nil {
		return err
	}
	ms, err := s.store.ListModels(c.Request().Context())
	if err != nil {
		return err
	}
	slug := make(map[uint]string, len(ms))
	for _, m := range ms {
		slug[m.ID] = m.Slug
	}
	out := make([]adminClipJSON, len(p.Clips))
	for i, cl := range p.Clips {
		out[i] = toAdminClipJSON(cl, slug[cl.ModelID])
	}
	links := q.linksFor("/api/v1/admin/clips", p.Total)
	return c.JSON(http.StatusOK, struct {
		Clips []adminClipJSON `json:"clips"`
		pageJSON
	}{out, links.json(q.Limit)})
}
