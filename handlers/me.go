package handlers

import (
	"math"
	"net/http"
	"sort"

	"github.com/labstack/echo/v4"

	"github.com/arena-video/arena/models/leaderboard"
)

type meRow struct {
	Name        string
	YourRank    int
	YourScore   float64
	Votes       int64
	PublicRank  int // 0 when the model is not on the public leaderboard
	PublicScore float64
}

type mePool struct {
	Label       string
	Rows        []meRow
	Correlation *float64 // Spearman's rank correlation with the public order
	Common      int
}

type meData struct {
	Votes    int64
	Needed   int
	Progress int // percent of Needed
	Pools    []mePool
}

// handleMePage shows the voter's own ranking, computed from their valid
// votes, beside the public one, once they have voted enough.
func (s *Server) handleMePage(c echo.Context) error {
	ctx := c.Request().Context()
	voter := s.existingVoterID(c)
	// Count first: a voter under the threshold costs one indexed count, and
	// a fit (with its bootstrap) runs only for a new number of votes.
	votes, err := s.store.ValidVoteCount(ctx, voter)
	if err != nil {
		return err
	}
	d := meData{Votes: votes, Needed: s.cfg.MeMinVotes}
	d.Progress = int(math.Min(100, float64(votes)*100/float64(d.Needed)))
	if votes >= int64(d.Needed) {
		pools, ok := s.me.get(voter, votes)
		if !ok {
			if err := s.allowRender(c); err != nil {
				return err
			}
			if pools, err = s.fitMe(c, voter); err != nil {
				return err
			}
			s.me.put(voter, votes, pools)
		}
		d.Pools = pools
	}
	return s.render(c, http.StatusOK, "me", page{Title: "Your ranking", Nav: "me", Data: d})
}

// fitMe fits the voter's own boards and lines them up with the public ones.
func (s *Server) fitMe(c echo.Context, voter string) ([]mePool, error) {
	_, boards, err := s.boards.Voter(c.Request().Context(), voter)
	if err != nil {
		return nil, err
	}
	var pools []mePool
	for _, lb := range boards {
		p, err := s.comparePools(c, lb)
		if err != nil {
			return nil, err
		}
		pools = append(pools, p)
	}
	return pools, nil
}

// comparePools lines the voter's ranking up against the public one of the
// same pool.
func (s *Server) comparePools(c echo.Context, mine *leaderboard.Leaderboard) (mePool, error) {
	ctx := c.Request().Context()
	public, _, err := s.boards.Get(ctx, mine.Pool, "")
	if err != nil {
		return mePool{}, err
	}
	pubView, err := Public(ctx, s.store, mine.Pool, public, LeaderboardFilter{Retired: true})
	if err != nil {
		return mePool{}, err
	}
	myView, err := Public(ctx, s.store, mine.Pool, mine, LeaderboardFilter{Retired: true})
	if err != nil {
		return mePool{}, err
	}
	pubByID := make(map[uint]PublicStanding, len(pubView.Models))
	for _, m := range pubView.Models {
		pubByID[m.ModelID] = m
	}
	p := mePool{Label: poolLabels[mine.Pool]}
	var mineScores, pubScores []float64
	for i, m := range myView.Models {
		row := meRow{Name: m.Model.Name, YourRank: i + 1, YourScore: m.Score, Votes: m.Votes}
		if pm, ok := pubByID[m.ModelID]; ok {
			row.PublicRank, row.PublicScore = pm.Rank, pm.Score
			mineScores = append(mineScores, m.Score)
			pubScores = append(pubScores, pm.Score)
		}
		p.Rows = append(p.Rows, row)
	}
	p.Common = len(mineScores)
	if rho, ok := spearman(mineScores, pubScores); ok {
		p.Correlation = &rho
	}
	return p, nil
}

// spearman is the rank correlation of two score lists: 1 when they order the
// models the same way, -1 when exactly reversed. It needs three models.
func spearman(x, y []float64) (float64, bool) {
	if len(x) < 3 || len(x) != len(y) {
		return 0, false
	}
	rx, ry := ranksOf(x), ranksOf(y)
	var mx, my float64
	for i := range rx {
		mx += rx[i]
		my += ry[i]
	}
	mx /= float64(len(rx))
	my /= float64(len(ry))
	var sxy, sxx, syy float64
	for i := range rx {
		sxy += (rx[i] - mx) * (ry[i] - my)
		sxx += (rx[i] - mx) * (rx[i] - mx)
		syy += (ry[i] - my) * (ry[i] - my)
	}
	if sxx == 0 || syy == 0 {
		return 0, false
	}
	return sxy / math.Sqrt(sxx*syy), true
}

// ranksOf gives average ranks, so ties share theirs.
func ranksOf(v []float64) []float64 {
	idx := make([]int, len(v))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return v[idx[a]] > v[idx[b]] })
	r := make([]float64, len(v))
	for i := 0; i < len(idx); {
		j := i
		for j+1 < len(idx) && v[idx[j+1]] == v[idx[i]] {
			j++
		}
		for k := i; k <= j; k++ {
			r[idx[k]] = float64(i+j)/2 + 1
		}
		i = j + 1
	}
	return r
}
