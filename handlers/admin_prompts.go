package handlers

import (
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/arena-video/arena/models"
)

// maxImageBytes bounds a source image upload.
const maxImageBytes = 20 << 20

// adminPromptJSON is a prompt in the admin API.
type adminPromptJSON struct {
	ID       uint   `json:"id"`
	Text     string `json:"text"`
	Category string `json:"category"`
	Modality string `json:"modality"`
	ImageURL string `json:"image_url,omitempty"`
	Active   bool   `json:"active"`
}

func toAdminPromptJSON(p models.Prompt) adminPromptJSON {
	out := adminPromptJSON{ID: p.ID, Text: p.Text, Category: p.Category, Modality: p.Modality, Active: p.Active}
	out.ImageURL = promptImageURL(p)
	return out
}

// createPrompt is the one place a prompt is created, for the form and the
// API; image is the source image of an i2v prompt, or nil.
func (s *Server) createPrompt(c echo.Context, p *models.Prompt, image io.Reader) error {
	p.Text, p.Category, p.Modality = strings.TrimSpace(p.Text), strings.TrimSpace(p.Category), strings.TrimSpace(p.Modality)
	if err := s.store.CreatePromptWithImage(c.Request().Context(), s.blobs, p, image, maxImageBytes); err != nil {
		return err
	}
	s.audit(c, "prompt.create", "prompt:"+uintString(p.ID), fmt.Sprintf("modality=%s category=%q image=%t", p.Modality, p.Category, p.ImageKey != ""))
	return nil
}

func promptFromFields(f map[string]string) models.Prompt {
	return models.Prompt{Text: f["text"], Category: f["category"], Modality: f["modality"]}
}

// createPromptFromRequest reads a new prompt from JSON or, with its source
// image, from multipart/form-data (fields text, category, modality, then the
// file in "image").
func (s *Server) createPromptFromRequest(c echo.Context) (models.Prompt, error) {
	mt, _, _ := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType))
	if mt != echo.MIMEMultipartForm {
		if mt != echo.MIMEApplicationJSON {
			return models.Prompt{}, echo.NewHTTPError(http.StatusUnsupportedMediaType, "send JSON, or multipart/form-data with the source image in the field \"image\"")
		}
		c.Request().Body = http.MaxBytesReader(c.Response(), c.Request().Body, 64<<10)
		var req adminPromptJSON
		if err := decodeJSON(c, &req, false); err != nil {
			return models.Prompt{}, err
		}
		p := models.Prompt{Text: req.Text, Category: req.Category, Modality: req.Modality}
		return p, s.createPrompt(c, &p, nil)
	}
	var created *models.Prompt
	fields, err := streamMultipart(c, func(fields map[string]string, f filePart) error {
		if f.Field != "image" {
			return badRequest("send the source image in the field \"image\"")
		}
		if created != nil {
			return badRequest("send one source image per prompt")
		}
		p := promptFromFields(fields)
		if err := s.createPrompt(c, &p, f.Body); err != nil {
			return err
		}
		created = &p
		return nil
	})
	if err != nil {
		return models.Prompt{}, err
	}
	if created != nil {
		return *created, nil
	}
	p := promptFromFields(fields)
	return p, s.createPrompt(c, &p, nil)
}

// handleAdminPromptsPage lists the prompts with a form to add one.
func (s *Server) handleAdminPromptsPage(c echo.Context) error {
	ps, err := s.store.ListPrompts(c.Request().Context())
	if err != nil {
		return err
	}
	return s.renderAdmin(c, http.StatusOK, "admin_prompts", "Prompts", "prompts", struct{ Prompts []models.Prompt }{ps})
}

// handleAdminPromptCreateForm adds a prompt from the page's form.
func (s *Server) handleAdminPromptCreateForm(c echo.Context) error {
	if _, err := s.createPromptFromRequest(c); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/prompts")
}

// handleAPICreatePrompt: POST /api/v1/admin/prompts → 201 {"id"}.
func (s *Server) handleAPICreatePrompt(c echo.Context) error {
	p, err := s.createPromptFromRequest(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, toAdminPromptJSON(p))
}

// updatePrompt is the one place a prompt is changed.
func (s *Server) updatePrompt(c echo.Context, idParam string, p models.PromptPatch) (models.Prompt, error) {
	id, err := strconv.ParseUint(idParam, 10, 32)
	if err != nil {
		return models.Prompt{}, fmt.Errorf("%w: no prompt %q", models.ErrNotFound, idParam)
	}
	return s.store.UpdatePrompt(c.Request().Context(), actorOf(c), uint(id), p)
}

// handleAdminPromptUpdateForm activates or deactivates a prompt from the page.
func (s *Server) handleAdminPromptUpdateForm(c echo.Context) error {
	active, err := strconv.ParseBool(c.FormValue("active"))
	if err != nil {
		return badRequest("active must be true or false")
	}
	if _, err := s.updatePrompt(c, c.Param("id"), models.PromptPatch{Active: &active}); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/prompts")
}

// handleAPIUpdatePrompt: PATCH /api/v1/admin/prompts/{id}.
func (s *Server) handleAPIUpdatePrompt(c echo.Context) error {
	var p models.PromptPatch
	if err := decodeJSON(c, &p, false); err != nil {
		return err
	}
	pr, err := s.updatePrompt(c, c.Param("id"), p)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toAdminPromptJSON(pr))
}
