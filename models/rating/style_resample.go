package rating

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"slices"
)

// guideBits is the number of random bits a guided Poisson draw starts from:
// 12 bits pick one of 4096 equal slices of the unit interval, and five
// draws share one 64-bit variate.
const guideBits = 12

// guideSlow marks a slice of a poissonGuide that holds more than one value
// (or a tail): the draw then places the uniform within the slice exactly.
const guideSlow = math.MaxUint16

// poissonGuide draws from Poisson(λ) by inversion, X = min{k : u < F(k)},
// with a guide table: for each of the 4096 slices of u in which X takes a
// single value, that value. Most draws cost a table look-up and 12 random
// bits; the others (a few percent for the counts of an arena's cells) draw
// the rest of u and search the distribution function. Tails beyond the
// window are walked as poissonTable does, so the draw stays exact.
type poissonGuide struct {
	*poissonTable
	fast [1 << guideBits]uint16
	cdf  []float64 // cdf[k-lo] = P(X ≤ k) for k in [lo, hi]
}

func newPoissonGuide(lambda float64) *poissonGuide {
	g := &poissonGuide{}
	if lambda == 0 {
		return g // every slice holds 0
	}
	g.poissonTable = newPoissonTable(lambda)
	t := g.poissonTable
	acc := t.left
	g.cdf = make([]float64, t.hi-t.lo+1)
	for k := t.lo; k <= t.hi; k++ {
		acc += t.pmf(k)
		g.cdf[k-t.lo] = acc
	}
	const slices = 1 << guideBits
	for b := range slices {
		lo, hi := float64(b)/slices, float64(b+1)/slices
		g.fast[b] = guideSlow
		if lo < t.left {
			continue
		}
		// The first k with F(k) > lo is the value for all of the slice when
		// F(k) reaches its upper end too.
		k := g.search(lo)
		if k < len(g.cdf) && g.cdf[k] >= hi && t.lo+int64(k) < guideSlow {
			g.fast[b] = uint16(t.lo + int64(k))
		}
	}
	return g
}

// search returns the first index of cdf whose value exceeds u, or len(cdf).
// The plain binary search, whose comparison Go inlines, finds the first
// value at least u; equal values are then stepped over. With a comparison
// function it took a tenth of the plain board's rounds.
func (g *poissonGuide) search(u float64) int {
	k, _ := slices.BinarySearch(g.cdf, u)
	for k < len(g.cdf) && g.cdf[k] <= u {
		k++
	}
	return k
}

// slow draws given that u lies in slice b of a slice marked guideSlow.
func (g *poissonGuide) slow(src *rand.PCG, b uint64) int64 {
	t := g.poissonTable
	u := (float64(b) + float64(src.Uint64()>>11)*0x1p-53) / (1 << guideBits)
	if u < t.left {
		return t.walkTail(src, t.lo-1, -1, t.left)
	}
	if k := g.search(u); k < len(g.cdf) {
		return t.lo + int64(k)
	}
	return t.walkTail(src, t.hi+1, 1, t.right)
}

// thinSDs is how many standard deviations of a draw's Poisson part the
// thinning leaves it below the votes to draw, on average: about one draw in
// fifty is then drawn again. A pool's resample composed from its
// categories' (see styleComposition) needs a category's Poisson part to
// stay below the category's share of the pool's resample, which it misses
// about once in fifteen draws; four standard deviations would miss once in
// seven hundred, but every vote added costs a read at a random place, and
// the plain boards' and the categories' added votes then cost more than
// the rare fresh draws save.
const thinSDs = 2

// styleSampler draws multinomial(N, count/N) resamples of the style fit's
// cells, the votes of a resample with replacement, and writes them straight
// into the per-row totals the fit reads. It thins the Poisson split the
// plain board's resampler uses: independent X_c ~ Poisson(t·count_c) are,
// given their sum S, multinomial(S, count/N) for any t > 0, so adding N−S
// votes drawn from count/N gives multinomial(N, count/N). With
// t = 1−thinSDs/√N, S falls short of N in all but about 2% of draws, and
// those are drawn again (rejecting a draw does not change the conditional
// law given S), so no vote ever needs removing; the few thousand votes
// added cost less than the Fenwick tree removal would.
type styleSampler struct {
	total  int64
	guides []*poissonGuide // distinct thinned counts
	// fast holds the guides' tables end to end, so a draw is one load:
	// fast[g<<guideBits | bits] for guide g.
	fast []uint16
	// Rows with votes: their index and a guide per cell kind (for draw; a
	// paired sampler has pairTab instead). Rows without votes are always
	// empty.
	row    []int32
	rowTab [][3]uint16
	empty  []int32
	// For the style fit, whose rows come in pairs (a fit row's side 0 at
	// 2r and side 1 at 2r+1; see newSidePairSampler): both sides' guides
	// per fit row, every fit row included. Nil otherwise.
	pairTab [][6]uint16
	// For adding votes: a categorical over the nonzero cells, each column
	// holding its own cell and its alias as row<<2 | kind, so that an added
	// vote costs one read at a random place instead of three.
	add   []addColumn
	cells int // nonzero cells
}

