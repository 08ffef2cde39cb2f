package handlers

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/arena-video/arena/models"
)

type matchupRequest struct {
	Pool     string `json:"pool"`
	Category string `json:"category"`
}

type promptJSON struct {
	Text     string `json:"text"`
	Category string `json:"category"`
	Modality string `json:"modality"`
	ImageURL string `json:"image_url,omitempty"`
}

// clipJSON describes one side of a matchup. HasAudio tells nothing about the
// model: both clips of a matchup come from one pool, so they agree on it; the
// page uses it to offer a sound toggle only where there is sound.
type clipJSON struct {
	VideoURL string `json:"video_url"`
	// PosterURL is a frame from the middle of the clip, shown until the
	// video paints; empty for clips without one.
	PosterURL  string `json:"poster_url,omitempty"`
	DurationMS int64  `json:"duration_ms"`
	HasAudio   bool   `json:"has_audio"`
}

type matchupJSON struct {
	ID        string     `json:"id"`
	Pool      string     `json:"pool"`
	Prompt    promptJSON `json:"prompt"`
	A         clipJSON   `json:"a"`
	B         clipJSON   `json:"b"`
	ExpiresAt time.Time  `json:"expires_at"`
}

type voteRequest struct {
	Choice string `json:"choice"`
}

type modelJSON struct {
	Slug         string `json:"slug"`
	Name         string `json:"name"`
	Organization string `json:"organization"`
}

// revealJSON is one side after the vote. Rank is the model's current rank on
// its pool's leaderboard, left out while no leaderboard has been computed.
type revealJSON struct {
	Model modelJSON `json:"model"`
	Rank  int       `json:"rank,omitempty"`
}

// voteJSON answers a vote. A and B are left out when the vote does not
// count: only counted votes learn the models.
type voteJSON struct {
	Choice string      `json:"choice"`
	A      *revealJSON `json:"a,omitempty"`
	B      *revealJSON `json:"b,omitempty"`
}

// handleCreateMatchup issues a new matchup to the voter.
func (s *Server) handleCreateMatchup(c echo.Context) error {
	var req matchupRequest
	if err := decodeJSON(c, &req, true); err != nil {
		return err
	}
	if err := validateMatchupRequest(req); err != nil {
		return err
	}
	voter, err := s.voterID(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	m, err := s.store.IssueMatchupTo(ctx, voter, clientNet(c), models.MatchupFilter{Pool: req.Pool, Category: req.Category}, s.boards.PairWeigher(ctx, req.Pool))
	if err != nil {
		return err
	}
	return respondMatchup(c, toMatchupJSON(m))
}

// handleVote records the voter's choice and reveals both models.
func (s *Server) handleVote(c echo.Context) error {
	var req voteRequest
	if err := decodeJSON(c, &req, false); err != nil {
		return err
	}
	if !models.ValidChoice(req.Choice) {
		return badRequest(`"choice" must be one of "a", "b", "tie", "both_bad"`)
	}
	res, err := s.castVote(c, req.Choice)
	if err != nil {
		return err
	}
	return respondVote(c, s.revealFor(c, res))
}

func validateMatchupRequest(req matchupRequest) error {
	if req.Pool != "" && !models.ValidPool(req.Pool) {
		return badRequest(`unknown pool %q: use one of %s`, models.Truncate(req.Pool, 40), strings.Join(models.Pools, ", "))
	}
	if len(req.Category) > 64 || !utf8.ValidString(req.Category) || strings.ContainsRune(req.Category, 0) {
		return badRequest(`"category" must be at most 64 characters of text`)
	}
	return nil
}

// mediaURL is where voters fetch a clip's rendition: its public id and the
// rendition's version, which changes when the clip is re-rendered.
func mediaURL(c models.Clip) string { return versionedURL("/media/"+c.PublicID, c.BlobKey) }

// posterURL is where a clip's poster frame is, "" when it has none.
func posterURL(c models.Clip) string {
	if c.PosterKey == "" {
		return ""
	}
	return versionedURL("/media/"+c.PublicID+"/poster", c.PosterKey)
}

func promptImageURL(p models.Prompt) string {
	if p.ImageKey == "" {
		return ""
	}
	return versionedURL("/media/prompts/"+uintString(p.ID)+"/image", p.ImageKey)
}

func toMatchupJSON(m models.IssuedMatchup) matchupJSON {
	return matchupJSON{
		ID:   m.ID,
		Pool: m.Pool,
		Prompt: promptJSON{
			Text:     m.Prompt.Text,
			Category: m.Prompt.Category,
			Modality: m.Prompt.Modality,
			ImageURL: promptImageURL(m.Prompt),
		},
		A:         toClipJSON(m.A),
		B:         toClipJSON(m.B),
		ExpiresAt: m.ExpiresAt.UTC(),
	}
}

func toClipJSON(c models.Clip) clipJSON {
	return clipJSON{VideoURL: mediaURL(c), PosterURL: posterURL(c), DurationMS: c.DurationMS, HasAudio: c.HasAudio}
}

func toModelJSON(m models.Model) modelJSON {
	return modelJSON{Slug: m.Slug, Name: m.Name, Organization: m.Organization}
}

func toVoteJSON(r models.VoteResult) voteJSON {
	return voteJSON{
		Choice: r.Choice,
		A:      &revealJSON{Model: toModelJSON(r.A)},
		B:      &revealJSON{Model: toModelJSON(r.B)},
	}
}
