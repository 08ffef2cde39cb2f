package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// handleHealth answers 200 when the database and the blob store answer, and
// 503 naming the one that does not, so a load balancer stops sending voters
// to an instance that cannot serve their clips. It also says whether clips
// can be ingested and how the transcode queue stands: ingestion without
// ffmpeg is degraded, not down, since voting still works.
func (s *Server) handleHealth(c echo.Context) error {
	ctx := c.Request().Context()
	body := map[string]string{"status": "ok", "database": "ok", "blob_store": "ok"}
	status := http.StatusOK
	if err := s.store.Ping(ctx); err != nil {
		s.log.Error("health check failed", "part", "database", "err", err)
		body["status"], body["database"], status = "database unavailable", "unavailable", http.StatusServiceUnavailable
	}
	if err := s.blobs.Blobs().Check(ctx); err != nil {
		s.log.Error("health check failed", "part", "blob store", "store", s.blobs.Blobs().String(), "err", err)
		body["blob_store"], status = "unavailable", http.StatusServiceUnavailable
		if body["status"] == "ok" {
			body["status"] = "blob store unavailable"
		}
	}
	out := map[string]any{}
	for k, v := range body {
		out[k] = v
	}
	if status == http.StatusOK {
		ing, err := s.ingestion(c)
		if err != nil {
			s.log.Error("health check failed", "part", "ingestion", "err", err)
			out["status"], out["database"], status = "database unavailable", "unavailable", http.StatusServiceUnavailable
		} else {
			out["ingestion"] = ing
		}
	}
	return c.JSON(status, out)
}