// addColumn is a column of the alias table styleSampler adds votes from
// (see aliasTable): keep the column's own cell with probability keep, else
// take alt.
type addColumn struct {
	keep     float64
	own, alt uint32 // row<<2 | kind
}

// newStyleSampler prepares resamples of the rows' cells ([wins of i, wins of
// j, ties and both-bad] per row). It returns nil if the thinned counts take
// more distinct guides than a row can index, or the rows are too many to
// number in 30 bits.
func newStyleSampler(rows [][3]int64) *styleSampler {
	return buildStyleSampler(rows, false)
}

// newSidePairSampler is newStyleSampler for the sides of a style fit's rows,
// two per row, for drawPairs.
func newSidePairSampler(sides [][3]int64) *styleSampler {
	if len(sides)%2 != 0 {
		return nil
	}
	return buildStyleSampler(sides, true)
}

func buildStyleSampler(rows [][3]int64, paired bool) *styleSampler {
	s := &styleSampler{}
	for u, c := range rows {
		if c == [3]int64{} {
			s.empty = append(s.empty, int32(u))
			continue
		}
		s.row = append(s.row, int32(u))
	}
	if len(rows) >= 1<<30 {
		return nil // a row and kind no longer fit in 32 bits
	}
	var w []float64
	var cells []uint32
	for u, c := range rows {
		for kind, n := range c {
			if n > 0 {
				s.total += n
				w = append(w, float64(n))
				cells = append(cells, uint32(u)<<2|uint32(kind))
			}
		}
	}
	s.cells = len(cells)
	if s.total == 0 {
		return s
	}
	thin := max(0, 1-thinSDs/math.Sqrt(float64(s.total)))
	index := map[int64]uint16{}
	guide := func(n int64) (uint16, bool) {
		if g, ok := index[n]; ok {
			return g, true
		}
		if len(s.guides) == guideSlow {
			return 0, false
		}
		index[n] = uint16(len(s.guides))
		s.guides = append(s.guides, newPoissonGuide(thin*float64(n)))
		return index[n], true
	}
	guide(0)
	if paired {
		// Every side, an empty one's guides being guide 0.
		s.pairTab = make([][6]uint16, len(rows)/2)
		for u, c := range rows {
			for kind, n := range c {
				g, ok := guide(n)
				if !ok {
					return nil
				}
				s.pairTab[u/2][3*(u%2)+kind] = g
			}
		}
	} else {
		s.rowTab = make([][3]uint16, len(s.row))
		for r, u := range s.row {
			for kind, n := range rows[u] {
				g, ok := guide(n)
				if !ok {
					return nil
				}
				s.rowTab[r][kind] = g
			}
		}
	}
	s.fast = make([]uint16, len(s.guides)<<guideBits)
	for g, pg := range s.guides {
		copy(s.fast[g<<guideBits:], pg.fast[:])
	}
	t := newAliasTable(w)
	s.add = make([]addColumn, len(t.cols))
	for c, col := range t.cols {
		s.add[c] = addColumn{keep: col.keep, own: cells[c], alt: cells[col.alias]}
	}
	return s
}

// nonzero returns the number of nonzero cells a draw resamples.
func (s *styleSampler) nonzero() int { return s.cells }

// addDraw draws one cell from the votes' categorical, as aliasTable.draw
// does, and returns it as row<<2 | kind.
func (s *styleSampler) addDraw(src *rand.PCG) uint32 {
	col, frac := bits.Mul64(src.Uint64(), uint64(len(s.add)))
	c := s.add[col]
	if float64(frac>>11)*0x1p-53 < c.keep {
		return c.own
	}
	return c.alt
}

// baseGradient asks styleSampler.drawPairs to also sum the resample's
// log-likelihood gradient at the full fit, where σ(z) per side is prob, into
// g (the penalty not included): the first chord step of a round needs it,
// and summing it while each side's counts are at hand saves a pass over the
// rows. res is scratch space of one entry per fit row.
type baseGradient struct {
	d    *styleData
	prob []float64
	g    []float64
	res  []float64
}

func newBaseGradient(d *styleData, prob []float64) baseGradient {
	return baseGradient{d: d, prob: prob, g: make([]float64, d.dim()), res: make([]float64, len(d.i))}
}

