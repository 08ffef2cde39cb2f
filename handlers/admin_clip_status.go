package handlers

import (
	"errors"
	"net/http"
	"os"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/arena-video/arena/models/media"
)

// handleAPIClip: GET /api/v1/admin/clips/{public_id}, a clip with its status
// (processing with progress, ready, failed with the reason) and its
// original's probe. Upload clients poll it until the clip is ready.
func (s *Server) handleAPIClip(c echo.Context) error {
	clip, err := s.store.ClipStatus(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return s.respondClip(c, clip)
}

// handleAdminClipOriginal serves a clip's original upload, exactly as it
// was sent, to admins only: it may carry the vendor's metadata, so it never
// gets a public URL or a shared cache.
func (s *Server) handleAdminClipOriginal(c echo.Context) error {
	clip, err := s.store.ClipStatus(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	if clip.OriginalKey == "" {
		return echo.NewHTTPError(http.StatusNotFound, "this clip has no stored original")
	}
	f, err := s.blobs.Open(c.Request().Context(), clip.OriginalKey)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			s.log.Error("stored original missing", "clip", clip.PublicID, "key", clip.OriginalKey)
			return echo.NewHTTPError(http.StatusNotFound, "the original file of this clip is missing")
		}
		return err
	}
	defer f.Close()
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, clip.OriginalMIME)
	h.Set("Cache-Control", "private, no-store")
	h.Set(echo.HeaderContentDisposition, `attachment; filename="`+clip.PublicID+"-original"+extensionOf(clip.OriginalMIME)+`"`)
	http.ServeContent(c.Response(), c.Request(), "", time.Time{}, f)
	return nil
}

// extensionOf names the file type of an accepted clip MIME type.
func extensionOf(mime string) string {
	switch mime {
	case media.MIMEQuickTime:
		return ".mov"
	case media.MIMEWebM:
		return ".webm"
	case media.MIMEMatroska:
		return ".mkv"
	}
	return ".mp4"
}

// ingestionJSON says whether clips can be ingested and how the queue
// stands, for /healthz and the dashboard.
type ingestionJSON struct {
	OK         bool   `json:"ok"`
	Message    string `json:"message,omitempty"`
	Processing int64  `json:"processing"`
	Failed     int64  `json:"failed"`
	Queued     int64  `json:"queued_jobs"`
	Running    int64  `json:"running_jobs"`
}

func (s *Server) ingestion(c echo.Context) (ingestionJSON, error) {
	n, err := s.store.IngestionCounts(c.Request().Context())
	if err != nil {
		return ingestionJSON{}, err
	}
	j := ingestionJSON{OK: s.blobs.CanTranscode(), Processing: n.Processing, Failed: n.Failed, Queued: n.QueuedJobs, Running: n.RunningJobs}
	if !j.OK {
		j.Message = "ffmpeg is not installed: uploads and imports are refused until it is (apt-get install ffmpeg)"
	}
	return j, nil
}
