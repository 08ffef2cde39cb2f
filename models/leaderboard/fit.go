package leaderboard

import (
	"fmt"
	"math"
	"runtime"
	"sort"
	"time"

	"github.com/arena-video/arena/models"
	"github.com/arena-video/arena/models/rating"
)

// Options configures how leaderboards are computed.
type Options struct {
	// Rounds is the number of bootstrap rounds behind the 95% intervals;
	// 0 means 1000.
	Rounds int
	// Seed makes the bootstrap reproducible; 0 means 1.
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
	// MaxAge bounds how long a cached leaderboard is served before the
	// newest snapshot is looked up again, to pick up snapshots another
	// instance wrote; 0 means 5 seconds.
	MaxAge time.Duration
}

func (o Options) withDefaults() Options {
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
	if o.MaxAge <= 0 {
		o.MaxAge = 5 * time.Second
	}
	return o
}

// mergeCategories adds up tallies that differ only by category, in model
// order, as the all-category leaderboard of a pool needs.
func mergeCategories(ts []models.Tally) []models.Tally {
	type k struct {
		a, b   uint
		choice string
	}
	sum := make(map[k]int64)
	for _, t := range ts {
		sum[k{t.ModelAID, t.ModelBID, t.Choice}] += t.N
	}
	out := make([]models.Tally, 0, len(sum))
	for key, n := range sum {
		out = append(out, models.Tally{ModelAID: key.a, ModelBID: key.b, Choice: key.choice, N: n})
	}
	sortTallies(out)
	return out
}

// sortTallies puts tallies in the order fingerprints and fits expect: by
// model A, model B, then choice.
func sortTallies(ts []models.Tally) {
	sort.Slice(ts, func(i, j int) bool {
		x, y := ts[i], ts[j]
		if x.ModelAID != y.ModelAID {
			return x.ModelAID < y.ModelAID
		}
		if x.ModelBID != y.ModelBID {
			return x.ModelBID < y.ModelBID
		}
		return x.Choice < y.Choice
	})
}

// fit runs the rating math on the tallies of one pool and category, dated
// at. anchorID is the model pinned at the anchor score, 0 for none; a
// leaderboard it has no votes in is centred instead.
func fit(o Options, pool, category string, ts []models.Tally, anchorID uint, at time.Time, withWeights bool) (*Leaderboard, error) {
	counts, ids, err := countsOf(ts)
	if err != nil {
		return nil, err
	}
	lb := &Leaderboard{Pool: pool, Category: category, ComputedAt: at.UTC(), Votes: counts.Total(), Fingerprint: fingerprint(ts, o), Method: rating.MethodVersion}
	if len(ids) == 0 {
		return lb, nil
	}
	ro := ratingOptions(o, ids, anchorID)
	res, err := rating.Compute(counts, ro)
	if err != nil {
		return nil, fmt.Errorf("rank %s: %w", Key(pool, category), err)
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
			BothBad: m.BothBad, BothBadRate: bothBadRate(m.BothBad, m.Votes),
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

// outcomeOf maps a stored choice to the rating package's outcome.
func outcomeOf(choice string) (rating.Outcome, bool) {
	switch choice {
	case models.ChoiceA:
		return rating.OutcomeA, true
	case models.ChoiceB:
		return rating.OutcomeB, true
	case models.ChoiceTie:
		return rating.OutcomeTie, true
	case models.ChoiceBothBad:
		return rating.OutcomeBothBad, true
	}
	return 0, false
}

// countsOf numbers the models that appear in the tallies by ascending id and
// aggregates the tallies into rating counts. ids[i] is model i's id.
func countsOf(ts []models.Tally) (c *rating.Counts, ids []uint, err error) {
	seen := make(map[uint]bool)
	for _, t := range ts {
		if t.ModelAID == t.ModelBID {
			continue // cannot happen through the arena; never let it reach the fit
		}
		seen[t.ModelAID], seen[t.ModelBID] = true, true
	}
	ids, index := numberModels(seen)
	c = rating.NewCounts(len(ids))
	for _, t := range ts {
		o, ok := outcomeOf(t.Choice)
		if !ok || t.ModelAID == t.ModelBID {
			continue
		}
		if err := c.Add(index[t.ModelAID], index[t.ModelBID], o, t.N); err != nil {
			return nil, nil, err
		}
	}
	return c, ids, nil
}

// ratingOptions are the rating math's options for a fit of the models ids
// (in the order of the fit's counts), with anchorID pinned at the anchor
// score when it is among them.
func ratingOptions(o Options, ids []uint, anchorID uint) rating.Options {
	ro := rating.DefaultOptions()
	ro.Rounds, ro.Seed, ro.Workers = o.Rounds, o.Seed, o.Workers
	for i, id := range ids {
		if anchorID != 0 && id == anchorID {
			ro.Anchor, ro.AnchorScore = i, o.AnchorScore
		}
	}
	return ro
}

// numberModels numbers the models in seen by ascending id, as a fit's
// counts index them: ids[i] is model i's id, and index its inverse.
func numberModels(seen map[uint]bool) (ids []uint, index map[uint]int) {
	ids = make([]uint, 0, len(seen))
	for id := range seen {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	index = make(map[uint]int, len(ids))
	for i, id := range ids {
		index[id] = i
	}
	return ids, index
}
