package rating

import (
	"fmt"
	"math/rand/v2"
)

// styleComposition draws a pool's style resample from its categories'
// resamples of the same round. The pool's votes are its categories' votes
// and a rest (votes in no category, or in categories bootstrapped apart).
// A multinomial(N) resample of the pool's votes is: group totals
// M_g ~ multinomial(N; N_g/N), then, within each group, a
// multinomial(M_g) resample of its votes. A category's own round drew a
// multinomial(N_g) resample as a Poisson part of T_g votes and then added
// votes one at a time (see styleSampler); when T_g ≤ M_g, that Poisson part
// with the first M_g − T_g added votes (undoing the last ones when
// M_g < N_g, adding more from the pool's generator when M_g > N_g) is
// multinomial(M_g), exactly as a fresh draw would be, and costs a pass
// over the category's sides instead of a draw. When T_g > M_g (about once
// in fifteen draws, see thinSDs) the group is drawn afresh. The rest
// is drawn afresh too. Every board's resample thus has the law the
// bootstrap states; only a pool's rounds and its categories' are
// correlated, which no published figure compares.
type styleComposition struct {
	n      int64   // the pool's votes
	groups []int64 // votes of each part, then of the rest
	parts  []compositionPart
	// The rest's cells, one of its rows per pool side with rest votes, and
	// those sides; rest is nil when there is none.
	rest     *styleSampler
	restSide []int32
	// aligned says the pool's rows are laid out as the parts' (see
	// align), part g's from row rowOff[g] on.
	aligned bool
	rowOff  []int
}

// compositionPart maps a category's sides onto its pool's.
type compositionPart struct {
	sampler *styleSampler // the category's, as its bootstrap draws
	// side[v] is the pool side the category's side v's votes are in, -1
	// for a side without votes; flip[v] is 1 when the pool's side sees the
	// pair the other way round (its wins of i are the category's wins of
	// j), else 0.
	side []int32
	flip []float64
}

// newStyleComposition maps each part's sides onto the pool's, parts[g]'s
// model i being the pool's model modelIndex[g][i]. It returns nil when the
// parts' votes are not the pool's: a part's vote missing from the pool, or
// a part's side whose votes are on several of the pool's sides (features
// constant in a category to within rounding, but not in the pool).
func newStyleComposition(pool *StyleFit, parts []*StyleFit, modelIndex [][]int) *styleComposition {
	pd := pool.d
	c := &styleComposition{}
	inParts := make([][3]int64, pd.sides())
	for g, f := range parts {
		sampler := newSidePairSampler(f.d.cells)
		if sampler == nil || len(modelIndex[g]) != f.s.N() {
			return nil
		}
		p := compositionPart{sampler: sampler, side: make([]int32, f.d.sides()), flip: make([]float64, f.d.sides())}
		for v := range p.side {
			p.side[v] = -1
		}
		for u, unit := range f.s.units {
			v := f.unitSide[u]
			if v < 0 {
				continue
			}
			key := unit.key
			key.i, key.j = int32(modelIndex[g][key.i]), int32(modelIndex[g][key.j])
			pu, ok := pool.s.index[key]
			if !ok || pool.unitSide[pu] < 0 {
				return nil
			}
			switch vp := pool.unitSide[pu]; {
			case p.side[v] < 0:
				p.side[v] = vp
			case p.side[v] != vp:
				return nil
			}
		}
		for v, vp := range p.side {
			if vp < 0 {
				continue
			}
			cells := f.d.cells[v]
			if (int32(v)^vp)&1 != 0 {
				p.flip[v] = 1
				cells[cellWinI], cells[cellWinJ] = cells[cellWinJ], cells[cellWinI]
			}
			for k := range cells {
				inParts[vp][k] += cells[k]
			}
		}
		c.parts = append(c.parts, p)
		c.groups = append(c.groups, sampler.total)
	}
	var rest [][3]int64
	var restVotes int64
	for vp, cells := range pd.cells {
		var r [3]int64
		for k := range cells {
			if r[k] = cells[k] - inParts[vp][k]; r[k] < 0 {
				return nil
			}
			restVotes += r[k]
		}
		if r != [3]int64{} {
			rest = append(rest, r)
			c.restSide = append(c.restSide, int32(vp))
		}
	}
	c.groups = append(c.groups, restVotes)
	for _, n := range c.groups {
		c.n += n
	}
	if restVotes > 0 {
		if c.rest = newStyleSampler(rest); c.rest == nil {
			return nil
		}
	} else {
		c.align(pool)
	}
	return c
}

