package leaderboard

import (
	"fmt"
	"hash/fnv"
	"math"
	"sort"
	"strconv"

	"github.com/arena-video/arena/models/rating"
)

// StyleBoard is the style-controlled leaderboard beside a raw one: the same
// models ranked with the clips' style differences held equal, from the
// votes whose two clips both have measured features.
type StyleBoard struct {
	// Votes is the number of votes the style fit used; the raw board's
	// other votes (imported ones, or on clips not yet measured) are not in
	// it.
	Votes     int64           `json:"votes"`
	Standings []StyleStanding `json:"standings"` // by rank, then score
	// Features names the features that entered the fit; Dropped those left
	// out because they never differed (such as has_audio in a silent pool).
	Features     []string           `json:"features"`
	Dropped      []string           `json:"dropped,omitempty"`
	Coefficients []StyleCoefficient `json:"coefficients"`
}

// StyleStanding is one model's place on the style-controlled board.
type StyleStanding struct {
	ModelID   uint    `json:"model_id"`
	Score     float64 `json:"score"`
	CILower   float64 `json:"ci_lower"`
	CIUpper   float64 `json:"ci_upper"`
	Rank      int     `json:"rank"`
	RankBest  int     `json:"rank_best"`
	RankWorst int     `json:"rank_worst"`
	Votes     int64   `json:"votes"`
	// RankChangeVsRaw is the model's raw rank minus its style-controlled
	// rank: positive when holding style equal moves it up.
	RankChangeVsRaw int `json:"rank_change_vs_raw"`
}

// StyleCoefficient is one feature's effect: Value is the change in the
// log-odds of winning per standard deviation of the feature's difference
// between the two clips, with its 95% interval; Odds* are e^Value and its
// interval, the factor the odds are multiplied by.
type StyleCoefficient struct {
	Name      string  `json:"name"`
	Value     float64 `json:"value"`
	CILower   float64 `json:"ci_lower"`
	CIUpper   float64 `json:"ci_upper"`
	Odds      float64 `json:"odds"`
	OddsLower float64 `json:"odds_lower"`
	OddsUpper float64 `json:"odds_upper"`
	// Description says it in words for people.
	Description string `json:"description"`
}

// styleFit is a style-controlled board fitted on all of its votes, its
// bootstrap still to run: alone (Compute) or with the rest of its
// pool's (Recompute).
type styleFit struct {
	ids   []uint       // the fit's models by index
	index map[uint]int // and its inverse
	fit   *rating.StyleFit
}

// styleCells are a board's votes with features on both sides, counted for
// its style fit: its models by index, their inverse, and the counts.
type styleCells struct {
	ids   []uint
	index map[uint]int
	sc    *rating.StyleCounts
}

// countStyle counts the votes of cells (any categories: the rating cells
// merge them) whose clips both have features; votes on a clip without
// features are left out. It returns nil when no vote has features on both
// sides.
func countStyle(cells cellGroups, styles clipStyles) (*styleCells, error) {
	seen := map[uint]bool{}
	for c := range cells.all() {
		if _, _, ok := styles.of(c); ok && c.ModelAID != c.ModelBID {
			seen[c.ModelAID], seen[c.ModelBID] = true, true
		}
	}
	out, err := newStyleCells(seen)
	if out == nil || err != nil {
		return nil, err
	}
	for c := range cells.all() {
		a, b, ok := styles.of(c)
		o, okO := outcomeOf(c.Choice)
		if !ok || !okO || c.ModelAID == c.ModelBID {
			continue
		}
		if err := out.sc.Add(out.index[c.ModelAID], out.index[c.ModelBID], a[:], b[:], o, c.N); err != nil {
			return nil, fmt.Errorf("style votes between models %d and %d: %w", c.ModelAID, c.ModelBID, err)
		}
	}
	return out, nil
}

