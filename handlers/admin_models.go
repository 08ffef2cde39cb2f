package handlers

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/arena-video/arena/models"
)

// adminModelJSON is a model in the admin API: every field, active included.
type adminModelJSON struct {
	Slug         string `json:"slug"`
	Name         string `json:"name"`
	Organization string `json:"organization"`
	ReleaseDate  string `json:"release_date"`
	License      string `json:"license"`
	Homepage     string `json:"homepage"`
	Family       string `json:"family"`
	Version      string `json:"version"`
	Active       bool   `json:"active"`
	// RetiredAt is when an admin last retired the model; null while active.
	RetiredAt *time.Time `json:"retired_at"`
}

func toAdminModelJSON(m models.Model) adminModelJSON {
	return adminModelJSON{Slug: m.Slug, Name: m.Name, Organization: m.Organization, ReleaseDate: m.ReleaseDate, License: m.License, Homepage: m.Homepage, Family: m.Family, Version: m.Version, Active: m.Active, RetiredAt: m.RetiredAt}
}

// createModel is the one place a model is created, for the form and the API.
func (s *Server) createModel(c echo.Context, m models.Model) (models.Model, error) {
	if err := models.ValidateModel(m); err != nil {
		return models.Model{}, err
	}
	if err := s.store.CreateModel(c.Request().Context(), &m); err != nil {
		return models.Model{}, err
	}
	s.audit(c, "model.create", "model:"+m.Slug, fmt.Sprintf("name=%q organization=%q", m.Name, m.Organization))
	return m, nil
}

// updateModel is the one place a model is changed, for the forms and the API.
func (s *Server) updateModel(c echo.Context, slug string, p models.ModelPatch) (models.Model, error) {
	return s.store.UpdateModel(c.Request().Context(), actorOf(c), slug, p)
}

// handleAdminModelsPage lists the models with a form to add one.
func (s *Server) handleAdminModelsPage(c echo.Context) error {
	ms, err := s.store.ListModels(c.Request().Context())
	if err != nil {
		return err
	}
	return s.renderAdmin(c, http.StatusOK, "admin_models", "Models", "models", struct {
		Models []models.Model
		Edit   *models.Model
	}{Models: ms})
}

// handleAdminModelCreateForm adds a model from the form.
func (s *Server) handleAdminModelCreateForm(c echo.Context) error {
	_, err := s.createModel(c, models.Model{
		Slug: c.FormValue("slug"), Name: c.FormValue("name"), Organization: c.FormValue("organization"),
		ReleaseDate: c.FormValue("release_date"), License: c.FormValue("license"), Homepage: c.FormValue("homepage"),
		Family: c.FormValue("family"), Version: c.FormValue("version"),
	})
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/models")
}

// handleAdminModelEditPage shows the form that edits one model.
func (s *Server) handleAdminModelEditPage(c echo.Context) error {
	m, err := s.store.ModelBySlug(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	return s.renderAdmin(c, http.StatusOK, "admin_models", "Edit "+m.Name, "models", struct {
		Models []models.Model
		Edit   *models.Model
	}{Edit: &m})
}

// handleAdminModelUpdateForm saves the edit form, or, when it carries only
// "active", activates or deactivates the model.
func (s *Server) handleAdminModelUpdateForm(c echo.Context) error {
	var p models.ModelPatch
	if v := c.FormValue("active"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return badRequest("active must be true or false")
		}
		p.Active = &b
	} else {
		for _, f := range []struct {
			name string
			dst  **string
		}{{"name", &p.Name}, {"organization", &p.Organization}, {"release_date", &p.ReleaseDate}, {"license", &p.License}, {"homepage", &p.Homepage}, {"family", &p.Family}, {"version", &p.Version}} {
			v := c.FormValue(f.name)
			*f.dst = &v
		}
	}
	if _, err := s.updateModel(c, c.Param("slug"), p); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/models")
}

// handleAPICreateModel: POST /api/v1/admin/models.
func (s *Server) handleAPICreateModel(c echo.Context) error {
	var req adminModelJSON
	if err := decodeJSON(c, &req, false); err != nil {
		return err
	}
	m, err := s.createModel(c, models.Model{Slug: req.Slug, Name: req.Name, Organization: req.Organization, ReleaseDate: req.ReleaseDate, License: req.License, Homepage: req.Homepage, Family: req.Family, Version: req.Version})
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, toAdminModelJSON(m))
}

// handleAPIUpdateModel: PATCH /api/v1/admin/models/{slug}.
func (s *Server) handleAPIUpdateModel(c echo.Context) error {
	var p models.ModelPatch
	if err := decodeJSON(c, &p, false); err != nil {
		return err
	}
	m, err := s.updateModel(c, c.Param("slug"), p)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toAdminModelJSON(m))
}

// handleAPIListModels: GET /api/v1/admin/models.
func (s *Server) handleAPIListModels(c echo.Context) error {
	ms, err := s.store.ListModels(c.Request().Context())
	if err != nil {
		return err
	}
	out := make([]adminModelJSON, len(ms))
	for i, m := range ms {
		out[i] = toAdminModelJSON(m)
	}
	return c.JSON(http.StatusOK, map[string]any{"models": out})
}