// align lays the pool's rows out as its parts' rows end to end, in their
// order, when each of the pool's rows is one part's row seen the same way
// round (as when a prompt has one category and its clip pairs are its
// own): each part then draws straight into its block of the pool's rows
// and sums the pool's residuals as it goes, and composing only adds and
// undoes votes. The pool's fit does not depend on the order of its rows.
func (c *styleComposition) align(pool *StyleFit) {
	pd := pool.d
	rows := len(pd.i)
	order := make([]int32, 0, rows) // old row of each new row
	seen := make([]bool, rows)
	for g := range c.parts {
		side := c.parts[g].side
		for r := 0; r < len(side); r += 2 {
			a, b := side[r], side[r+1]
			var row int32
			switch {
			case a >= 0 && a&1 == 0 && (b < 0 || b == a+1):
				row = a / 2
			case a < 0 && b >= 0 && b&1 == 1:
				row = b / 2
			default:
				return
			}
			if seen[row] {
				return
			}
			seen[row] = true
			order = append(order, row)
		}
	}
	if len(order) != rows {
		return
	}
	p := pd.p
	newSide := make([]int32, pd.sides())
	i, j, y := make([]int32, rows), make([]int32, rows), make([]float64, rows*p)
	cells := make([][3]int64, pd.sides())
	total, halfWi, prob := make([]float64, pd.sides()), make([]float64, pd.sides()), make([]float64, pd.sides())
	for r, old := range order {
		i[r], j[r] = pd.i[old], pd.j[old]
		copy(y[r*p:r*p+p], pd.y[int(old)*p:int(old)*p+p])
		for s := range 2 {
			v, o := 2*r+s, 2*int(old)+s
			newSide[o] = int32(v)
			cells[v], total[v], halfWi[v], prob[v] = pd.cells[o], pd.total[o], pd.halfWi[o], pool.boot.prob[o]
		}
	}
	pd.i, pd.j, pd.y, pd.cells, pd.total, pd.halfWi = i, j, y, cells, total, halfWi
	copy(pool.boot.prob, prob)
	for u, v := range pool.unitSide {
		if v >= 0 {
			pool.unitSide[u] = newSide[v]
		}
	}
	off := 0
	for g := range c.parts {
		side := c.parts[g].side
		for v := range side {
			if side[v] >= 0 {
				side[v] = int32(2*off + v)
			}
		}
		c.rowOff = append(c.rowOff, off)
		off += len(side) / 2
	}
	c.aligned = true
}

// drawAligned is draw for a composition whose pool rows are laid out as
// its parts' (see align): the parts' resamples are already in halfWi and
// total, and their residuals at the pool's fit in sinks; it adds and
// undoes votes per part, or draws a part afresh, and returns the pool's
// side-0 residuals minus its side-1 ones.
func (c *styleComposition) drawAligned(src *rand.PCG, recs []drawRecord, sinks []residualSink, halfWi, total []float64) float64 {
	left, mass := c.n, c.n
	diff := 0.0
	for g := range c.parts {
		p, rec, q := &c.parts[g], &recs[g], &sinks[g]
		n := c.groups[g]
		m := binomial(src, left, float64(n)/float64(mass))
		left, mass = left-m, mass-n
		lo := 2 * c.rowOff[g]
		hw, tt := halfWi[lo:lo+len(p.side)], total[lo:lo+len(p.side)]
		if rec.poisson > m {
			p.sampler.drawPairsTo(src, m, hw, tt, nil, nil, q)
		} else {
			if m < n {
				for _, cell := range rec.added[m-rec.poisson:] {
					v, kind := int(cell>>2), cell&3
					tt[v]--
					hw[v] -= cellShare(kind)
					q.add(v, kind, -1)
				}
			}
			for range m - n {
				cell := p.sampler.addDraw(src)
				v, kind := int(cell>>2), cell&3
				tt[v]++
				hw[v] += cellShare(kind)
				q.add(v, kind, 1)
			}
		}
		diff += q.side0 - q.side1
	}
	return diff
}

// compositionState is one worker's scratch space for composing.
type compositionState struct {
	half, total         [][]float64 // a part's fresh draw
	restHalf, restTotal []float64
}

func (c *styleComposition) newState() *compositionState {
	st := &compositionState{half: make([][]float64, len(c.parts)), total: make([][]float64, len(c.parts))}
	for g, p := range c.parts {
		st.half[g], st.total[g] = make([]float64, len(p.side)), make([]float64, len(p.side))
	}
	st.restHalf, st.restTotal = make([]float64, len(c.restSide)), make([]float64, len(c.restSide))
	return st
}

