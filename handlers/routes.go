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
	e.IPExtractor = ipExtractor(s.cfg.TrustedProxies)

	e.Pre(tagRequests)
	e.Use(s.logRequests)
	e.Use(s.measureRequests)
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{DisableStackAll: true, LogErrorFunc: s.logPanic}))
	e.Use(s.securityHeaders)
	e.Use(limitURL)
	e.Use(s.refuseCrossOrigin())

	// Voter pages.
	e.GET("/", s.handleArenaPage, s.rateLimited("matchup"))
	e.POST("/matchups/:id/vote", s.handleVoteForm, middleware.BodyLimit("16K"), s.rateLimited("vote"))
	e.POST("/matchups/:id/skip", s.handleSkipForm, middleware.BodyLimit("16K"), s.rateLimited("vote"))
	e.GET("/leaderboard", s.handleLeaderboardPage)
	e.GET("/leaderboard/:pool/:id", s.handleStoredBoardPage)
	e.GET("/leaderboard.atom", s.handleFeed)
	e.GET("/models/:slug", s.handleModelPage)
	e.GET("/families/:family", s.handleFamilyPage)
	e.GET("/methodology", s.handleMethodologyPage)
	e.GET("/me", s.handleMePage)

	// Files.
	e.GET("/media/:id", s.handleMedia)
	e.HEAD("/media/:id", s.handleMedia)
	e.GET("/media/:id/poster", s.handlePoster)
	e.GET("/media/prompts/:id/image", s.handlePromptImage)
	e.GET("/static/*", s.handleStatic)
	e.HEAD("/static/*", s.handleStatic)

	// Operations.
	e.GET("/healthz", s.handleHealth)
	e.GET("/metrics", s.handleMetrics)

	// JSON API. Middleware goes on each route, not on the group: Echo answers
	// a group with middleware 404 where 405 is right.
	jsonBody := []echo.MiddlewareFunc{middleware.BodyLimit("64K"), requireJSON}
	api := e.Group("/api/v1")
	api.POST("/matchups", s.handleCreateMatchup, append(jsonBody, s.rateLimited("matchup"))...)
	api.POST("/matchups/:id/vote", s.handleVote, append(jsonBody, s.rateLimited("vote"))...)
	api.POST("/matchups/:id/skip", s.handleSkip, append(jsonBody, s.rateLimited("vote"))...)

	s.adminRoutes(e, jsonBody)
	api.GET("/leaderboard", s.handleLeaderboardJSON)
	api.GET("/leaderboard.csv", s.handleLeaderboardCSV)
	api.GET("/leaderboard/:pool/:id", s.handleStoredBoardJSON)
	api.GET("/events", s.handleEventsJSON)
	api.GET("/models/:slug", s.handleModelJSON)
	api.GET("/votes.jsonl", s.handleVotesJSONL)
	return e
}
