package handlers

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"io/fs"
	"net/http"
	"path"
	"time"

	"github.com/labstack/echo/v4"
)

// hashAssets fingerprints every embedded asset so pages can link to
// /static/x.css?v=HASH and browsers can cache it for a year.
func hashAssets(assets fs.FS) (map[string]string, error) {
	out := make(map[string]string)
	err := fs.WalkDir(assets, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		f, err := assets.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		h := sha256.New()
		if _, err := io.Copy(h, f); err != nil {
			return err
		}
		out[p] = hex.EncodeToString(h.Sum(nil))[:12]
		return nil
	})
	return out, err
}

// assetURL is the template function that links an asset with its hash.
func (s *Server) assetURL(p string) string {
	return "/static/" + p + "?v=" + s.versions[p]
}

// handleStatic serves embedded CSS, JavaScript and icons. Only files listed
// at start-up are served, so no path can climb out of the asset tree.
func (s *Server) handleStatic(c echo.Context) error {
	p := path.Clean(c.Param("*"))
	version, ok := s.versions[p]
	if !ok {
		return echo.NewHTTPError(http.StatusNotFound, "no such file")
	}
	f, err := s.assets.Open(p)
	if err != nil {
		return echo.NewHTTPError(http.StatusNotFound, "no such file")
	}
	defer f.Close()
	rs, ok := f.(io.ReadSeeker)
	if !ok {
		return echo.NewHTTPError(http.StatusNotFound, "no such file")
	}
	h := c.Response().Header()
	if c.QueryParam("v") == version {
		h.Set("Cache-Control", immutableCache)
	} else {
		h.Set("Cache-Control", "public, max-age=300")
	}
	h.Set("ETag", `"`+version+`"`)
	http.ServeContent(c.Response(), c.Request(), p, time.Time{}, rs)
	return nil
}
