package leaderboard

import (
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
	"time"

	"github.com/arena-video/arena/models"
)

// Leaderboard is one computed ranking: a pool, optionally narrowed to one
// category. It is what a snapshot's body holds. Model details (name,
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
	// PairWeights[i][j] is how much a new matchup between the two models
	// would teach us; only the all-category leaderboard of a pool has them.
	PairWeights [][]float64 `json:"pair_weights,omitempty"`
	// Style is the style-controlled board of the same pool and category, nil
	// when no vote compared two clips with measured features.
	Style *StyleBoard `json:"style,omitempty"`
	// Pairs holds the votes of every pair that met, for head-to-head
	// records. Like the matrices, only the newest board of a key keeps it:
	// older boards keep their standings alone (compactBoard).
	Pairs []PairTally `json:"pairs,omitempty"`
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
	// BothBad counts the votes (among Ties) where voters said both clips
	// were bad; BothBadRate is its share of Votes, an absolute-quality
	// signal that win rates hide.
	BothBad     int64   `json:"both_bad"`
	BothBadRate float64 `json:"both_bad_rate"`
	// RankChange is the rank 7 days ago minus the rank now (positive: it
	// climbed); nil when the model was not ranked then.
	RankChange *int `json:"rank_change,omitempty"`
}

// StandingOf returns the model's standing and its index, or -1 when the
// model is not on the leaderboard.
func (lb *Leaderboard) StandingOf(modelID uint) (Standing, int) {
	for i, st := range lb.Standings {
		if st.ModelID == modelID {
			return st, i
		}
	}
	return Standing{}, -1
}

// keyPrefix starts the snapshot key of every leaderboard.
const keyPrefix = "lb:"

// Key names the snapshots of one pool and category (empty for every
// category).
func Key(pool, category string) string {
	return keyPrefix + pool + "/" + category
}

// parseKey splits a snapshot key made by Key; ok is false for other keys.
func parseKey(key string) (pool, category string, ok bool) {
	rest, ok := strings.CutPrefix(key, keyPrefix)
	if !ok {
		return "", "", false
	}
	pool, category, ok = strings.Cut(rest, "/")
	return pool, category, ok
}

// fingerprint hashes the tallies of one leaderboard and the options, in a
// fixed order, so that equal inputs give equal fingerprints.
func fingerprint(ts []models.Tally, o Options) string {
	h := fnv.New64a()
	fmt.Fprintf(h, "%d|%d|%s|%g\n", o.Rounds, o.Seed, o.AnchorSlug, o.AnchorScore)
	// The lines "a|b|choice|n\n", appended by hand: fmt costs more than the
	// hashing, and a history rebuild fingerprints every step's board.
	var line []byte
	for _, t := range ts {
		line = strconv.AppendUint(line[:0], uint64(t.ModelAID), 10)
		line = append(line, '|')
		line = strconv.AppendUint(line, uint64(t.ModelBID), 10)
		line = append(line, '|')
		line = append(line, t.Choice...)
		line = append(line, '|')
		line = strconv.AppendInt(line, t.N, 10)
		line = append(line, '\n')
		h.Write(line)
	}
	return strconv.FormatUint(h.Sum64(), 16)
}
