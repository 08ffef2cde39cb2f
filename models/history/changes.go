package history

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"time"
)

// Kind is what happened to a model on a board.
type Kind string

// The kinds of change the feed publishes.
const (
	Entered Kind = "entered" // listed for the first time, or again
	Up      Kind = "up"      // a better (smaller) rank than on the board before
	Down    Kind = "down"    // a worse rank
	Retired Kind = "retired" // an admin retired the model
)

// Row is one model on a board, as the public sees it: its rank among the
// listed models, and whether it is listed as ranked (active, with enough
// votes) rather than provisional or hidden.
type Row struct {
	ModelID uint
	Rank    int
	Listed  bool
}

// Change is one model's difference between two successive boards.
type Change struct {
	ModelID  uint
	Kind     Kind
	Rank     int // on the newer board
	PrevRank int // on the older board; 0 when it was not listed there
}

// Changes compares a pool's board with the one before it (prev is nil for
// the first board) and lists, by model id, every model that became listed
// and every listed model whose rank changed. A model that stops being
// listed (retired, or its votes invalidated) is not a change here: a
// retirement is recorded when it happens.
func Changes(prev, cur []Row) []Change {
	before := make(map[uint]Row, len(prev))
	for _, r := range prev {
		before[r.ModelID] = r
	}
	var out []Change
	for _, r := range cur {
		if !r.Listed {
			continue
		}
		p, ok := before[r.ModelID]
		switch {
		case !ok || !p.Listed:
			out = append(out, Change{ModelID: r.ModelID, Kind: Entered, Rank: r.Rank})
		case r.Rank < p.Rank:
			out = append(out, Change{ModelID: r.ModelID, Kind: Up, Rank: r.Rank, PrevRank: p.Rank})
		case r.Rank > p.Rank:
			out = append(out, Change{ModelID: r.ModelID, Kind: Down, Rank: r.Rank, PrevRank: p.Rank})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ModelID < out[j].ModelID })
	return out
}

// Key identifies a change in a pool at a time by what it says, so that
// finding it again (a second history rebuild, a refetched feed) gives the
// same key: the feed's entry ids come from it and never change.
func Key(pool string, c Change, at time.Time) string {
	sum := sha256.Sum256(fmt.Appendf(nil, "%s|%d|%s|%d|%d|%s", pool, c.ModelID, c.Kind, c.Rank, c.PrevRank, at.UTC().Format(time.RFC3339Nano)))
	return hex.EncodeToString(sum[:])
}
