package leaderboard

import (
	"sort"

	"github.com/arena-video/arena/models/rating"
)

// HeadToHead is a model's record against one opponent on a board.
type HeadToHead struct {
	OpponentID uint
	Wins       int64
	Losses     int64
	Ties       int64
	BothBad    int64
	// WinRate is the observed share of their votes the model won, ties and
	// both-bad counting half; Predicted is what the fitted scores expect.
	WinRate   float64
	Predicted float64
}

// Votes is the number of votes between the two.
func (h HeadToHead) Votes() int64 { return h.Wins + h.Losses + h.Ties + h.BothBad }

// HeadToHead lists a model's record against every opponent it met on the
// board, most votes first. Only the newest board of a key keeps the pairs;
// an older one gives nil.
func (lb *Leaderboard) HeadToHead(modelID uint) []HeadToHead {
	_, me := lb.StandingOf(modelID)
	if me < 0 {
		return nil
	}
	var out []HeadToHead
	for _, p := range lb.Pairs {
		var h HeadToHead
		var opp int
		switch me {
		case p.I:
			opp, h.Wins, h.Losses = p.J, p.Wins, p.Losses
		case p.J:
			opp, h.Wins, h.Losses = p.I, p.Losses, p.Wins
		default:
			continue
		}
		h.Ties, h.BothBad = p.Ties, p.BothBad
		h.OpponentID = lb.Standings[opp].ModelID
		h.WinRate = round((float64(h.Wins)+float64(h.Ties+h.BothBad)/2)/float64(h.Votes()), 4)
		h.Predicted = round(rating.WinProbability(lb.Standings[me].Score, lb.Standings[opp].Score), 4)
		out = append(out, h)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Votes() > out[j].Votes() })
	return out
}
