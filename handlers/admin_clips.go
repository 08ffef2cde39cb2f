package handlers

import (
	"context"
	"errors"
	"fmt"
	"html"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/arena-video/arena/models"
)

// adminClipJSON is a clip as the admin API shows it: the rendition voters get,
// its processing status, and the private original's probe.
type adminClipJSON struct {
	PublicID         string        `json:"public_id"`
	Model            string        `json:"model"`
	PromptID         uint          `json:"prompt_id"`
	Pool             string        `json:"pool"`
	Status           string        `json:"status"`
	Progress         int           `json:"progress"`
	Error            string        `json:"error,omitempty"`
	DurationMS       int64         `json:"duration_ms"`
	Width            int           `json:"width"`
	Height           int           `json:"height"`
	Size             int64         `json:"size"`
	HasAudio         bool          `json:"has_audio"`
	MetadataStripped bool          `json:"metadata_stripped"`
	RenditionProfile string        `json:"rendition_profile,omitempty"`
	Active           bool          `json:"active"`
	Original         *originalJSON `json:"original,omitempty"`
}

// originalJSON describes the upload as sent; the bytes are at URL, for
// admins only.
type originalJSON struct {
	URL        string  `json:"url"`
	MIME       string  `json:"mime"`
	Size       int64   `json:"size"`
	Codec      string  `json:"codec,omitempty"`
	Width      int     `json:"width,omitempty"`
	Height     int     `json:"height,omitempty"`
	FPS        float64 `json:"fps,omitempty"`
	Kbps       int     `json:"kbps,omitempty"`
	DurationMS int64   `json:"duration_ms"`
	HasAudio   bool    `json:"has_audio"`
}

func toAdminClipJSON(c models.Clip, slug string) adminClipJSON {
	j := adminClipJSON{PublicID: c.PublicID, Model: slug, PromptID: c.PromptID, Pool: c.Pool, Status: c.Status, Progress: c.Progress,
		Error: c.Error, DurationMS: c.DurationMS, Width: c.Width, Height: c.Height, Size: c.Size, HasAudio: c.HasAudio,
		MetadataStripped: c.MetadataStripped, RenditionProfile: c.RenditionProfile, Active: c.Active}
	if c.OriginalKey != "" {
		src := c.Source
		j.Original = &originalJSON{URL: "/admin/clips/" + c.PublicID + "/original", MIME: c.OriginalMIME, Size: c.OriginalSize,
			Codec: src.Codec, Width: src.Width, Height: src.Height, FPS: src.FPS, Kbps: src.Kbps, DurationMS: src.DurationMS, HasAudio: src.HasAudio}
	}
	return j
}

// uploadOutcome is what became of one file of an upload, for the page.
type uploadOutcome struct {
	FileName string
	Model    string
	Clip     *models.Clip
	Status   int
	Error    string
}

// uploadClip stores one streamed file as a clip of the model and prompt the
// form named; the one place clips are uploaded, for the page and the API.
func (s *Server) uploadClip(c echo.Context, slug, promptID string, f filePart) (models.Clip, error) {
	ctx := c.Request().Context()
	if f.Field == "image" {
		return models.Clip{}, badRequest("send clips in the field \"file\"")
	}
	if slug == "" || promptID == "" {
		return models.Clip{}, badRequest("send the fields model and prompt_id before the file")
	}
	m, err := s.store.ModelBySlug(ctx, slug)
	if errors.Is(err, models.ErrNotFound) {
		return models.Clip{}, fmt.Errorf("%w: no model with slug %q", models.ErrNotFound, slug)
	}
	if err != nil {
		return models.Clip{}, err
	}
	pid, err := strconv.ParseUint(promptID, 10, 32)
	if err != nil {
		return models.Clip{}, badRequest("prompt_id must be a prompt's number")
	}
	clip, err := s.store.AddClip(ctx, s.blobs, m.ID, uint(pid), f.Body, s.cfg.MaxUploadBytes)
	if err != nil {
		return models.Clip{}, err
	}
	s.audit(c, "clip.upload", "clip:"+clip.PublicID, fmt.Sprintf("model=%s prompt=%d file=%q bytes=%d codec=%s %dx%d",
		slug, clip.PromptID, f.FileName, clip.OriginalSize, clip.Source.Codec, clip.Source.Width, clip.Source.Height))
	if s.cfg.Transcode != nil {
		s.cfg.Transcode()
	}
	return clip, nil
}

