package handlers

import (
	"context"
	"time"

	"github.com/arena-video/arena/models"
	"github.com/arena-video/arena/models/leaderboard"
)

// PublicModel describes a model on the public leaderboard.
type PublicModel struct {
	Slug         string `json:"slug"`
	Name         string `json:"name"`
	Organization string `json:"organization"`
	ReleaseDate  string `json:"release_date"`
	License      string `json:"license"`
	Homepage     string `json:"homepage,omitempty"`
	Active       bool   `json:"active"`
}

// PublicStanding is one row of the public leaderboard.
type PublicStanding struct {
	Rank       int         `json:"rank"`
	RankSpread [2]int      `json:"rank_spread"` // best and worst rank the intervals allow
	Model      PublicModel `json:"model"`
	Score      float64     `json:"score"`
	CILower    float64     `json:"ci_lower"`
	CIUpper    float64     `json:"ci_upper"`
	Votes      int64       `json:"votes"`
	WinRate    float64     `json:"win_rate"`
	// The rest is for the page; the API leaves it out.
	Wins, Ties, Losses int64 `json:"-"`
	RankChange         *int  `json:"-"`
	ModelID            uint  `json:"-"`
}

// PublicLeaderboard is the body of GET /api/v1/leaderboard.
type PublicLeaderboard struct {
	Pool       string           `json:"pool"`
	ComputedAt *time.Time       `json:"computed_at"` // null before the first recompute
	Votes      int64            `json:"votes"`
	Models     []PublicStanding `json:"models"`
}

// LeaderboardFilter chooses which rows a public leaderboard shows.
type LeaderboardFilter struct {
	MinVotes int64 // rows with fewer votes are left out
	Retired  bool  // include models an admin has retired
}

// Public turns a leaderboard into the rows the public sees, resolving model
// details through the store's catalog so that renames and retirements show
// at once. A nil leaderboard gives an empty one. The CLI's
// `arena leaderboard --json` prints the same shape.
func Public(ctx context.Context, store *models.Store, pool string, lb *leaderboard.Leaderboard, f LeaderboardFilter) (PublicLeaderboard, error) {
	out := PublicLeaderboard{Pool: pool, Models: []PublicStanding{}}
	if lb == nil {
		return out, nil
	}
	ids := make([]uint, len(lb.Standings))
	for i, st := range lb.Standings {
		ids[i] = st.ModelID
	}
	ms, err := store.ModelsByID(ctx, ids...)
	if err != nil {
		return out, err
	}
	at := lb.ComputedAt.UTC()
	out.ComputedAt, out.Votes = &at, lb.Votes
	for _, st := range lb.Standings {
		m := ms[st.ModelID]
		if st.Votes < f.MinVotes || (!m.Active && !f.Retired) {
			continue
		}
		out.Models = append(out.Models, PublicStanding{
			Rank: st.Rank, RankSpread: [2]int{st.RankBest, st.RankWorst},
			Model: PublicModel{Slug: m.Slug, Name: m.Name, Organization: m.Organization, ReleaseDate: m.ReleaseDate,
				License: m.License, Homepage: m.Homepage, Active: m.Active},
			Score: st.Score, CILower: st.CILower, CIUpper: st.CIUpper, Votes: st.Votes, WinRate: st.WinRate,
			Wins: st.Wins, Ties: st.Ties, Losses: st.Losses, RankChange: st.RankChange, ModelID: st.ModelID,
		})
	}
	return out, nil
}
