package handlers

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/arena-video/arena/models"
)

// actorOf names the signed-in admin and their address for the audit
// entries the Store writes with each change.
func actorOf(c echo.Context) models.Actor {
	return models.Actor{Name: adminOf(c).Username, IP: clientIP(c)}
}

// audit records an admin action that the Store does not record itself
// (sign-ins, uploads, creations, requested recomputes). A failure to write
// the entry is logged, not shown: the action itself already happened.
func (s *Server) audit(c echo.Context, action, target, detail string) {
	s.auditAs(c, adminOf(c).Username, action, target, detail)
}

func (s *Server) auditAs(c echo.Context, actor, action, target, detail string) {
	err := s.store.Audit(c.Request().Context(), models.AuditEntry{
		Actor: actor, Action: action, Target: target, IP: clientIP(c), Detail: detail,
	})
	if err != nil {
		s.log.Error("audit", "action", action, "err", err)
	}
}

// auditJSON is one audit entry in the API and the JSON export.
type auditJSON struct {
	ID     uint   `json:"id"`
	At     string `json:"at"`
	Actor  string `json:"actor"`
	Action string `json:"action"`
	Target string `json:"target"`
	IP     string `json:"ip"`
	Detail string `json:"detail"`
}

func toAuditJSON(es []models.AuditEntry) []auditJSON {
	out := make([]auditJSON, len(es))
	for i, e := range es {
		out[i] = auditJSON{ID: e.ID, At: e.At.UTC().Format("2006-01-02T15:04:05.000Z07:00"), Actor: e.Actor, Action: e.Action, Target: e.Target, IP: e.IP, Detail: e.Detail}
	}
	return out
}

// auditPageSize is how many entries the audit page shows at once.
const auditPageSize = 200

// handleAdminAuditPage shows the newest audit entries, older ones by ?before=.
func (s *Server) handleAdminAuditPage(c echo.Context) error {
	before, err := optionalID(c.QueryParam("before"))
	if err != nil {
		return err
	}
	es, err := s.store.ListAudit(c.Request().Context(), auditPageSize, before)
	if err != nil {
		return err
	}
	data := struct {
		Entries []models.AuditEntry
		Older   uint
	}{Entries: es}
	if len(es) == auditPageSize {
		data.Older = es[len(es)-1].ID
	}
	return s.renderAdmin(c, http.StatusOK, "admin_audit", "Audit log", "audit", data)
}

// handleAdminAuditExport answers the whole audit log as JSON, newest first:
// GET /api/v1/admin/audit, and /admin/audit.json as a download.
func (s *Server) handleAdminAuditExport(c echo.Context) error {
	es, err := s.store.ListAudit(c.Request().Context(), 0, 0)
	if err != nil {
		return err
	}
	if !isAPI(c) {
		c.Response().Header().Set("Content-Disposition", `attachment; filename="arena-audit.json"`)
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, map[string]any{"entries": toAuditJSON(es)})
}

// optionalID parses an optional positive integer query parameter.
func optionalID(v string) (uint, error) {
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseUint(v, 10, 32)
	if err != nil || n == 0 {
		return 0, badRequest("%q is not an id", v)
	}
	return uint(n), nil
}

// renderAdmin renders an admin page with the admin navigation.
func (s *Server) renderAdmin(c echo.Context, status int, name, title, nav string, data any) error {
	return s.render(c, status, name, page{Title: title, Nav: nav, Admin: adminOf(c).Username, Data: data})
}
