package rating

import "math/bits"

// connectivity decides whether the plain maximum-likelihood strengths exist.
// It keeps its buffers so bootstrap rounds can ask without allocating.
// The graph is held as bit sets, a row of words per model, both ways round:
// a search then takes a word of neighbours at a time and never visits a
// model twice, where a row of bools took a test per model and per visit.
type connectivity struct {
	m, words int
	out, in  []uint64 // m rows of words: out[a] holds b when a beat b at least once (ties count), in[b] holds a
	seen     []uint64
	stack    []int32
}

func newConnectivity(m int) *connectivity {
	w := (m + 63) / 64
	return &connectivity{m: m, words: w, out: make([]uint64, m*w), in: make([]uint64, m*w), seen: make([]uint64, w), stack: make([]int32, 0, m)}
}

// identifiable reports whether the maximum-likelihood strengths are finite
// and unique up to a shift: with "a beat b" drawn as an edge a→b (a tie or a
// both-bad vote draws both edges, being half a win each way), every model
// must reach every other (Zermelo 1929, Ford 1957). Otherwise some group of
// models never lost to the rest, and the likelihood keeps rising as the gap
// between that group and the rest grows without bound.
func (c *connectivity) identifiable(d *pairs, halfWi, total []float64) bool {
	if c.m <= 1 {
		return true
	}
	c.fill(d, halfWi, total)
	return c.stronglyConnected()
}

// fill draws the win graph of the votes in halfWi and total.
func (c *connectivity) fill(d *pairs, halfWi, total []float64) {
	w := c.words
	clear(c.out)
	clear(c.in)
	// buildPairs lists the pairs by i and then j, so the bits a run of pairs
	// sets in i's own rows (j in out when i won, in when j won) fall in
	// one word after another: they are gathered in registers and stored
	// once a word, where setting them one by one would make each pair wait
	// for the one before to reach memory. Any other order gives the same
	// sets, only more slowly.
	row := -1
	var outBits, inBits uint64
	for k := range d.i {
		i, j := uint(d.i[k]), uint(d.j[k])
		if r := int(i)*w + int(j/64); r != row {
			if row >= 0 {
				c.out[row] |= outBits
				c.in[row] |= inBits
			}
			row, outBits, inBits = r, 0, 0
		}
		if halfWi[k] > 0 {
			outBits |= 1 << (j % 64)
			c.in[int(j)*w+int(i/64)] |= 1 << (i % 64)
		}
		if total[k]-halfWi[k] > 0 {
			c.out[int(j)*w+int(i/64)] |= 1 << (i % 64)
			inBits |= 1 << (j % 64)
		}
	}
	if row >= 0 {
		c.out[row] |= outBits
		c.in[row] |= inBits
	}
}

// stronglyConnected reports whether every model of the graph reaches every
// other: model 0 reaches every model and every model reaches model 0.
func (c *connectivity) stronglyConnected() bool {
	return c.reachesAll(c.out) && c.reachesAll(c.in)
}

// lostIdentifiability reports whether a resample of d's votes, in halfWi
// and total, lost an edge of g, the graph of all of d's votes, and with it
// is not identifiable. A resample never adds an edge, so its graph is g
// without the edges whose wins (or ties) it lost: a bootstrap round finds
// them in one pass over the pairs, and only a round that lost one copies g
// and searches it, instead of drawing its graph afresh.
func (c *connectivity) lostIdentifiability(g *connectivity, d *pairs, halfWi, total []float64) bool {
	w := c.words
	lost := false
	js, dHalfWi, dTotal := d.j[:len(d.i)], d.halfWi[:len(d.i)], d.total[:len(d.i)]
	halfWi, total = halfWi[:len(d.i)], total[:len(d.i)]
	for k, i32 := range d.i {
		lostI := halfWi[k] == 0 && dHalfWi[k] > 0
		lostJ := total[k]-halfWi[k] == 0 && dTotal[k]-dHalfWi[k] > 0
		if !lostI && !lostJ {
			continue
		}
		if !lost {
			copy(c.out, g.out)
			copy(c.in, g.in)
			lost = true
		}
		i, j := uint(i32), uint(js[k])
		if lostI {
			c.out[int(i)*w+int(j/64)] &^= 1 << (j % 64)
			c.in[int(j)*w+int(i/64)] &^= 1 << (i % 64)
		}
		if lostJ {
			c.out[int(j)*w+int(i/64)] &^= 1 << (i % 64)
			c.in[int(i)*w+int(j/64)] &^= 1 << (j % 64)
		}
	}
	return lost && !c.stronglyConnected()
}

// reachesAll searches depth-first from model 0 along the edges of adj (out
// for the edges as drawn, in for them reversed).
func (c *connectivity) reachesAll(adj []uint64) bool {
	w := c.words
	clear(c.seen)
	c.seen[0] = 1
	c.stack = append(c.stack[:0], 0)
	found := 1
	for len(c.stack) > 0 {
		a := int(c.stack[len(c.stack)-1])
		c.stack = c.stack[:len(c.stack)-1]
		for k, next := range adj[a*w : a*w+w] {
			next &^= c.seen[k]
			c.seen[k] |= next
			for ; next != 0; next &= next - 1 {
				found++
				c.stack = append(c.stack, int32(k*64+bits.TrailingZeros64(next)))
			}
		}
	}
	return found == c.m
}