// of sets g to the log-likelihood gradient at the full fit of a resample
// drawn otherwise than by drawPairs (a pool's, composed from its
// categories'), as drawPairs would have.
func (bg *baseGradient) of(halfWi, total []float64) {
	clear(bg.g)
	rows := len(bg.d.i)
	res, prob := bg.res[:rows], bg.prob[:2*rows]
	halfWi, total = halfWi[:2*rows], total[:2*rows]
	var side0, side1 float64
	for r := range res {
		eA := halfWi[2*r] - total[2*r]*prob[2*r]
		eB := halfWi[2*r+1] - total[2*r+1]*prob[2*r+1]
		res[r] = eA + eB
		side0 += eA
		side1 += eB
	}
	bg.d.residualGradient(res, side0-side1, bg.g)
}

// cellShare is what a vote of each cell kind adds to the half-wins of i.
func cellShare(kind uint32) float64 {
	return [3]float64{cellWinI: 1, cellWinJ: 0, cellTie: 0.5}[kind]
}

// draw writes one resample's half-wins of i (wins of i and half the ties and
// both-bad votes) and totals per row into halfWi and total.
func (s *styleSampler) draw(src *rand.PCG, halfWi, total []float64) {
	s.drawTo(src, s.total, halfWi, total)
}

// drawTo is draw for a resample of target votes instead of the cells' total:
// multinomial(target, count/total). A pool's resample composed from its
// categories' draws some of its groups this way (see styleComposition).
func (s *styleSampler) drawTo(src *rand.PCG, target int64, halfWi, total []float64) {
	if s.total == 0 {
		clear(halfWi)
		clear(total)
		return
	}
	var sum int64
	for _, u := range s.empty {
		total[u], halfWi[u] = 0, 0
	}
	rowIdx := s.row[:len(s.rowTab)]
	fast := wyrand(src.Uint64())
	for {
		sum = 0
		for r, tabs := range s.rowTab {
			u := int(rowIdx[r])
			// One variate gives the row's three draws.
			w, l, t, b0, b1, b2 := s.look3(fast.next(), tabs[0], tabs[1], tabs[2])
			if w == guideSlow || l == guideSlow || t == guideSlow {
				w, l, t = s.slow3(src, w, l, t, b0, b1, b2, tabs[0], tabs[1], tabs[2])
			}
			n := w + l + t
			sum += n
			total[u], halfWi[u] = float64(n), float64(w)+0.5*float64(t)
		}
		if sum <= target {
			break
		}
	}
	for ; sum < target; sum++ {
		c := s.addDraw(src)
		u, kind := int(c>>2), c&3
		total[u]++
		halfWi[u] += cellShare(kind)
	}
}

// look3 reads the guide tables of a row's three cells, with guides g0, g1
// and g2, at the slices the 36 low bits of bits pick, and returns the
// values (guideSlow where a slice needs slow3) and the slices. It is small
// enough for Go to inline into the draws' loops, where a call would cost
// more than the look-ups.
func (s *styleSampler) look3(bits uint64, g0, g1, g2 uint16) (w, l, t int64, b0, b1, b2 uint64) {
	const mask = 1<<guideBits - 1
	b0, b1, b2 = bits&mask, bits>>guideBits&mask, bits>>(2*guideBits)&mask
	w = int64(s.fast[int(g0)<<guideBits|int(b0)])
	l = int64(s.fast[int(g1)<<guideBits|int(b1)])
	t = int64(s.fast[int(g2)<<guideBits|int(b2)])
	return w, l, t, b0, b1, b2
}

// slow3 finishes the draws of a row's three cells with guides g0, g1 and
// g2 whose table values w, l and t hold guideSlow where the slice (b0, b1,
// b2) needs the exact search. It is the rare path, kept out of the loops so
// that they stay small.
func (s *styleSampler) slow3(src *rand.PCG, w, l, t int64, b0, b1, b2 uint64, g0, g1, g2 uint16) (int64, int64, int64) {
	if w == guideSlow {
		w = s.guides[g0].slow(src, b0)
	}
	if l == guideSlow {
		l = s.guides[g1].slow(src, b1)
	}
	if t == guideSlow {
		t = s.guides[g2].slow(src, b2)
	}
	return w, l, t
}

// drawPairs is draw for a sampler made by newSidePairSampler: it draws a
// fit row's two sides at once, and, when grad is not nil, also writes the
// resample's gradient at the full fit into grad.g. Going row by row, a
// row's residual (observed minus expected wins of i, summed over its two
// sides, which share their strengths and differences) is written once
// instead of added to side after side, and no side index is looked up.
func (s *styleSampler) drawPairs(src *rand.PCG, halfWi, total []float64, grad *baseGradient) {
	s.drawPairsTo(src, s.total, halfWi, total, grad, nil, nil)
}

// residualSink collects a draw's residuals at a fit whose σ(z) per side is
// prob: per row, res (both sides summed), and per side kind, side0 and
// side1, as baseGradient's pass sums them.
type residualSink struct {
	prob, res    []float64
	side0, side1 float64
}

