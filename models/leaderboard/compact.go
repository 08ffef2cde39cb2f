package leaderboard

import (
	"encoding/json"

	"github.com/arena-video/arena/models/rating"
)

// PairTally is the record of two models on one board: the votes between
// the models at standings I and J (I < J), seen from I.
type PairTally struct {
	I       int   `json:"i"`
	J       int   `json:"j"`
	Wins    int64 `json:"w"`
	Losses  int64 `json:"l"`
	Ties    int64 `json:"t"`
	BothBad int64 `json:"b"`
}

// pairTallies lists the pairs that met, by standing index; order[x] is the
// counts' model index of standing x.
func pairTallies(c *rating.Counts, order []int) []PairTally {
	var out []PairTally
	for x := range order {
		for y := x + 1; y < len(order); y++ {
			p := c.Pair(order[x], order[y])
			if p.Total() > 0 {
				out = append(out, PairTally{I: x, J: y, Wins: p.Wins, Losses: p.Losses, Ties: p.Ties, BothBad: p.BothBad})
			}
		}
	}
	return out
}

// compactBoard returns the board without its pairwise data: the per-model
// rows are all a past board needs (its history point, its citable table,
// its rank changes), and they are a few kilobytes where the matrices of 100
// models are hundreds.
func compactBoard(lb *Leaderboard) *Leaderboard {
	c := *lb
	c.WinRate, c.Battles, c.PairWeights, c.Pairs = nil, nil, nil, nil
	return &c
}

// compactBody encodes a board as a past board is stored.
func compactBody(lb *Leaderboard) (string, error) {
	b, err := json.Marshal(compactBoard(lb))
	return string(b), err
}
