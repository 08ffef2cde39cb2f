package handlers

import (
	"context"
	"net/http"
	"sort"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/arena-video/arena/models"
)

// flaggedListLimit is how many flagged voters the dashboard lists.
const flaggedListLimit = 50

// activeVotersLimit and activeVotersWindow: the dashboard lists the 20
// voters with the most votes in the last 24 hours.
const (
	activeVotersLimit  = 20
	activeVotersWindow = 24 * time.Hour
)

// integrityData is the admin's view of vote validity: how many stored votes
// do not count, by reason, and which voters are flagged for review.
type integrityData struct {
	Invalid   []reasonCount
	Flagged   []models.Voter
	Active    []models.VoterActivity
	Targeting []models.TargetingFlag
	// FalsePositiveRate is the targeting test's bound, for the page.
	FalsePositiveRate float64
}

// targetingListLimit is how many targeting flags the dashboard lists.
const targetingListLimit = 50

type reasonCount struct {
	Reason string `json:"reason"`
	Votes  int64  `json:"votes"`
}

func (s *Server) loadIntegrity(ctx context.Context) (integrityData, error) {
	counts, err := s.store.InvalidVoteCounts(ctx)
	if err != nil {
		return integrityData{}, err
	}
	var d integrityData
	for r, n := range counts {
		d.Invalid = append(d.Invalid, reasonCount{r, n})
	}
	sort.Slice(d.Invalid, func(i, j int) bool { return d.Invalid[i].Reason < d.Invalid[j].Reason })
	if d.Flagged, err = s.store.FlaggedVoters(ctx, flaggedListLimit); err != nil {
		return d, err
	}
	if d.Active, err = s.store.MostActiveVoters(ctx, activeVotersWindow, activeVotersLimit); err != nil {
		return d, err
	}
	d.FalsePositiveRate = models.TargetingFalsePositiveRate
	d.Targeting, err = s.store.TargetingFlags(ctx, targetingListLimit)
	return d, err
}

type flaggedVoterJSON struct {
	ID         string `json:"id"`
	FlagReason string `json:"flag_reason"`
	ValidVotes int64  `json:"valid_votes"`
	AVotes     int64  `json:"a_votes"`
	BVotes     int64  `json:"b_votes"`
}

// handleAPIIntegrity: GET /api/v1/admin/integrity → invalid votes by
// reason, the voters flagged for review, the most active voters of the
// last 24 hours, and the targeted voting found with its evidence.
func (s *Server) handleAPIIntegrity(c echo.Context) error {
	d, err := s.loadIntegrity(c.Request().Context())
	if err != nil {
		return err
	}
	invalid := make(map[string]int64, len(d.Invalid))
	for _, r := range d.Invalid {
		invalid[r.Reason] = r.Votes
	}
	flagged := make([]flaggedVoterJSON, 0, len(d.Flagged))
	for _, v := range d.Flagged {
		flagged = append(flagged, flaggedVoterJSON{v.ID, v.FlagReason, v.ValidVotes, v.AVotes, v.BVotes})
	}
	targeting := d.Targeting
	if targeting == nil {
		targeting = []models.TargetingFlag{}
	}
	return c.JSON(http.StatusOK, map[string]any{"invalid_votes": invalid, "flagged_voters": flagged, "active_voters": d.Active,
		"targeting": targeting, "targeting_false_positive_rate": d.FalsePositiveRate})
}