// add records sign votes of cell kind on side u.
func (q *residualSink) add(u int, kind uint32, sign float64) {
	e := sign * (cellShare(kind) - q.prob[u])
	q.res[u/2] += e
	if u%2 == 0 {
		q.side0 += e
	} else {
		q.side1 += e
	}
}

// drawRecord keeps what a pool's resample composed from a category's needs
// of the category's draw: the votes its Poisson part drew and the cells of
// the votes then added, in the order they were added.
type drawRecord struct {
	poisson int64
	added   []uint32 // row<<2 | kind
}

// drawPairsTo is drawPairs for a resample of target votes (see drawTo); when
// rec is not nil it records the draw there. Recording draws no variate, so
// a recorded draw is the draw drawPairs makes from the same generator.
//
// When also is not nil, the draw's residuals at another fit are summed into
// it too: a pool's rows laid out as its categories' (see styleComposition)
// get their residuals from the categories' draws.
func (s *styleSampler) drawPairsTo(src *rand.PCG, target int64, halfWi, total []float64, grad *baseGradient, rec *drawRecord, also *residualSink) {
	if grad != nil {
		clear(grad.g)
	}
	if s.total == 0 {
		clear(halfWi)
		clear(total)
		if rec != nil {
			rec.poisson, rec.added = 0, rec.added[:0]
		}
		if also != nil {
			clear(also.res)
			also.side0, also.side1 = 0, 0
		}
		return
	}
	rows := len(s.pairTab)
	halfWi, total = halfWi[:2*rows], total[:2*rows]
	var prob, res []float64
	if grad != nil {
		prob, res = grad.prob[:2*rows], grad.res[:rows]
	}
	var probQ, resQ []float64
	if also != nil {
		probQ, resQ = also.prob[:2*rows], also.res[:rows]
	}
	var sum int64
	// The sides' residuals, summed apart: one sum would be a chain of
	// dependent additions through the whole loop.
	var side0, side1, sideQ0, sideQ1 float64
	fast := wyrand(src.Uint64())
	for {
		sum, side0, side1, sideQ0, sideQ1 = 0, 0, 0, 0, 0
		for r, tabs := range s.pairTab {
			// One variate gives each side's three draws.
			wA, lA, tA, a0, a1, a2 := s.look3(fast.next(), tabs[0], tabs[1], tabs[2])
			wB, lB, tB, b0, b1, b2 := s.look3(fast.next(), tabs[3], tabs[4], tabs[5])
			if wA == guideSlow || lA == guideSlow || tA == guideSlow {
				wA, lA, tA = s.slow3(src, wA, lA, tA, a0, a1, a2, tabs[0], tabs[1], tabs[2])
			}
			if wB == guideSlow || lB == guideSlow || tB == guideSlow {
				wB, lB, tB = s.slow3(src, wB, lB, tB, b0, b1, b2, tabs[3], tabs[4], tabs[5])
			}
			nA, nB := wA+lA+tA, wB+lB+tB
			sum += nA + nB
			hA, hB := float64(wA)+0.5*float64(tA), float64(wB)+0.5*float64(tB)
			total[2*r], halfWi[2*r] = float64(nA), hA
			total[2*r+1], halfWi[2*r+1] = float64(nB), hB
			if res != nil {
				eA := hA - float64(nA)*prob[2*r]
				eB := hB - float64(nB)*prob[2*r+1]
				res[r] = eA + eB
				side0 += eA
				side1 += eB
			}
			if resQ != nil {
				eA := hA - float64(nA)*probQ[2*r]
				eB := hB - float64(nB)*probQ[2*r+1]
				resQ[r] = eA + eB
				sideQ0 += eA
				sideQ1 += eB
			}
		}
		if sum <= target {
			break
		}
	}
	if rec != nil {
		rec.poisson, rec.added = sum, rec.added[:0]
	}
	// Top-up votes are few: they go through the sinks one by one.
	sink := residualSink{prob: prob, res: res, side0: side0, side1: side1}
	alsoSink := residualSink{prob: probQ, res: resQ, side0: sideQ0, side1: sideQ1}
	for ; sum < target; sum++ {
		c := s.addDraw(src)
		if rec != nil {
			rec.added = append(rec.added, c)
		}
		u, kind := int(c>>2), c&3
		total[u]++
		halfWi[u] += cellShare(kind)
		if res != nil {
			sink.add(u, kind, 1)
		}
		if resQ != nil {
			alsoSink.add(u, kind, 1)
		}
	}
	if also != nil {
		also.side0, also.side1 = alsoSink.side0, alsoSink.side1
	}
	if grad != nil {
		grad.d.residualGradient(res, sink.side0-sink.side1, grad.g)
	}
}
