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

// styleSampler draws multinomial(N, count/N) resamples of the style fit's
// cells, the votes of a resample with replacement, and writes them straight
// into the per-row totals the fit reads. It thins the Poisson split the
// plain board's resampler uses: independent X_c ~ Poisson(t·count_c) are,
// given their sum S, multinomial(S, count/N) for any t > 0, so adding N−S
// votes drawn from count/N gives multinomial(N, count/N). With t = 1−2/√N,
// S falls short of N in all but about 2% of draws, and those are drawn
// again (rejecting a draw does not change the conditional law given S), so
// no vote ever needs removing; the few thousand votes added cost less than
// the Fenwick tree removal would.
type styleSampler struct {
	total  int64
	guides []*poissonGuide // distinct thinned counts
	// fast holds the guides' tables end to end, so a draw is one load:
	// fast[g<<guideBits | bits] for guide g.
	fast []uint16
	// Rows with votes: their index and a guide per cell kind. Rows without
	// votes are always empty.
	row    []int32
	rowTab [][3]uint16
	empty  []int32
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
	thin := max(0, 1-2/math.Sqrt(float64(s.total)))
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

// baseGradient asks styleSampler.draw to also sum the resample's
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

// draw writes one resample's half-wins of i (wins of i and half the ties and
// both-bad votes) and totals per row into halfWi and total, and, when grad
// is not nil, the resample's gradient at the full fit into grad.g. With
// grad, the rows are the fit's sides.
func (s *styleSampler) draw(src *rand.PCG, halfWi, total []float64, grad *baseGradient) {
	if grad != nil {
		clear(grad.g)
	}
	if s.total == 0 {
		clear(halfWi)
		clear(total)
		return
	}
	const mask = 1<<guideBits - 1
	var sum int64
	var prob, res []float64
	var side0, side1 float64 // the sides' residuals, summed
	if grad != nil {
		prob, res = grad.prob, grad.res
	}
	for _, u := range s.empty {
		total[u], halfWi[u] = 0, 0
	}
	rowIdx := s.row[:len(s.rowTab)]
	fast := wyrand(src.Uint64())
	for {
		sum = 0
		if res != nil {
			clear(res)
			side0, side1 = 0, 0
		}
		for r, tabs := range s.rowTab {
			u := int(rowIdx[r])
			// One variate gives the row's three draws.
			bits := fast.next()
			b0, b1, b2 := bits&mask, bits>>guideBits&mask, bits>>(2*guideBits)&mask
			w := int64(s.fast[int(tabs[0])<<guideBits|int(b0)])
			l := int64(s.fast[int(tabs[1])<<guideBits|int(b1)])
			t := int64(s.fast[int(tabs[2])<<guideBits|int(b2)])
			if w == guideSlow {
				w = s.guides[tabs[0]].slow(src, b0)
			}
			if l == guideSlow {
				l = s.guides[tabs[1]].slow(src, b1)
			}
			if t == guideSlow {
				t = s.guides[tabs[2]].slow(src, b2)
			}
			n := w + l + t
			sum += n
			hw := float64(w) + 0.5*float64(t)
			total[u], halfWi[u] = float64(n), hw
			if res != nil {
				// The residual, observed minus expected wins of i: the fit
				// row's two sides share their strengths and differences, so
				// only their sum and the sides' difference are needed.
				// Side 0's and side 1's sums are kept apart: one sum
				// would be a chain of dependent additions through the
				// whole loop.
				e := hw - float64(n)*prob[u]
				res[u/2] += e
				if u%2 == 0 {
					side0 += e
				} else {
					side1 += e
				}
			}
		}
		if sum <= s.total {
			break
		}
	}
	share := [3]float64{cellWinI: 1, cellWinJ: 0, cellTie: 0.5}
	for ; sum < s.total; sum++ {
		c := s.addDraw(src)
		u, kind := int(c>>2), c&3
		total[u]++
		halfWi[u] += share[kind]
		if res != nil {
			e := share[kind] - prob[u]
			res[u/2] += e
			if u%2 == 0 {
				side0 += e
			} else {
				side1 += e
			}
		}
	}
	if grad != nil {
		grad.d.residualGradient(res, side0-side1, grad.g)
	}
}
