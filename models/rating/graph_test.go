package rating

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// identifiable agrees with the transitive closure of the win graph, for
// models fitting in one word of bits, in several, and ending mid-word.
func TestConnectivity_MatchesTransitiveClosure(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, m := range []int{2, 3, 10, 64, 65, 100, 130} {
		t.Run(fmt.Sprintf("m=%d", m), func(t *testing.T) {
			connected := 0
			for trial := range 64 {
				// Random graphs from sparse to dense, some strongly
				// connected and some not: each pair met with probability
				// q, and a meeting drew a win of i, of j, or both (a tie).
				q := min(1, float64(trial%8+1)/8*6*math.Log(float64(m+1))/float64(m))
				d := &pairs{m: m}
				reach := make([]bool, m*m)
				for i := range m {
					reach[i*m+i] = true
					for j := i + 1; j < m; j++ {
						if rng.Float64() >= q {
							continue
						}
						wi, wj := 0.0, 0.0
						switch rng.IntN(3) {
						case 0:
							wi = 1
						case 1:
							wj = 1
						default:
							wi, wj = 0.5, 0.5
						}
						d.i = append(d.i, int32(i))
						d.j = append(d.j, int32(j))
						d.halfWi = append(d.halfWi, wi)
						d.total = append(d.total, wi+wj)
						reach[i*m+j] = reach[i*m+j] || wi > 0
						reach[j*m+i] = reach[j*m+i] || wj > 0
					}
				}
				for k := range m {
					for a := range m {
						for b := range m {
							reach[a*m+b] = reach[a*m+b] || (reach[a*m+k] && reach[k*m+b])
						}
					}
				}
				want := true
				for _, r := range reach {
					want = want && r
				}
				if want {
					connected++
				}
				if got := newConnectivity(m).identifiable(d, d.halfWi, d.total); got != want {
					t.Fatalf("trial %d: identifiable %v, transitive closure %v", trial, got, want)
				}
			}
			if connected == 0 || connected == 64 {
				t.Fatalf("%d of 64 graphs strongly connected: the test needs both kinds", connected)
			}
		})
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
