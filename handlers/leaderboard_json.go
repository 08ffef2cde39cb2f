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
	Family       string `json:"family,omitempty"`
	Version      string `json:"version,omitempty"`
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
	// BothBadRate is the share of the model's votes where voters said both
	// clips were bad.
	BothBadRate float64 `json:"both_bad_rate"`
	// RankChangeVsRaw, on the style-controlled board, is the raw rank minus
	// this one (positive: holding style equal moves the model up).
	RankChangeVsRaw *int `json:"rank_change_vs_raw,omitempty"`
	// The rest is for the page; the API leaves it out.
	Wins, Ties, Losses int64 `json:"-"`
	RankChange         *int  `json:"-"`
	ModelID            uint  `json:"-"`
}

// PublicLeaderboard is the body of GET /api/v1/leaderboard.
type PublicLeaderboard struct {
	Pool       string     `json:"pool"`
	Category   string     `json:"category,omitempty"`
	ComputedAt *time.Time `json:"computed_at"` // null before the first recompute
	Votes      int64      `json:"votes"`
	// SnapshotID, VotesThrough, Method and SHA256 let a quoted number be
	// checked later: the stored board (at /leaderboard/{pool}/{id}), its
	// newest vote, the ranking method, and a hash of its rows (RowsSHA256).
	SnapshotID   uint             `json:"snapshot_id,omitempty"`
	VotesThrough *time.Time       `json:"votes_through,omitempty"`
	Method       string           `json:"method,omitempty"`
	SHA256       string           `json:"sha256,omitempty"`
	Models       []PublicStanding `json:"models"`
	// StyleControl describes the style-controlled fit; only with
	// ?control=style.
	StyleControl *PublicStyleControl `json:"style_control,omitempty"`
}

// PublicStyleControl is what the style-controlled board held equal and how
// much each feature sways voters.
type PublicStyleControl struct {
	// Votes is the number of votes the style fit used: those between two
	// clips with measured features.
	Votes        int64                          `json:"votes"`
	Features     []string                       `json:"features"`
	Dropped      []string                       `json:"dropped"`
	Coefficients []leaderboard.StyleCoefficient `json:"coefficients"`
}

// LeaderboardFilter chooses which rows a public leaderboard shows.
type LeaderboardFilter struct {
	MinVotes int64 // rows with fewer votes are left out
	Retired  bool  // include models an admin has retired
	// Control "style" shows the style-controlled board's scores, intervals
	// and ranks.
	Control string
	// Past shows a stored board as it stood: a model retired after the
	// board was computed is listed and ranked as it was then.
	Past bool
	// RowsOnly leaves out the hash of the rows, for callers that show a
	// row or two and cite nothing (the model page): it is most of the cost.
	RowsOnly bool
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
	out.Category, out.SnapshotID, out.VotesThrough, out.Method = lb.Category, lb.SnapshotID, lb.VotesThrough, lb.Method
	if !f.RowsOnly {
		out.SHA256 = leaderboard.RowsSHA256(lb, func(id uint) string { return ms[id].Slug })
	}
	listed := func(id uint) bool { return ms[id].Active }
	if f.Past {
		listed = func(id uint) bool { return leaderboard.ListedAt(ms[id], lb.ComputedAt) }
	}
	standings := lb.Standings
	var vsRaw map[uint]int // style board: raw rank minus style rank, both among the listed models
	if f.Control == "style" {
		standings, vsRaw = styleRows(lb, listed)
		sc := &PublicStyleControl{Features: []string{}, Dropped: []string{}, Coefficients: []leaderboard.StyleCoefficient{}}
		if lb.Style != nil {
			sc.Votes = lb.Style.Votes
			sc.Features = append(sc.Features, lb.Style.Features...)
			sc.Dropped = append(sc.Dropped, lb.Style.Dropped...)
			sc.Coefficients = append(sc.Coefficients, lb.Style.Coefficients...)
		}
		out.StyleControl = sc
	}
	// Ranks count the models the board lists, never a retired one.
	for _, st := range leaderboard.RankAmong(standings, listed) {
		var change *int
		if v, ok := vsRaw[st.ModelID]; ok {
			change = &v
		}
		m := ms[st.ModelID]
		if st.Votes < f.MinVotes || (!listed(st.ModelID) && !f.Retired) {
			continue
		}
		out.Models = append(out.Models, PublicStanding{
			Rank: st.Rank, RankSpread: [2]int{st.RankBest, st.RankWorst},
			Model: PublicModel{Slug: m.Slug, Name: m.Name, Organization: m.Organization, ReleaseDate: m.ReleaseDate,
				License: m.License, Homepage: m.Homepage, Family: m.Family, Version: m.Version, Active: m.Active},
			Score: st.Score, CILower: st.CILower, CIUpper: st.CIUpper, Votes: st.Votes, WinRate: st.WinRate,
			BothBadRate: st.BothBadRate, RankChangeVsRaw: change,
			Wins: st.Wins, Ties: st.Ties, Losses: st.Losses, RankChange: st.RankChange, ModelID: st.ModelID,
		})
	}
	return out, nil
}

// styleRows turns the style-controlled board into rows of the raw board's
// shape: scores, intervals, ranks and votes from the style fit, win and
// both-bad rates from the raw votes. It also returns each model's raw rank
// minus its style rank, both among the listed models.
func styleRows(lb *leaderboard.Leaderboard, listed func(uint) bool) ([]leaderboard.Standing, map[uint]int) {
	if lb.Style == nil {
		return nil, nil
	}
	rows := make([]leaderboard.Standing, 0, len(lb.Style.Standings))
	for _, ss := range lb.Style.Standings {
		st, _ := lb.StandingOf(ss.ModelID)
		st.ModelID = ss.ModelID
		st.Score, st.CILower, st.CIUpper = ss.Score, ss.CILower, ss.CIUpper
		st.Rank, st.RankBest, st.RankWorst, st.Votes = ss.Rank, ss.RankBest, ss.RankWorst, ss.Votes
		rows = append(rows, st)
	}
	raw := map[uint]int{}
	for _, st := range leaderboard.RankAmong(lb.Standings, listed) {
		raw[st.ModelID] = st.Rank
	}
	change := map[uint]int{}
	for _, st := range leaderboard.RankAmong(rows, listed) {
		if r, ok := raw[st.ModelID]; ok {
			change[st.ModelID] = r - st.Rank
		}
	}
	return rows, change
}
