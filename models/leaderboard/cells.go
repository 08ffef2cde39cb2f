package leaderboard

import (
	"context"
	"iter"

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

// styles loads the features the style fit looks clips up in.
func (b *Boards) styles(ctx context.Context) (clipStyles, error) {
	measured, err := b.src.MeasuredClipStyles(ctx)
	if err != nil {
		return clipStyles{}, err
	}
	imported, err := b.src.ImportedClipStyles(ctx)
	if err != nil {
		return clipStyles{}, err
	}
	return newClipStyles(measured, imported), nil
}

// cellGroups are a board's counted cells in the order the counting query
// yields them, one slice per pool and category: a pool's board reads its
// categories' cells where they lie. Copying a million votes' cells into one
// slice cost more than a tenth of the counting, and the garbage collector
// then scanned both copies while the boards were fitted.
type cellGroups [][]models.VoteCell

// all yields every cell of every group.
func (g cellGroups) all() iter.Seq[models.VoteCell] {
	return func(yield func(models.VoteCell) bool) {
		for _, cs := range g {
			for _, c := range cs {
				if !yield(c) {
					return
				}
			}
		}
	}
}

// cells counts the votes f selects for both boards, with the features the
// style fit needs.
func (b *Boards) cells(ctx context.Context, f models.TallyFilter) (cellGroups, clipStyles, error) {
	styles, err := b.styles(ctx)
	if err != nil {
		return nil, styles, err
	}
	var cells cellGroups
	err = b.src.EachVoteCells(ctx, f, func(cs []models.VoteCell) error {
		cells = append(cells, cs)
		return nil
	})
	return cells, styles, err
}

// cellTallies adds the cells up by models and choice, over clips and
// categories, in the order fingerprints and the raw fit expect.
func cellTallies(cells cellGroups) []models.Tally {
	// Cells of one category that differ only by clips are adjacent: adding
	// those first leaves mergeCategories a few rows a model pair.
	var runs []models.Tally
	for c := range cells.all() {
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

// poolTallies are a pool's tallies from its categories' (parts, already
// tallied) and its cells without a category, the same as cellTallies of
// all of its cells: the counts are integers, so the order they are added
// in does not matter.
func poolTallies(parts []*boardFit, cells cellGroups) []models.Tally {
	var ts []models.Tally
	for _, f := range parts {
		ts = append(ts, f.tallies...)
	}
	for _, cs := range cells {
		if len(cs) > 0 && cs[0].Category == "" {
			ts = append(ts, cellTallies(cellGroups{cs})...)
		}
	}
	return mergeCategories(ts)
}
