package leaderboard

import (
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strconv"
	"strings"
)

// RowsSHA256 is the SHA-256, in hex, of a stored board's rows: one line
// per model, sorted by slug, "slug,score,ci_lower,ci_upper,votes,win_rate"
// with the numbers as the JSON gives them. Ranks are left out on purpose:
// they are counted among the models listed, which an admin retiring one
// changes, while the rows a board was computed with never change. Anyone
// can recompute it from the JSON of the board with retired=1.
func RowsSHA256(lb *Leaderboard, slugOf func(modelID uint) string) string {
	lines := make([]string, 0, len(lb.Standings))
	f := func(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }
	for _, st := range lb.Standings {
		lines = append(lines, strings.Join([]string{slugOf(st.ModelID), f(st.Score), f(st.CILower), f(st.CIUpper),
			strconv.FormatInt(st.Votes, 10), f(st.WinRate)}, ",")+"\n")
	}
	sort.Strings(lines)
	h := sha256.New()
	for _, l := range lines {
		h.Write([]byte(l))
	}
	return hex.EncodeToString(h.Sum(nil))
}
