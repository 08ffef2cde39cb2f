package rating

import (
	"fmt"
	"math"
)

// MaxStyleFeatures bounds the number of clip features a StyleCounts holds;
// the fixed size lets a clip pair's feature differences be a map key.
const MaxStyleFeatures = 8

// StyleFeature describes one measured property of a clip that may sway
// voters independently of the model's skill.
type StyleFeature struct {
	// Name is how the feature is shown and exported (e.g. "motion").
	Name string
	// Binary marks a 0-or-1 feature such as has_audio: it enters the model
	// as the plain difference a−b, the others as (a−b)/(a+b+1).
	Binary bool
}

// VideoStyleFeatures returns the features Arena measures on every clip, in
// the order callers pass their values: duration in seconds, motion (mean
// absolute luma change between frames), brightness (mean luma), saturation
// (mean saturation), all three on 0–255, and whether the clip has sound.
func VideoStyleFeatures() []StyleFeature {
	return []StyleFeature{
		{Name: "duration_s"},
		{Name: "motion"},
		{Name: "brightness"},
		{Name: "saturation"},
		{Name: "has_audio", Binary: true},
	}
}

// styleKey identifies a cell group: model i on side A, model j on side B,
// and the feature differences of their two clips, A minus B. Votes with
// equal keys have the same likelihood terms, so only their outcome counts
// matter. The sides are kept, not folded: the differences are standardised
// as shown to voters, and their mean need not be zero.
type styleKey struct {
	i, j int32
	d    [MaxStyleFeatures]float64
}

// styleUnit holds the votes of one key: wins of A, wins of B, and ties and
// both-bad votes together (the fit cannot tell those apart).
type styleUnit struct {
	key   styleKey
	cells [3]int64
}

// StyleCounts aggregates valid votes with the features of both clips, for
// the style-controlled board. It also keeps plain Counts of the same votes
// for the per-model tallies. The zero value is not usable; call
// NewStyleCounts.
type StyleCounts struct {
	features []StyleFeature
	counts   *Counts
	index    map[styleKey]int
	units    []styleUnit
}

// NewStyleCounts returns empty counts for n models and the given features
// (at most MaxStyleFeatures).
func NewStyleCounts(n int, features []StyleFeature) (*StyleCounts, error) {
	if len(features) > MaxStyleFeatures {
		return nil, fmt.Errorf("rating: %d style features, at most %d", len(features), MaxStyleFeatures)
	}
	return &StyleCounts{
		features: append([]StyleFeature(nil), features...),
		counts:   NewCounts(n),
		index:    map[styleKey]int{},
	}, nil
}

// N returns the number of models.
func (s *StyleCounts) N() int { return s.counts.N() }

// Features returns the features, in the order Add takes their values.
func (s *StyleCounts) Features() []StyleFeature { return append([]StyleFeature(nil), s.features...) }

// Counts returns the plain counts of the votes added so far (shared, not a
// copy: do not add to it).
func (s *StyleCounts) Counts() *Counts { return s.counts }

// Total returns the number of votes recorded.
func (s *StyleCounts) Total() int64 { return s.counts.Total() }

// Cells returns the number of distinct (clip-pair features, outcome) cells
// with votes: what a bootstrap round draws.
func (s *StyleCounts) Cells() int {
	n := 0
	for _, u := range s.units {
		for _, c := range u.cells {
			if c > 0 {
				n++
			}
		}
	}
	return n
}

// Add records k votes with outcome o between model i (side A, whose clip
// has feature values fa) and model j (side B, values fb). Feature values
// must be finite and non-negative, binary ones 0 or 1.
func (s *StyleCounts) Add(i, j int, fa, fb []float64, o Outcome, k int64) error {
	if err := s.counts.Add(i, j, o, k); err != nil {
		return err
	}
	nf := len(s.features)
	if len(fa) != nf || len(fb) != nf {
		return fmt.Errorf("rating: %d and %d feature values for %d style features", len(fa), len(fb), nf)
	}
	var key styleKey
	for f, feat := range s.features {
		a, b := fa[f], fb[f]
		if err := checkFeature(feat, a); err != nil {
			return err
		}
		if err := checkFeature(feat, b); err != nil {
			return err
		}
		if feat.Binary {
			key.d[f] = a - b
		} else {
			key.d[f] = (a - b) / (a + b + 1)
		}
	}
	for f := range nf {
		if key.d[f] == 0 {
			key.d[f] = 0 // one key for +0 and -0
		}
	}
	key.i, key.j = int32(i), int32(j)
	u, ok := s.index[key]
	if !ok {
		u = len(s.units)
		s.index[key] = u
		s.units = append(s.units, styleUnit{key: key})
	}
	switch o {
	case OutcomeA:
		s.units[u].cells[cellWinI] += k
	case OutcomeB:
		s.units[u].cells[cellWinJ] += k
	default:
		s.units[u].cells[cellTie] += k
	}
	return nil
}

func checkFeature(f StyleFeature, v float64) error {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return fmt.Errorf("rating: style feature %s is %v, not a finite number", f.Name, v)
	case v < 0:
		return fmt.Errorf("rating: style feature %s is negative (%v)", f.Name, v)
	case f.Binary && v != 0 && v != 1:
		return fmt.Errorf("rating: style feature %s is %v, not 0 or 1", f.Name, v)
	}
	return nil
}

// AddCounts adds the votes of part, whose model i is this one's model
// index[i], as Add would have added them one by one: a pool's counts are
// so merged from its categories' instead of from every vote again. Its
// cells go in its order after this one's, so that counts merged from parts
// in the order their votes would have been added equal the counts added
// vote by vote, cell order included.
func (s *StyleCounts) AddCounts(part *StyleCounts, index []int) error {
	if len(part.features) != len(s.features) || len(index) != part.N() {
		return fmt.Errorf("rating: adding counts of %d models and %d features to counts of %d features with %d indexes", part.N(), len(part.features), len(s.features), len(index))
	}
	for _, ix := range index {
		if ix < 0 || ix >= s.N() {
			return fmt.Errorf("rating: model index out of range: %d with %d models", ix, s.N())
		}
	}
	n := part.N()
	for i := range n {
		for j := i + 1; j < n; j++ {
			p := part.counts.pairs[pairIndex(n, i, j)]
			for _, c := range []struct {
				o Outcome
				k int64
			}{{OutcomeA, p.Wins}, {OutcomeB, p.Losses}, {OutcomeTie, p.Ties}, {OutcomeBothBad, p.BothBad}} {
				if c.k == 0 {
					continue
				}
				if err := s.counts.Add(index[i], index[j], c.o, c.k); err != nil {
					return err
				}
			}
		}
	}
	for _, pu := range part.units {
		key := pu.key
		key.i, key.j = int32(index[key.i]), int32(index[key.j])
		u, ok := s.index[key]
		if !ok {
			u = len(s.units)
			s.index[key] = u
			s.units = append(s.units, styleUnit{key: key})
		}
		for c := range pu.cells {
			s.units[u].cells[c] += pu.cells[c]
		}
	}
	return nil
}
