package models

import (
	"context"
	"fmt"
	"hash/fnv"
	"math"
	"runtime"
	"sort"
	"strconv"
	"time"

	"github.com/arena-video/arena/models/rating"
)

// RankingOptions configures how leaderboards are computed.
type RankingOptions struct {
	// Rounds is the number of bootstrap rounds behind the 95% intervals.
	Rounds int
	// Seed makes the bootstrap reproducible.
	Seed uint64
	// AnchorSlug pins that model's score at AnchorScore; empty centres the
	// scores on 1000.
	AnchorSlug  string
	AnchorScore float64
	// Workers spreads the bootstrap rounds; 0 means every core.
	Workers int
	// MinVotes is how many votes a model needs to be listed as ranked
	// rather than provisional; the rank feed follows ranked models only.
	MinVotes int64
}

func (o RankingOptions) withDefaults() RankingOptions {
	if o.Rounds <= 0 {
		o.Rounds = 1000
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	if o.AnchorSlug == "" {
		o.AnchorScore = 0
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	return o
}

// Leaderboard is one computed ranking: a pool, optionally narrowed to one
// category. It is what a Snapshot's body holds. Model details (name,
// organization, active) are looked up when it is shown, so that an admin's
// edit shows at once without a recompute.
type Leaderboard struct {
	Pool       string     `json:"pool"`
	Category   string     `json:"category,omitempty"`
	ComputedAt time.Time  `json:"computed_at"`
	Votes      int64      `json:"votes"`
	Standings  []Standing `json:"standings"` // by rank, then score
	// Fingerprint identifies the votes and options it was computed from, so
	// an unchanged leaderboard is not stored again.
	Fingerprint string `json:"fingerprint"`
	// WinRate[i][j] is how often Standings[i]'s model beat Standings[j]'s
	// (ties count half); nil where they never met.
	WinRate [][]*float64 `json:"win_rate,omitempty"`
	Battles [][]int64    `json:"battles,omitempty"`
	// Pairs holds the votes of every pair that met, for head-to-head
	// records. Like the matrices, only the newest board of a key keeps it:
	// older boards keep their standings alone (compactBoard).
	Pairs []PairTally `json:"pairs,omitempty"`
	// PairWeights[i][j] is how much a new matchup between the two models
	// would teach us; only the all-category leaderboard of a pool has them.
	PairWeights [][]float64 `json:"pair_weights,omitempty"`
	// VotesThrough is the time of the newest vote counted; nil without votes.
	VotesThrough *time.Time `json:"votes_through,omitempty"`
	// Method names the ranking method that computed the board.
	Method string `json:"method,omitempty"`
	// SnapshotID is the id of the snapshot the board was stored as; 0 for a
	// board computed and not stored.
	SnapshotID uint `json:"-"`
}

// Standing is one model's place on a leaderboard.
type Standing struct {
	ModelID   uint    `json:"model_id"`
	Score     float64 `json:"score"`
	CILower   float64 `json:"ci_lower"`
	CIUpper   float64 `json:"ci_upper"`
	Rank      int     `json:"rank"`
	RankBest  int     `json:"rank_best"`
	RankWorst int     `json:"rank_worst"`
	Votes     int64   `json:"votes"`
	Wins      int64   `json:"wins"`
	Ties      int64   `json:"ties"`
	Losses    int64   `json:"losses"`
	WinRate   float64 `json:"win_rate"`
	// RankChange is the rank 7 days ago minus the rank now (positive: it
	// climbed); nil when the model was not ranked then.
	RankChange *int `json:"rank_change,omitempty"`
}

// boardKey names the snapshots of one pool and category.
func boardKey(pool, category string) string {
	return "lb:" + pool + "/" + category
}

// fingerprint hashes the tallies of one leaderboard and the options, in a
// fixed order, so that equal inputs give equal fingerprints.
func fingerprint(ts []Tally, o RankingOptions) string {
	h := fnv.New64a()
	fmt.Fprintf(h, "%d|%d|%s|%g\n", o.Rounds, o.Seed, o.AnchorSlug, o.AnchorScore)
	for _, t := range ts {
		fmt.Fprintf(h, "%d|%d|%s|%d\n", t.ModelAID, t.ModelBID, t.Choice, t.N)
	}
	return strconv.FormatUint(h.Sum64(), 16)
}

// ComputeLeaderboard fits one leaderboard from the current valid votes,
// without storing it. The CLI uses it; pages read snapshots instead.
func (s *Store) ComputeLeaderboard(ctx context.Context, pool, category string) (*Leaderboard, error) {
	ts, err := s.VoteTallies(ctx, TallyFilter{Pool: pool, Category: category})
	if err != nil {
		return nil, err
	}
	return s.fitLeaderboard(ctx, pool, category, mergeCategories(ts), category == "")
}

// mergeCategories adds up tallies that differ only by category, in model
// order, as the all-category leaderboard of a pool needs.
func mergeCategories(ts []Tally) []Tally {
	type k struct {
		a, b   uint
		choice string
	}
	sum := make(map[k]int64)
	for _, t := range ts {
		sum[k{t.ModelAID, t.ModelBID, t.Choice}] += t.N
	}
	out := make([]Tally, 0, len(sum))
	for key, n := range sum {
		out = append(out, Tally{ModelAID: key.a, ModelBID: key.b, Choice: key.choice, N: n})
	}
	sort.Slice(out, func(i, j int) bool {
		x, y := out[i], out[j]
		if x.ModelAID != y.ModelAID {
			return x.ModelAID < y.ModelAID
		}
		if x.ModelBID != y.ModelBID {
			return x.ModelBID < y.ModelBID
		}
		return x.Choice < y.Choice
	})
	return out
}

// fitLeaderboard runs the rating math on tallies of one pool and category.
func (s *Store) fitLeaderboard(ctx context.Context, pool, category string, ts []Tally, withWeights bool) (*Leaderboard, error) {
	counts, ids, err := countsOf(ts)
	if err != nil {
		return nil, err
	}
	o := s.ranking
	lb := &Leaderboard{Pool: pool, Category: category, ComputedAt: s.now().UTC(), Votes: counts.Total(), Fingerprint: fingerprint(ts, o), Method: rating.MethodVersion}
	if len(ids) == 0 {
		return lb, nil
	}
	anchor := -1
	if o.AnchorSlug != "" {
		if m, err := s.ModelBySlug(ctx, o.AnchorSlug); err == nil {
			for i, id := range ids {
				if id == m.ID {
					anchor = i
				}
			}
		}
	}
	ro := rating.DefaultOptions()
	ro.Rounds, ro.Seed, ro.Workers = o.Rounds, o.Seed, o.Workers
	if anchor >= 0 {
		ro.Anchor, ro.AnchorScore = anchor, o.AnchorScore
	}
	res, err := rating.Compute(counts, ro)
	if err != nil {
		return nil, fmt.Errorf("rank %s: %w", boardKey(pool, category), err)
	}
	var weights [][]float64 // by model index, both halves filled
	if withWeights {
		weights = make([][]float64, len(ids))
		for i := range weights {
			weights[i] = make([]float64, len(ids))
		}
		for _, pw := range res.PairWeights(rating.DefaultPairFloor) {
			weights[pw.I][pw.J], weights[pw.J][pw.I] = pw.Weight, pw.Weight
		}
	}
	order := make([]int, len(ids))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(x, y int) bool {
		a, b := res.Models[order[x]], res.Models[order[y]]
		if a.Rank != b.Rank {
			return a.Rank < b.Rank
		}
		return a.Score > b.Score
	})
	for _, i := range order {
		m := res.Models[i]
		lb.Standings = append(lb.Standings, Standing{
			ModelID: ids[i], Score: round(m.Score, 2), CILower: round(m.Lower, 2), CIUpper: round(m.Upper, 2),
			Rank: m.Rank, RankBest: m.RankBest, RankWorst: m.RankWorst,
			Votes: m.Votes, Wins: m.Wins, Ties: m.Ties + m.BothBad, Losses: m.Losses, WinRate: round(m.WinRate, 4),
		})
	}
	lb.Pairs = pairTallies(counts, order)
	lb.WinRate = make([][]*float64, len(order))
	lb.Battles = make([][]int64, len(order))
	if weights != nil {
		lb.PairWeights = make([][]float64, len(order))
	}
	for x, i := range order {
		lb.WinRate[x] = make([]*float64, len(order))
		lb.Battles[x] = make([]int64, len(order))
		if weights != nil {
			lb.PairWeights[x] = make([]float64, len(order))
		}
		for y, j := range order {
			lb.Battles[x][y] = res.Battles[i][j]
			if wr := res.WinRate[i][j]; i != j && res.Battles[i][j] > 0 && wr != rating.NoData && !math.IsNaN(wr) {
				v := round(wr, 4)
				lb.WinRate[x][y] = &v
			}
			if weights != nil {
				lb.PairWeights[x][y] = weights[i][j]
			}
		}
	}
	return lb, nil
}

func round(x float64, digits int) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0
	}
	p := math.Pow(10, float64(digits))
	return math.Round(x*p) / p
}

// standingOf returns the model's standing and its index, or -1.
func (lb *Leaderboard) standingOf(modelID uint) (Standing, int) {
	for i, st := range lb.Standings {
		if st.ModelID == modelID {
			return st, i
		}
	}
	return Standing{}, -1
}
