package rating

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestConnectivity_MatchesTransitiveClosure compares identifiable with the
// definition, every model reaching every other, worked out by Warshall's
// transitive closure, on random graphs from sparse to dense and on sizes
// around a word of the bit sets.
func TestConnectivity_MatchesTransitiveClosure(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	agree := map[bool]int{}
	for _, m := range []int{2, 3, 5, 63, 64, 65, 100, 130} {
		for trial := range 40 {
			d := &pairs{}
			var halfWi, total []float64
			density := 0.5 * float64(trial%8+1) / float64(m)
			for i := range m {
				for j := i + 1; j < m; j++ {
					if rng.Float64() > 4*density {
						continue
					}
					d.i, d.j = append(d.i, int32(i)), append(d.j, int32(j))
					w, l := 0.0, 0.0
					switch rng.IntN(4) {
					case 0:
						w = 1
					case 1:
						l = 1
					case 2:
						w, l = 1, 1
					default:
						w, l = 0.5, 0.5 // a tie: half a win each way
					}
					halfWi, total = append(halfWi, w), append(total, w+l)
				}
			}
			reach := make([]bool, m*m)
			for a := range m {
				reach[a*m+a] = true
			}
			for k := range d.i {
				i, j := int(d.i[k]), int(d.j[k])
				if halfWi[k] > 0 {
					reach[i*m+j] = true
				}
				if total[k]-halfWi[k] > 0 {
					reach[j*m+i] = true
				}
			}
			for via := range m {
				for a := range m {
					if !reach[a*m+via] {
						continue
					}
					for b := range m {
						if reach[via*m+b] {
							reach[a*m+b] = true
						}
					}
				}
			}
			want := true
			for _, r := range reach {
				want = want && r
			}
			c := newConnectivity(m)
			for range 2 { // the buffers are reused between calls
				if got := c.identifiable(d, halfWi, total); got != want {
					t.Fatalf("m=%d trial %d: identifiable %v, closure says %v", m, trial, got, want)
				}
			}
			agree[want]++
		}
	}
	if agree[true] == 0 || agree[false] == 0 {
		t.Fatalf("the graphs should include connected and unconnected ones: %v", agree)
	}
}

// A resample's check from the data's graph answers as drawing the
// resample's own graph does, for resamples that lose no edge, some, or
// enough to split the models.
func TestConnectivity_LostIdentifiabilityIsTheResamplesOwn(t *testing.T) {
	c, _ := synthetic(70, 3000, 0.15, 7)
	ranked := make([]int, 70)
	for i := range ranked {
		ranked[i] = i
	}
	d := buildPairs(c, ranked)
	g := newConnectivity(d.m)
	if !g.identifiable(d, d.halfWi, d.total) {
		t.Fatal("data not identifiable")
	}
	rng := rand.New(rand.NewPCG(7, 8))
	st := newConnectivity(d.m)
	kinds := map[string]int{}
	for trial := range 300 {
		// Thin every pair's wins each way: from none lost to most.
		p := float64(trial%10) / 10
		halfWi, total := make([]float64, len(d.i)), make([]float64, len(d.i))
		for k := range d.i {
			wi, wj := d.halfWi[k], d.total[k]-d.halfWi[k]
			if rng.Float64() < p {
				wi = 0
			}
			if rng.Float64() < p {
				wj = 0
			}
			halfWi[k], total[k] = wi, wi+wj
		}
		lost := false
		for k := range d.i {
			lost = lost || (halfWi[k] == 0 && d.halfWi[k] > 0) || (total[k]-halfWi[k] == 0 && d.total[k]-d.halfWi[k] > 0)
		}
		want := lost && !newConnectivity(d.m).identifiable(d, halfWi, total)
		if got := st.lostIdentifiability(g, d, halfWi, total); got != want {
			t.Fatalf("trial %d: %v, the resample's own graph says %v", trial, got, want)
		}
		kinds[fmt.Sprint(lost, want)]++
	}
	if len(kinds) != 3 {
		t.Fatalf("kinds of resample (edge lost, identifiability lost): %v, want all three", kinds)
	}
}
