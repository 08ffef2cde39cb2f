package handlers

import (
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// uploadDeadline is how long one clip upload may take to arrive: the
// server's ReadTimeout would cut a large upload on a slow link. It is lifted
// only after authentication, so strangers cannot hold connections open.
const uploadDeadline = time.Hour

// adminRoutes lists the admin pages and the admin JSON API. Every page but
// the login form needs a session (else a redirect to it); every API route
// needs a session or a bearer token (else 401). The cross-origin check
// registered in routes covers every POST, PATCH and DELETE here.
// Uploads carry no body limit middleware: the media store enforces
// Config.MaxUploadBytes per file while streaming.
func (s *Server) adminRoutes(e *echo.Echo, jsonBody []echo.MiddlewareFunc) {
	e.GET("/admin/login", s.handleLoginPage)
	// A sign-in form is two short fields: anything larger is refused before
	// it is read.
	e.POST("/admin/login", s.handleLogin, middleware.BodyLimit("16K"))

	page := s.requireAdminPage
	e.POST("/admin/logout", s.handleLogout, page)
	e.GET("/admin", s.handleAdminDashboard, page)
	e.GET("/admin/coverage", s.handleAdminCoverage, page)
	e.GET("/admin/models", s.handleAdminModelsPage, page)
	e.POST("/admin/models", s.handleAdminModelCreateForm, page)
	e.GET("/admin/models/:slug", s.handleAdminModelEditPage, page)
	e.POST("/admin/models/:slug", s.handleAdminModelUpdateForm, page)
	e.GET("/admin/prompts", s.handleAdminPromptsPage, page)
	e.POST("/admin/prompts", s.handleAdminPromptCreateForm, page)
	e.POST("/admin/prompts/:id", s.handleAdminPromptUpdateForm, page)
	e.GET("/admin/clips", s.handleAdminClipsPage, page)
	e.POST("/admin/clips", s.handleUploadClips, page, allowSlowBody(uploadDeadline))
	e.POST("/admin/clips/:id", s.handleAdminClipActiveForm, page)
	e.GET("/admin/clips/:id/original", s.handleAdminClipOriginal, page)
	e.POST("/admin/clips/:id/restore", s.handleAdminClipRestoreForm, page)
	e.GET("/admin/votes", s.handleAdminVotesPage, page)
	e.POST("/admin/voters/:id/invalidate", s.handleAdminVoterForm(true), page)
	e.POST("/admin/voters/:id/restore", s.handleAdminVoterForm(false), page)
	e.POST("/admin/recompute", s.handleAdminRecomputeForm, page)
	e.GET("/admin/audit", s.handleAdminAuditPage, page)
	e.GET("/admin/audit.json", s.handleAdminAuditExport, page)

	api := e.Group("/api/v1/admin")
	auth := s.requireAdminAPI
	withJSON := append([]echo.MiddlewareFunc{auth}, jsonBody...)
	api.GET("/models", s.handleAPIListModels, auth)
	api.POST("/models", s.handleAPICreateModel, withJSON...)
	api.PATCH("/models/:slug", s.handleAPIUpdateModel, withJSON...)
	api.POST("/prompts", s.handleAPICreatePrompt, auth)
	api.GET("/prompts/health", s.handleAPIPromptHealth, auth)
	api.GET("/prompts/health.csv", s.handleAPIPromptHealthCSV, auth)
	api.PATCH("/prompts/:id", s.handleAPIUpdatePrompt, withJSON...)
	api.GET("/clips", s.handleAPIListClips, auth)
	api.POST("/clips", s.handleUploadClips, auth, allowSlowBody(uploadDeadline))
	api.GET("/clips/:id", s.handleAPIClip, auth)
	api.PATCH("/clips/:id", s.handleAPIUpdateClip, withJSON...)
	api.GET("/coverage", s.handleAPICoverage, auth)
	api.GET("/coverage/gaps", s.handleAPICoverageGaps, auth)
	api.GET("/votes", s.handleAPIVotes, auth)
	api.GET("/integrity", s.handleAPIIntegrity, auth)
	api.GET("/blindness", s.handleAPIBlindness, auth)
	api.POST("/voters/:id/invalidate", s.handleAPIVoter(true), withJSON...)
	api.POST("/voters/:id/restore", s.handleAPIVoter(false), withJSON...)
	api.POST("/recompute", s.handleAPIRecompute, auth)
	api.GET("/audit", s.handleAdminAuditExport, auth)
}
