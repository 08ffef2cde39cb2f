package handlers

import (
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// routes lists every route in one place, grouped by area, with the
// middleware each one runs.
func (s *Server) routes() *echo.Echo {
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = s.handleError

	e.Pre(middleware.RequestID())
	e.Use(s.logRequests)
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{DisableStackAll: true, LogErrorFunc: s.logPanic}))
	e.Use(s.securityHeaders)
	e.Use(s.refuseCrossOrigin())

	// Voter pages.
	e.GET("/", s.handleArenaPage)
	e.POST("/matchups/:id/vote", s.handleVoteForm)

	// Files.
	e.GET("/media/:id", s.handleMedia)
	e.HEAD("/media/:id", s.handleMedia)
	e.GET("/media/prompts/:id/image", s.handlePromptImage)
	e.GET("/static/*", s.handleStatic)
	e.HEAD("/static/*", s.handleStatic)

	// Operations.
	e.GET("/healthz", s.handleHealth)

	// JSON API. Middleware goes on each route, not on the group: Echo answers
	// a group with middleware 404 where 405 is right.
	jsonBody := []echo.MiddlewareFunc{middleware.BodyLimit("64K"), requireJSON}
	api := e.Group("/api/v1")
	api.POST("/matchups", s.handleCreateMatchup, jsonBody...)
	api.POST("/matchups/:id/vote", s.handleVote, jsonBody...)

	s.adminRoutes(e, jsonBody)
	return e
}