// draw writes the pool's resample into halfWi and total, given each part's
// resample of the round (its half-wins and totals per side, and its
// record), drawing the rest from src.
func (c *styleComposition) draw(src *rand.PCG, st *compositionState, partHalf, partTotal [][]float64, recs []drawRecord, halfWi, total []float64) {
	clear(halfWi)
	clear(total)
	left, mass := c.n, c.n
	for g := range c.parts {
		p, rec := &c.parts[g], &recs[g]
		n := c.groups[g]
		m := binomial(src, left, float64(n)/float64(mass))
		left, mass = left-m, mass-n
		if rec.poisson > m {
			p.sampler.drawPairsTo(src, m, st.half[g], st.total[g], nil, nil, nil)
			p.scatter(st.half[g], st.total[g], halfWi, total)
			continue
		}
		p.scatter(partHalf[g], partTotal[g], halfWi, total)
		if m < n {
			for _, cell := range rec.added[m-rec.poisson:] {
				p.add(cell, -1, halfWi, total)
			}
		}
		for range m - n {
			p.add(p.sampler.addDraw(src), 1, halfWi, total)
		}
	}
	if c.rest != nil {
		c.rest.drawTo(src, left, st.restHalf, st.restTotal)
		for r, vp := range c.restSide {
			halfWi[vp] += st.restHalf[r]
			total[vp] += st.restTotal[r]
		}
	}
}

// scatter adds a part's resample, per side, to the pool's.
func (p *compositionPart) scatter(half, tot, halfWi, total []float64) {
	side, flip := p.side, p.flip[:len(p.side)]
	half, tot = half[:len(side)], tot[:len(side)]
	for v, vp := range side {
		if vp < 0 {
			continue
		}
		t, h := tot[v], half[v]
		total[vp] += t
		halfWi[vp] += h + flip[v]*(t-2*h)
	}
}

// add adds sign votes of a part's cell (row<<2 | kind, as the sampler
// gives it) to the pool's resample.
func (p *compositionPart) add(cell uint32, sign float64, halfWi, total []float64) {
	v := int(cell >> 2)
	share := cellShare(cell & 3)
	share += p.flip[v] * (1 - 2*share)
	vp := p.side[v]
	total[vp] += sign
	halfWi[vp] += sign * share
}

// jointBlock is how many consecutive rounds a worker draws for each board
// of a pool in turn: a category's sampler tables (guide tables, votes to
// add) then stay in the cache over the block, where drawn round by round
// the six boards' tables evict each other and the categories' draws cost
// half as much again. Each round of the block keeps its categories'
// resamples for the pool's.
const jointBlock = 8

// jointState is one worker's scratch space for a pool's joint rounds.
type jointState struct {
	parts []*styleRoundState
	// Per round of a block, per part: the part's resample and its record.
	half, total [][][]float64
	recs        [][]drawRecord
	pool        *styleRoundState
	comp        *compositionState
	// For an aligned composition, per round of a block: the pool's
	// resample (the parts' resamples are its blocks), its residuals per
	// row, and each part's sink for them.
	poolHalf, poolTotal, poolRes [][]float64
	sinks                        [][]residualSink
}

