package handlers

import (
	"context"
	"errors"
	"io/fs"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/arena-video/arena/models"
	"github.com/arena-video/arena/models/media"
)

// immutableCache lets browsers and proxies keep bytes forever. Media get it
// only at a versioned URL (see versionedURL), which names one set of bytes.
const immutableCache = "public, max-age=31536000, immutable"

// revalidateCache is for a media URL without its current version: a clip's
// public id stays when it is re-rendered, so caches must ask (cheaply, with
// the ETag) whether the bytes behind it changed.
const revalidateCache = "public, no-cache"

// versionLen is how many hex digits of a blob's key a media URL carries as
// its version: 64 bits tell renditions of one clip apart. The key is the
// hash of the bytes served, so the version says nothing a voter could not
// compute from the bytes themselves, and nothing about the model.
const versionLen = 16

// versionedURL returns path with the version of the blob stored under key,
// so that a new rendition behind the same public id gets a new URL and no
// cache keeps serving the old one.
func versionedURL(path, key string) string {
	if len(key) < versionLen {
		return path
	}
	return path + "?v=" + key[:versionLen]
}

// cacheControlFor returns immutable caching when the request names the
// current version of the blob stored under key, and revalidation otherwise
// (no version, or the version of a rendition since replaced).
func cacheControlFor(c echo.Context, key string) string {
	if v := c.QueryParam("v"); len(key) >= versionLen && v == key[:versionLen] {
		return immutableCache
	}
	return revalidateCache
}

// handleMedia serves a clip's bytes by its random public id, with Range
// requests and an ETag, cached forever at its versioned URL. Nothing in the response names a model: the headers
// carry no file name, and the stored bytes had their metadata stripped.
func (s *Server) handleMedia(c echo.Context) error {
	clip, err := s.store.ClipByPublicID(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	// Until its rendition exists a clip has nothing voters may see: the
	// original is for admins only.
	if clip.Status != models.ClipReady || clip.BlobKey == "" {
		return echo.NewHTTPError(http.StatusNotFound, "this clip is not ready")
	}
	voter := ""
	if s.store.RequiresClipFetch() && c.Request().Method == http.MethodGet {
		voter = s.existingVoterID(c)
	}
	if voter == "" {
		return s.serveBlob(c, clip.BlobKey, clip.MIME)
	}
	fw := s.fetchWriterFor(c, voter, clip.ID, clip.Size)
	c.Response().Writer = fw
	err = s.serveBlob(c, clip.BlobKey, clip.MIME)
	c.Response().Writer = fw.ResponseWriter
	return err
}

// handlePoster serves the poster frame of a clip's rendition.
func (s *Server) handlePoster(c echo.Context) error {
	clip, err := s.store.ClipByPublicID(c.Request().Context(), c.Param("id"))
	if err != nil {
		if errors.Is(err, models.ErrNotFound) {
			return echo.NewHTTPError(http.StatusNotFound, "no clip with this id")
		}
		return err
	}
	if clip.Status != models.ClipReady || clip.PosterKey == "" {
		return echo.NewHTTPError(http.StatusNotFound, "this clip has no poster")
	}
	return s.serveBlob(c, clip.PosterKey, "image/jpeg")
}

// handlePromptImage serves the source image of an image-to-video prompt.
func (s *Server) handlePromptImage(c echo.Context) error {
	id, err := strconv.ParseUint(c.Param("id"), 10, 32)
	if err != nil {
		return echo.NewHTTPError(http.StatusNotFound, "no prompt with this id")
	}
	p, err := s.store.PromptByID(c.Request().Context(), uint(id))
	if err != nil {
		return err
	}
	if p.ImageKey == "" {
		return echo.NewHTTPError(http.StatusNotFound, "no image for this prompt")
	}
	return s.serveBlob(c, p.ImageKey, p.ImageMIME)
}

// serveBlob streams a stored blob with Range, an ETag and caching as
// cacheControlFor says. A
// blob missing from the store is a 404 and a log line (the row points at
// bytes that are gone, which an operator must hear about); a store that
// fails answers 503 for this request only.
func (s *Server) serveBlob(c echo.Context, key, mimeType string) error {
	ctx := c.Request().Context()
	if p, ok := s.blobs.Blobs().(presigner); ok && s.cfg.PresignMedia > 0 {
		return s.redirectToBlob(c, p, key, mimeType)
	}
	b, err := s.openForRequest(ctx, c.Request(), key)
	if err != nil {
		switch {
		case errors.Is(err, fs.ErrNotExist), errors.Is(err, media.ErrInvalidKey):
			s.log.Error("stored file missing", "key", key, "err", err)
			return echo.NewHTTPError(http.StatusNotFound, "the file for this id is missing")
		case ctx.Err() != nil:
			return nil // the client went away; nothing to answer
		default:
			s.log.Error("blob store failed", "key", key, "err", err)
			return echo.NewHTTPError(http.StatusServiceUnavailable, "media storage is unavailable; try again shortly")
		}
	}
	defer b.Close()
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, mimeType)
	h.Set("Cache-Control", cacheControlFor(c, key))
	h.Set("ETag", `"`+key+`"`)
	// The zero modification time keeps Last-Modified out: the upload time of
	// a file says nothing useful and ETag already validates caches.
	http.ServeContent(c.Response(), c.Request(), "", time.Time{}, b)
	return nil
}

// presigner is a blob store that can hand out URLs fetching a blob directly.
type presigner interface {
	PresignGet(ctx context.Context, key, mimeType, cacheControl string, ttl time.Duration) (*url.URL, error)
}

// redirectToBlob answers with a short-lived URL of the bucket. At a
// versioned URL the redirect itself may be reused by the browser for half
// the URL's life, so a clip's Range requests during playback do not each
// come back here; without the current version it may not, since the bytes
// behind it may change. The bucket object is named by its hash, so it is
// immutable either way.
func (s *Server) redirectToBlob(c echo.Context, p presigner, key, mimeType string) error {
	u, err := p.PresignGet(c.Request().Context(), key, mimeType, immutableCache, s.cfg.PresignMedia)
	if err != nil {
		s.log.Error("presign blob", "key", key, "err", err)
		return echo.NewHTTPError(http.StatusServiceUnavailable, "media storage is unavailable; try again shortly")
	}
	cc := "private, no-cache"
	if cacheControlFor(c, key) == immutableCache {
		cc = "private, max-age=" + strconv.Itoa(int(s.cfg.PresignMedia.Seconds()/2))
	}
	c.Response().Header().Set("Cache-Control", cc)
	return c.Redirect(http.StatusFound, u.String())
}

func uintString(v uint) string { return strconv.FormatUint(uint64(v), 10) }
