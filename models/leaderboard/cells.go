package leaderboard

import (
	"context"

	"github.com/arena-video/arena/models"
)

// clipStyles are the features the style-controlled boards look a vote's
// clips up in: measured clips by id for live votes, numbered vectors for
// imported ones.
type clipStyles struct {
	measured map[uint]models.ClipStyle
	// imported is indexed by number (numbers are dense from 1); known
	// says which are set.
	imported []models.ClipStyle
	known    []bool
}

// newClipStyles keeps the features for look-ups by cell.
func newClipStyles(measured, imported map[uint]models.ClipStyle) clipStyles {
	cs := clipStyles{measured: measured}
	for id := range imported {
		if int(id) >= len(cs.imported) {
			cs.imported = append(cs.imported, make([]models.ClipStyle, int(id)+1-len(cs.imported))...)
		}
	}
	cs.known = make([]bool, len(cs.imported))
	for id, c := range imported {
		cs.imported[id], cs.known[id] = c, true
	}
	return cs
}

// importedStyle returns a numbered vector.
func (cs clipStyles) importedStyle(id uint) (models.ClipStyle, bool) {
	if id >= uint(len(cs.known)) || !cs.known[id] {
		return models.ClipStyle{}, false
	}
	return cs.imported[id], true
}

// of returns the features of a cell's two clips, or ok false when either
// is unknown (a clip not measured yet, an imported vote without style).
func (cs clipStyles) of(c models.VoteCell) (a, b models.ClipStyle, ok bool) {
	if c.StyleAID != 0 && c.StyleBID != 0 {
		var okA, okB bool
		a, okA = cs.importedStyle(c.StyleAID)
		b, okB = cs.importedStyle(c.StyleBID)
		return a, b, okA && okB
	}
	var okA, okB bool
	a, okA = cs.measured[c.ClipAID]
	b, okB = cs.measured[c.ClipBID]
	return a, b, okA && okB
}

// cells counts the votes f selects for both boards, with the features the
// style fit needs; it reads no feature without a vote to use it.
func (b *Boards) cells(ctx context.Context, f models.TallyFilter) ([]models.VoteCell, clipStyles, error) {
	var cs clipStyles
	cells, err := b.src.VoteCells(ctx, f)
	if err != nil || len(cells) == 0 {
		return nil, cs, err
	}
	measured, err := b.src.MeasuredClipStyles(ctx)
	if err != nil {
		return nil, cs, err
	}
	imported, err := b.src.ImportedClipStyles(ctx)
	if err != nil {
		return nil, cs, err
	}
	return cells, newClipStyles(measured, imported), nil
}

// groupCells splits the cells of every pool into the cells of each
// leaderboard: a pool's, and each of its categories'. The cells come sorted
// by pool and category, so every leaderboard's are a run of them, shared,
// not copied.
func groupCells(cells []models.VoteCell) map[string][]models.VoteCell {
	groups := make(map[string][]models.VoteCell)
	poolStart, catStart := 0, 0
	for i := 1; i <= len(cells); i++ {
		end := i == len(cells)
		if end || cells[i].Pool != cells[i-1].Pool || cells[i].Category != cells[i-1].Category {
			if c := cells[i-1]; c.Category != "" {
				groups[Key(c.Pool, c.Category)] = cells[catStart:i]
			}
			catStart = i
		}
		if end || cells[i].Pool != cells[i-1].Pool {
			groups[Key(cells[i-1].Pool, "")] = cells[poolStart:i]
			poolStart = i
		}
	}
	return groups
}

// cellTallies adds the cells up by models and choice, over clips and
// categories, in the order fingerprints and the raw fit expect.
func cellTallies(cells []models.VoteCell) []models.Tally {
	// Cells of one category that differ only by clips are adjacent: adding
	// those first leaves mergeCategories a few rows a model pair.
	var runs []models.Tally
	for _, c := range cells {
		if n := len(runs); n > 0 {
			r := &runs[n-1]
			if r.ModelAID == c.ModelAID && r.ModelBID == c.ModelBID && r.Choice == c.Choice && r.Category == c.Category && r.Pool == c.Pool {
				r.N += c.N
				continue
			}
		}
		runs = append(runs, models.Tally{Pool: c.Pool, Category: c.Category, ModelAID: c.ModelAID, ModelBID: c.ModelBID, Choice: c.Choice, N: c.N})
	}
	return mergeCategories(runs)
}
