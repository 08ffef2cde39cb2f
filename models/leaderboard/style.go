package leaderboard

import (
	"fmt"
	"hash/fnv"
	"sort"
	"strconv"

	"github.com/arena-video/arena/models"
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

// fitStyle computes the style-controlled board from the clip-level tallies
// of one leaderboard (any categories: the cells merge them) and the clips'
// features; votes on an unmeasured clip are left out. raw is the raw board
// of the same votes, for the rank change. It returns nil when no vote has
// measured clips on both sides.
func fitStyle(o Options, ts []models.StyleTally, styles map[uint]models.ClipStyle, anchorID uint, raw *Leaderboard) (*StyleBoard, error) {
	seen := map[uint]bool{}
	for _, t := range ts {
		_, okA := styles[t.ClipAID]
		_, okB := styles[t.ClipBID]
		if okA && okB && t.ModelAID != t.ModelBID {
			seen[t.ModelAID], seen[t.ModelBID] = true, true
		}
	}
	if len(seen) == 0 {
		return nil, nil
	}
	ids, index := numberModels(seen)
	sc, err := rating.NewStyleCounts(len(ids), rating.VideoStyleFeatures())
	if err != nil {
		return nil, err
	}
	for _, t := range ts {
		a, okA := styles[t.ClipAID]
		b, okB := styles[t.ClipBID]
		o, okO := outcomeOf(t.Choice)
		if !okA || !okB || !okO || t.ModelAID == t.ModelBID {
			continue
		}
		if err := sc.Add(index[t.ModelAID], index[t.ModelBID], a[:], b[:], o, t.N); err != nil {
			return nil, fmt.Errorf("style votes between clips %d and %d: %w", t.ClipAID, t.ClipBID, err)
		}
	}
	ro := ratingOptions(o, ids, anchorID)
	res, err := rating.ComputeStyle(sc, ro)
	if err != nil {
		return nil, err
	}
	sb := &StyleBoard{Votes: res.Votes, Dropped: res.Dropped}
	for _, c := range res.Coefficients {
		v, lo, hi := c.Odds()
		sb.Features = append(sb.Features, c.Name)
		sb.Coefficients = append(sb.Coefficients, StyleCoefficient{
			Name: c.Name, Value: round(c.Value, 4), CILower: round(c.Lower, 4), CIUpper: round(c.Upper, 4),
			Odds: round(v, 3), OddsLower: round(lo, 3), OddsUpper: round(hi, 3), Description: c.Describe(),
		})
	}
	rawRank := map[uint]int{}
	if raw != nil {
		for _, st := range raw.Standings {
			rawRank[st.ModelID] = st.Rank
		}
	}
	for i, m := range res.Models {
		if !m.Ranked {
			continue
		}
		st := StyleStanding{
			ModelID: ids[i], Score: round(m.Score, 2), CILower: round(m.Lower, 2), CIUpper: round(m.Upper, 2),
			Rank: m.Rank, RankBest: m.RankBest, RankWorst: m.RankWorst, Votes: m.Votes,
		}
		if r, ok := rawRank[ids[i]]; ok {
			st.RankChangeVsRaw = r - m.Rank
		}
		sb.Standings = append(sb.Standings, st)
	}
	sort.SliceStable(sb.Standings, func(x, y int) bool {
		a, b := sb.Standings[x], sb.Standings[y]
		if a.Rank != b.Rank {
			return a.Rank < b.Rank
		}
		return a.Score > b.Score
	})
	return sb, nil
}

// styleFingerprint hashes the clip-level tallies and the features of their
// clips, so a board is refitted when a clip is measured (or measured again)
// even if no vote changed. It is "" when no vote compared two measured
// clips, so a board without a style board keeps the raw fingerprint (which
// history rebuilds compute alone).
func styleFingerprint(ts []models.StyleTally, styles map[uint]models.ClipStyle) string {
	h := fnv.New64a()
	rows := 0
	for _, t := range ts {
		a, okA := styles[t.ClipAID]
		b, okB := styles[t.ClipBID]
		if !okA || !okB {
			continue
		}
		rows++
		fmt.Fprintf(h, "%d|%d|%d|%d|%s|%d|%v|%v\n", t.ModelAID, t.ModelBID, t.ClipAID, t.ClipBID, t.Choice, t.N, a, b)
	}
	if rows == 0 {
		return ""
	}
	return strconv.FormatUint(h.Sum64(), 16)
}

// bothBadRate is the share of a model's votes where both clips were bad.
func bothBadRate(bothBad, votes int64) float64 {
	if votes == 0 {
		return 0
	}
	return round(float64(bothBad)/float64(votes), 4)
}