// mergeStyle adds up the style counts of a pool's categories (parts, nil
// for one without styled votes), in the order countStyle would have met
// their votes in the pool's cells, so that the result equals countStyle's
// of those cells: same models, same counts, same cell order.
func mergeStyle(parts []*styleCells) (*styleCells, error) {
	seen := map[uint]bool{}
	for _, p := range parts {
		for _, id := range p.idsOrNone() {
			seen[id] = true
		}
	}
	out, err := newStyleCells(seen)
	if out == nil || err != nil {
		return nil, err
	}
	for _, p := range parts {
		if p == nil {
			continue
		}
		idx := make([]int, len(p.ids))
		for i, id := range p.ids {
			idx[i] = out.index[id]
		}
		if err := out.sc.AddCounts(p.sc, idx); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// newStyleCells numbers the models in seen and makes empty style counts
// for them; nil when seen is empty.
func newStyleCells(seen map[uint]bool) (*styleCells, error) {
	if len(seen) == 0 {
		return nil, nil
	}
	ids, index := numberModels(seen)
	sc, err := rating.NewStyleCounts(len(ids), rating.VideoStyleFeatures())
	if err != nil {
		return nil, err
	}
	return &styleCells{ids: ids, index: index, sc: sc}, nil
}

// idsOrNone is sc's models, none for nil.
func (sc *styleCells) idsOrNone() []uint {
	if sc == nil {
		return nil
	}
	return sc.ids
}

// prepare fits the style-controlled board of one leaderboard, key, from
// its counts; nil counts give a nil fit.
func (sc *styleCells) prepare(o Options, key string, anchorID uint) (*styleFit, error) {
	if sc == nil {
		return nil, nil
	}
	ro := ratingOptions(o, sc.ids, anchorID)
	ro.Seed = styleSeed(ro.Seed, key)
	f, err := rating.PrepareStyle(sc.sc, ro)
	if err != nil {
		return nil, err
	}
	return &styleFit{ids: sc.ids, index: sc.index, fit: f}, nil
}

// styleSeed gives each board's style bootstrap a seed of its own: a pool's
// rounds are composed from its categories' (see
// rating.BootstrapStylePool), whose draws must be independent of each
// other's.
func styleSeed(seed uint64, key string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(key))
	return seed ^ h.Sum64()
}

// board returns the style-controlled board once the fit's bootstrap has
// run.
func (sf *styleFit) board() *StyleBoard {
	res, ids := sf.fit.Result(), sf.ids
	sb := &StyleBoard{Votes: res.Votes, Dropped: res.Dropped}
	for _, c := range res.Coefficients {
		v, lo, hi := c.Odds()
		sb.Features = append(sb.Features, c.Name)
		sb.Coefficients = append(sb.Coefficients, StyleCoefficient{
			Name: c.Name, Value: round(c.Value, 4), CILower: round(c.Lower, 4), CIUpper: round(c.Upper, 4),
			Odds: round(v, 3), OddsLower: round(lo, 3), OddsUpper: round(hi, 3), Description: c.Describe(),
		})
	}
	for i, m := range res.Models {
		if !m.Ranked {
			continue
		}
		sb.Standings = append(sb.Standings, StyleStanding{
			ModelID: ids[i], Score: round(m.Score, 2), CILower: round(m.Lower, 2), CIUpper: round(m.Upper, 2),
			Rank: m.Rank, RankBest: m.RankBest, RankWorst: m.RankWorst, Votes: m.Votes,
		})
	}
	sort.SliceStable(sb.Standings, func(x, y int) bool {
		a, b := sb.Standings[x], sb.Standings[y]
		if a.Rank != b.Rank {
			return a.Rank < b.Rank
		}
		return a.Score > b.Score
	})
	return sb
}

// setRankChangesVsRaw sets each style standing's rank change against the
// raw board of the same votes.
func (sb *StyleBoard) setRankChangesVsRaw(raw *Leaderboard) {
	rawRank := make(map[uint]int, len(raw.Standings))
	for _, st := range raw.Standings {
		rawRank[st.ModelID] = st.Rank
	}
	for i, st := range sb.Standings {
		if r, ok := rawRank[st.ModelID]; ok {
			sb.Standings[i].RankChangeVsRaw = r - st.Rank
		}
	}
}

// styleFingerprint hashes the cells with features on both sides and
// those features, so a board is refitted when a clip is measured (or
// measured again) even if no vote changed. It is "" when no vote has
// features on both sides, so a board without a style board keeps the raw
// fingerprint (which history rebuilds compute alone). An imported vector's
// number stands for its features: it never changes.
func styleFingerprint(cells cellGroups, styles clipStyles) string {
	var h fingerprintHash
	rows := 0
	for c := range cells.all() {
		a, b, ok := styles.of(c)
		if !ok {
			continue
		}
		rows++
		h.add(uint64(c.ModelAID), uint64(c.ModelBID), uint64(c.ClipAID), uint64(c.ClipBID), uint64(c.StyleAID), uint64(c.StyleBID), uint64(c.N))
		h.addString(c.Choice)
		if c.StyleAID == 0 {
			for f := range a {
				h.add(math.Float64bits(a[f]), math.Float64bits(b[f]))
			}
		}
	}
	if rows == 0 {
		return ""
	}
	return strconv.FormatUint(h.sum(), 16)
}

// bothBadRate is the share of a model's votes where both clips were bad.
func bothBadRate(bothBad, votes int64) float64 {
	if votes == 0 {
		return 0
	}
	return round(float64(bothBad)/float64(votes), 4)
}
