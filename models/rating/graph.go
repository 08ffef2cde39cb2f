package rating

import "math/bits"

// connectivity decides whether the plain maximum-likelihood strengths exist.
// It keeps its buffers so bootstrap rounds can ask without allocating.
// The graph is held as bit sets, a row of words per model, so a search
// takes in a model's neighbours 64 at a time: a round that lost an edge
// asks again, and on 100 models the bit sets make the question several
// times cheaper than a matrix of bools walked a model at a time.
type connectivity struct {
	m, words int
	out, in  []uint64 // m rows of words: out[a] holds b when a beat b, in[b] holds a
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
	m, w := c.m, c.words
	if m <= 1 {
		return true
	}
	clear(c.out)
	clear(c.in)
	for k := range d.i {
		i, j := int(d.i[k]), int(d.j[k])
		if halfWi[k] > 0 {
			c.out[i*w+j/64] |= 1 << (j % 64)
			c.in[j*w+i/64] |= 1 << (i % 64)
		}
		if total[k]-halfWi[k] > 0 {
			c.out[j*w+i/64] |= 1 << (i % 64)
			c.in[i*w+j/64] |= 1 << (j % 64)
		}
	}
	// Strongly connected iff model 0 reaches every model and every model
	// reaches model 0.
	return c.reachesAll(c.out) && c.reachesAll(c.in)
}

// reachesAll searches from model 0 along the edges of adj (out, or in to
// search against the edges) and reports whether it reaches every model.
func (c *connectivity) reachesAll(adj []uint64) bool {
	w := c.words
	clear(c.seen)
	c.seen[0] = 1
	c.stack = append(c.stack[:0], 0)
	found := 1
	for len(c.stack) > 0 {
		a := int(c.stack[len(c.stack)-1])
		c.stack = c.stack[:len(c.stack)-1]
		for x, word := range adj[a*w : a*w+w] {
			next := word &^ c.seen[x]
			c.seen[x] |= next
			found += bits.OnesCount64(next)
			for next != 0 {
				c.stack = append(c.stack, int32(x*64+bits.TrailingZeros64(next)))
				next &= next - 1
			}
		}
	}
	return found == c.m
}
