package rating

// connectivity decides whether the plain maximum-likelihood strengths exist.
// It keeps its buffers so bootstrap rounds can ask without allocating.
type connectivity struct {
	m     int
	adj   []bool // m×m, adj[a*m+b]: a beat b at least once (ties count)
	seen  []bool
	stack []int32
}

func newConnectivity(m int) *connectivity {
	return &connectivity{m: m, adj: make([]bool, m*m), seen: make([]bool, m), stack: make([]int32, 0, m)}
}

// identifiable reports whether the maximum-likelihood strengths are finite
// and unique up to a shift: with "a beat b" drawn as an edge a→b (a tie or a
// both-bad vote draws both edges, being half a win each way), every model
// must reach every other (Zermelo 1929, Ford 1957). Otherwise some group of
// models never lost to the rest, and the likelihood keeps rising as the gap
// between that group and the rest grows without bound.
func (c *connectivity) identifiable(d *pairs, halfWi, total []float64) bool {
	m := c.m
	if m <= 1 {
		return true
	}
	clear(c.adj)
	for k := range d.i {
		i, j := int(d.i[k]), int(d.j[k])
		if halfWi[k] > 0 {
			c.adj[i*m+j] = true
		}
		if total[k]-halfWi[k] > 0 {
			c.adj[j*m+i] = true
		}
	}
	// Strongly connected iff model 0 reaches every model and every model
	// reaches model 0.
	return c.reachesAll(false) && c.reachesAll(true)
}

// reachesAll searches depth-first from model 0, along edges or against them.
func (c *connectivity) reachesAll(reverse bool) bool {
	m := c.m
	clear(c.seen)
	c.seen[0] = true
	c.stack = append(c.stack[:0], 0)
	found := 1
	for len(c.stack) > 0 {
		a := int(c.stack[len(c.stack)-1])
		c.stack = c.stack[:len(c.stack)-1]
		for b := range m {
			e := c.adj[a*m+b]
			if reverse {
				e = c.adj[b*m+a]
			}
			if e && !c.seen[b] {
				c.seen[b] = true
				found++
				c.stack = append(c.stack, int32(b))
			}
		}
	}
	return found == m
}