// stopsUpload reports whether an error ends a multi-file upload: the rest of
// the body is not worth reading after an oversized file or a lost client.
func stopsUpload(err error) bool {
	code, _ := statusOf(err)
	return code == http.StatusRequestEntityTooLarge || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}

// handleUploadClips takes one or more clips as multipart/form-data: fields
// prompt_id and model, then files in "file" (for that model) or in
// "file:<slug>" (one per model). The API answers the clip (or the first
// error); the page lists what became of every file.
func (s *Server) handleUploadClips(c echo.Context) error {
	api := isAPI(c)
	var (
		outcomes []uploadOutcome
		firstErr error
	)
	_, err := streamMultipart(c, func(fields map[string]string, f filePart) error {
		slug := strings.TrimSpace(fields["model"])
		if rest, ok := strings.CutPrefix(f.Field, "file:"); ok {
			slug = rest
		}
		clip, err := s.uploadClip(c, slug, strings.TrimSpace(fields["prompt_id"]), f)
		o := uploadOutcome{FileName: f.FileName, Model: slug, Status: http.StatusCreated}
		if err != nil {
			if api || stopsUpload(err) {
				return err
			}
			firstErr = cmpOr(firstErr, err)
			o.Status, o.Error = statusOf(err)
		} else {
			o.Clip = &clip
		}
		outcomes = append(outcomes, o)
		return nil
	})
	if err != nil {
		return err
	}
	if len(outcomes) == 0 {
		return badRequest("no file received: send the clip in the field \"file\", e.g. curl -F model=veo-3 -F prompt_id=1 -F file=@clip.mp4")
	}
	if api {
		// 202: the clips are stored and queued; each one's status says when
		// its rendition is ready (GET /api/v1/admin/clips/{public_id}).
		var out []adminClipJSON
		for _, o := range outcomes {
			out = append(out, toAdminClipJSON(*o.Clip, o.Model))
		}
		if len(out) == 1 {
			return c.JSON(http.StatusAccepted, out[0])
		}
		return c.JSON(http.StatusAccepted, map[string]any{"clips": out})
	}
	status := http.StatusOK
	if firstErr != nil {
		status, _ = statusOf(firstErr)
	}
	data, err := s.clipsPageData(c, clipQuery{Page: 1, Limit: defaultClipPageSize})
	if err != nil {
		return err
	}
	data.Results = outcomes
	return s.renderAdmin(c, status, "admin_clips", "Clips", "clips", data)
}

func cmpOr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

// clipRow is a clip with the names the clips page shows.
type clipRow struct {
	models.Clip
	Model  string
	Prompt string
}

type clipsPageData struct {
	Prompts  []models.Prompt
	Models   []models.Model
	Pools    []string
	Statuses []string
	Clips    []clipRow
	Query    clipQuery
	// PromptOptions are the upload form's choices, one per active prompt.
	PromptOptions template.HTML
	Links         pageLinks
	// Prompt is the prompt the list is filtered by, if any: the page then
	// offers an upload form with one file per model for it.
	Prompt *models.Prompt
	// CanTranscode is false without ffmpeg: uploads are then refused.
	CanTranscode bool
	Profile      string
	MaxUploadMB  int64
	Results      []uploadOutcome
}