// BootstrapStylePool bootstraps a pool's style-controlled board and its
// categories' (parts) together, round r of every board in one go, the
// pool's resample composed from its categories' (see styleComposition):
// this saves most of the pool's draws. parts[g]'s model i is the pool's
// model modelIndex[g][i]. Each board's round r still draws from its own
// generator, seeded by (its seed, r), so the results do not depend on the
// number of workers, and each category's are those ComputeStyle gives; the
// boards' seeds must differ, or their draws would not be independent.
// Boards that cannot be composed (no rounds, other round counts, votes that
// are not the pool's) are bootstrapped alone. Take each board's Result
// afterwards.
func BootstrapStylePool(pool *StyleFit, parts []*StyleFit, modelIndex [][]int) error {
	var joined []*StyleFit
	var index [][]int
	for g, f := range parts {
		if pool.boot == nil || f.boot == nil || f.opts.Rounds != pool.opts.Rounds {
			if err := f.Bootstrap(); err != nil {
				return err
			}
			continue
		}
		joined, index = append(joined, f), append(index, modelIndex[g])
	}
	if pool.boot == nil {
		return nil
	}
	seeds := map[uint64]bool{pool.opts.Seed: true}
	for _, f := range joined {
		if seeds[f.opts.Seed] {
			return fmt.Errorf("rating: a pool's boards bootstrapped together need distinct seeds")
		}
		seeds[f.opts.Seed] = true
	}
	boards := append(joined[:len(joined):len(joined)], pool)
	var comp *styleComposition
	if len(joined) > 0 {
		comp = newStyleComposition(pool, joined, index)
	}
	if comp == nil {
		for _, f := range boards {
			if err := f.Bootstrap(); err != nil {
				return err
			}
		}
		return nil
	}
	dims, offs := make([]int, len(boards)), make([]int, len(boards))
	k := 0
	for g, f := range boards {
		dims[g], offs[g] = f.d.dim(), k
		k += dims[g]
	}
	pd := pool.d
	newState := func() *jointState {
		st := &jointState{pool: pool.boot.newRoundState(), comp: comp.newState()}
		for _, f := range joined {
			st.parts = append(st.parts, f.boot.newRoundState())
		}
		for range jointBlock {
			half, total := make([][]float64, len(joined)), make([][]float64, len(joined))
			var ph, pt, pres []float64
			var sinks []residualSink
			if comp.aligned {
				ph, pt, pres = make([]float64, pd.sides()), make([]float64, pd.sides()), make([]float64, len(pd.i))
				sinks = make([]residualSink, len(joined))
			}
			for g, f := range joined {
				if !comp.aligned {
					half[g], total[g] = make([]float64, f.d.sides()), make([]float64, f.d.sides())
					continue
				}
				lo, sides := 2*comp.rowOff[g], f.d.sides()
				half[g], total[g] = ph[lo:lo+sides], pt[lo:lo+sides]
				sinks[g] = residualSink{prob: pool.boot.prob[lo : lo+sides], res: pres[lo/2 : lo/2+sides/2]}
			}
			st.half, st.total = append(st.half, half), append(st.total, total)
			st.recs = append(st.recs, make([]drawRecord, len(joined)))
			st.poolHalf, st.poolTotal = append(st.poolHalf, ph), append(st.poolTotal, pt)
			st.poolRes, st.sinks = append(st.poolRes, pres), append(st.sinks, sinks)
		}
		return st
	}
	withGrad := pool.boot.factor != nil
	lower, upper, err := numberedRounds(pool.opts.Rounds, jointBlock, pool.opts.Workers, k, newState, func(st *jointState, r0, n int, out []float64) error {
		for g, f := range joined {
			ps := st.parts[g]
			for b := range n {
				ps.halfWi, ps.total = st.half[b][g], st.total[b][g]
				src := rand.NewPCG(roundSeed(f.opts.Seed, uint64(r0+b)))
				row := out[b*k+offs[g] : b*k+offs[g]+dims[g]]
				var also *residualSink
				if comp.aligned {
					also = &st.sinks[b][g]
				}
				if err := f.boot.round(ps, comp.parts[g].sampler, src, row, &st.recs[b][g], also); err != nil {
					return err
				}
			}
		}
		pg := len(joined)
		for b := range n {
			src := rand.NewPCG(roundSeed(pool.opts.Seed, uint64(r0+b)))
			if comp.aligned {
				st.pool.halfWi, st.pool.total = st.poolHalf[b], st.poolTotal[b]
				diff := comp.drawAligned(src, st.recs[b], st.sinks[b], st.pool.halfWi, st.pool.total)
				if withGrad {
					clear(st.pool.grad.g)
					pd.residualGradient(st.poolRes[b], diff, st.pool.grad.g)
				}
			} else {
				comp.draw(src, st.comp, st.half[b], st.total[b], st.recs[b], st.pool.halfWi, st.pool.total)
				if withGrad {
					st.pool.grad.of(st.pool.halfWi, st.pool.total)
				}
			}
			if err := pool.boot.solve(st.pool, out[b*k+offs[pg]:b*k+offs[pg]+dims[pg]], withGrad); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for g, f := range boards {
		f.lower, f.upper, f.cells = lower[:dims[g]], upper[:dims[g]], nonzeroCells(f.d.cells)
		lower, upper = lower[dims[g]:], upper[dims[g]:]
	}
	return nil
}

// nonzeroCells counts the cells with votes, as a sampler's nonzero does.
func nonzeroCells(cells [][3]int64) int {
	n := 0
	for _, c := range cells {
		for _, v := range c {
			if v > 0 {
				n++
			}
		}
	}
	return n
}
