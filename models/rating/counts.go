package rating

import "fmt"

// Outcome is the result of one vote between model i (shown as clip A) and
// model j (clip B).
type Outcome int

// The four choices a voter can make.
const (
	OutcomeA       Outcome = iota // model i won
	OutcomeB                      // model j won
	OutcomeTie                    // both were good
	OutcomeBothBad                // both were bad
)

// String returns the name the vote API uses for the outcome.
func (o Outcome) String() string {
	switch o {
	case OutcomeA:
		return "a"
	case OutcomeB:
		return "b"
	case OutcomeTie:
		return "tie"
	case OutcomeBothBad:
		return "both_bad"
	}
	return fmt.Sprintf("Outcome(%d)", int(o))
}

// PairCounts holds the votes between two models, seen from one of them:
// Wins are votes it won, Losses votes the other won.
type PairCounts struct {
	Wins, Losses, Ties, BothBad int64
}

// Total returns the number of votes between the two models.
func (p PairCounts) Total() int64 { return p.Wins + p.Losses + p.Ties + p.BothBad }

// flip returns the same votes seen from the other model.
func (p PairCounts) flip() PairCounts {
	p.Wins, p.Losses = p.Losses, p.Wins
	return p
}

// Counts aggregates valid votes per unordered pair of models. Models are
// numbered 0..N-1 by the caller. Which side a clip was shown on does not
// matter to the ranking, so the counts keep only who won. The zero value is
// not usable; call NewCounts.
type Counts struct {
	n     int
	pairs []PairCounts // upper triangle, seen from the lower index
}

// NewCounts returns empty counts for n models.
func NewCounts(n int) *Counts {
	if n < 0 {
		n = 0
	}
	return &Counts{n: n, pairs: make([]PairCounts, n*(n-1)/2)}
}

// N returns the number of models.
func (c *Counts) N() int { return c.n }

// pairIndex numbers the unordered pair i<j in row-major upper-triangle order.
func pairIndex(n, i, j int) int { return i*n - i*(i+1)/2 + j - i - 1 }

// Add records k votes with the given outcome between model i (side A) and
// model j (side B). It refuses a model against itself, indexes out of range,
// negative k and unknown outcomes.
func (c *Counts) Add(i, j int, o Outcome, k int64) error {
	if i < 0 || j < 0 || i >= c.n || j >= c.n {
		return fmt.Errorf("rating: model index out of range: %d vs %d with %d models", i, j, c.n)
	}
	if i == j {
		return fmt.Errorf("rating: model %d cannot be compared with itself", i)
	}
	if k < 0 {
		return fmt.Errorf("rating: negative vote count %d", k)
	}
	if i > j {
		i, j = j, i
		switch o {
		case OutcomeA:
			o = OutcomeB
		case OutcomeB:
			o = OutcomeA
		}
	}
	p := &c.pairs[pairIndex(c.n, i, j)]
	switch o {
	case OutcomeA:
		p.Wins += k
	case OutcomeB:
		p.Losses += k
	case OutcomeTie:
		p.Ties += k
	case OutcomeBothBad:
		p.BothBad += k
	default:
		return fmt.Errorf("rating: unknown outcome %d", int(o))
	}
	return nil
}

// Pair returns the votes between models i and j, seen from model i.
// Out-of-range or equal indexes give zero counts.
func (c *Counts) Pair(i, j int) PairCounts {
	if i < 0 || j < 0 || i >= c.n || j >= c.n || i == j {
		return PairCounts{}
	}
	if i < j {
		return c.pairs[pairIndex(c.n, i, j)]
	}
	return c.pairs[pairIndex(c.n, j, i)].flip()
}

// Total returns the number of votes recorded.
func (c *Counts) Total() int64 {
	var t int64
	for _, p := range c.pairs {
		t += p.Total()
	}
	return t
}