// clipsPageData loads one page of the clips q asks for, and what the
// filter and upload forms offer.
func (s *Server) clipsPageData(c echo.Context, q clipQuery) (clipsPageData, error) {
	ctx := c.Request().Context()
	d := clipsPageData{Query: q, Pools: models.Pools, Statuses: []string{models.ClipProcessing, models.ClipReady, models.ClipFailed}, CanTranscode: s.blobs.CanTranscode(), Profile: s.cfg.RenditionProfile, MaxUploadMB: s.cfg.MaxUploadBytes >> 20}
	var err error
	if d.Prompts, err = s.store.ListPrompts(ctx); err != nil {
		return d, err
	}
	if d.Models, err = s.store.ListModels(ctx); err != nil {
		return d, err
	}
	page, err := s.listClips(c, q)
	if err != nil {
		return d, err
	}
	d.Links = q.linksFor("/admin/clips", page.Total)
	d.PromptOptions = promptOptions(d.Prompts, q.Filter.PromptID)
	slug := make(map[uint]string, len(d.Models))
	for _, m := range d.Models {
		slug[m.ID] = m.Slug
	}
	text := make(map[uint]string, len(d.Prompts))
	for i, p := range d.Prompts {
		text[p.ID] = p.Text
		if p.ID == q.Filter.PromptID {
			d.Prompt = &d.Prompts[i]
		}
	}
	d.Clips = make([]clipRow, 0, len(page.Clips))
	for _, cl := range page.Clips {
		d.Clips = append(d.Clips, clipRow{Clip: cl, Model: slug[cl.ModelID], Prompt: text[cl.PromptID]})
	}
	return d, nil
}

// promptOptions renders the active prompts as <option>s, selected marking
// one. Built here rather than by the template: at 500 prompts the
// template's range was most of the clips page's time.
func promptOptions(prompts []models.Prompt, selected uint) template.HTML {
	var b strings.Builder
	for _, p := range prompts {
		if !p.Active {
			continue
		}
		id := uintString(p.ID)
		b.WriteString(`<option value="` + id + `"`)
		if p.ID == selected {
			b.WriteString(" selected")
		}
		b.WriteString(">#" + id + " " + html.EscapeString(p.Modality) + " · " + html.EscapeString(p.Text) + "</option>")
	}
	return template.HTML(b.String()) // #nosec: built from escaped text and numbers
}

// handleAdminClipsPage lists clips a page at a time, filtered as the API
// filters them, and offers the upload forms.
func (s *Server) handleAdminClipsPage(c echo.Context) error {
	q, err := s.parseClipQuery(c)
	if err != nil {
		return err
	}
	data, err := s.clipsPageData(c, q)
	if err != nil {
		return err
	}
	return s.renderAdmin(c, http.StatusOK, "admin_clips", "Clips", "clips", data)
}

// setClipActive is the one place a clip is activated or deactivated.
func (s *Server) setClipActive(c echo.Context, publicID string, active bool) (models.Clip, error) {
	clip, err := s.store.SetClipActive(c.Request().Context(), actorOf(c), publicID, active)
	if err != nil {
		return models.Clip{}, err
	}
	return clip, nil
}

// handleAdminClipActiveForm activates or deactivates a clip from the page.
func (s *Server) handleAdminClipActiveForm(c echo.Context) error {
	active, err := strconv.ParseBool(c.FormValue("active"))
	if err != nil {
		return badRequest("active must be true or false")
	}
	clip, err := s.setClipActive(c, c.Param("id"), active)
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/clips?prompt="+uintString(clip.PromptID))
}

// handleAPIUpdateClip: PATCH /api/v1/admin/clips/{public_id} {"active": bool}.
func (s *Server) handleAPIUpdateClip(c echo.Context) error {
	var req struct {
		Active *bool `json:"active"`
	}
	if err := decodeJSON(c, &req, false); err != nil {
		return err
	}
	if req.Active == nil {
		return badRequest(`send {"active": true} or {"active": false}`)
	}
	clip, err := s.setClipActive(c, c.Param("id"), *req.Active)
	if err != nil {
		return err
	}
	return s.respondClip(c, clip)
}

// respondClip answers a clip as the admin API shows it.
func (s *Server) respondClip(c echo.Context, clip models.Clip) error {
	m, err := s.store.ModelByID(c.Request().Context(), clip.ModelID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, toAdminClipJSON(clip, m.Slug))
}
