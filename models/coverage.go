package models

import (
	"context"
	"sort"
	"sync"
)

// Coverage summarizes which models have clips for which prompts, at any
// catalog size: per model the prompts it covers, per prompt the models that
// cover it, and the gaps, (active model, active prompt) pairs with no active
// clip, listed a page at a time. A clip covers its prompt for its model when
// it is active, whatever its status.
type Coverage struct {
	ActiveModels, ActivePrompts int
	// Clips counts every clip, ActiveClips the active ones.
	Clips, ActiveClips int
	// Models lists every model in name order.
	Models []ModelCoverage
	// Prompts lists every active prompt, the least covered first.
	Prompts []PromptCoverage
	// Gaps counts the (active model, active prompt) pairs without a clip.
	Gaps int
	// Unpaired are active clips of active models and prompts that no
	// matchup can use: no other active model has an active clip for the
	// same prompt in the same pool. In id order.
	Unpaired []Clip

	// gapModels are the active models in name order, and covered the
	// active models each active prompt has a clip of, for GapPage.
	gapModels []Model
	covered   map[uint]map[uint]bool
}

// ModelCoverage is one model's row: of the active prompts, how many it has
// an active clip for.
type ModelCoverage struct {
	Model   Model
	Prompts int
	Clips   int
}

// PromptCoverage is one active prompt's row: how many active models have an
// active clip for it, and how many do not.
type PromptCoverage struct {
	Prompt  Prompt
	Models  int
	Missing int
	Clips   int
}

// CoverageGap is an active model without an active clip for an active
// prompt.
type CoverageGap struct {
	Prompt Prompt
	Model  Model
}

// GapPage returns the gaps from offset on, at most limit, ordered by prompt
// id and then model name.
func (cv *Coverage) GapPage(offset, limit int) []CoverageGap {
	var out []CoverageGap
	byID := make([]PromptCoverage, 0, len(cv.Prompts))
	for _, p := range cv.Prompts {
		if p.Missing > 0 {
			byID = append(byID, p)
		}
	}
	sort.Slice(byID, func(i, j int) bool { return byID[i].Prompt.ID < byID[j].Prompt.ID })
	for _, p := range byID {
		if offset >= p.Missing {
			offset -= p.Missing
			continue
		}
		for _, m := range cv.gapModels {
			if cv.covered[p.Prompt.ID][m.ID] {
				continue
			}
			if offset > 0 {
				offset--
				continue
			}
			if len(out) == limit {
				return out
			}
			out = append(out, CoverageGap{Prompt: p.Prompt, Model: m})
		}
	}
	return out
}

// catalogDerived holds what is computed from one catalog on first use and
// kept as long as that catalog: the admin views read it instead of the
// clips table.
type catalogDerived struct {
	coverageOnce sync.Once
	coverage     *Coverage
	blindOnce    sync.Once
	blindness    []PoolBlindness
}

// LoadCoverage returns the coverage of the current catalog (at most
// CatalogMaxAge old), computed once per catalog.
func (s *Store) LoadCoverage(ctx context.Context) (*Coverage, error) {
	c, err := s.catalog(ctx)
	if err != nil {
		return nil, err
	}
	c.derived.coverageOnce.Do(func() { c.derived.coverage = c.computeCoverage() })
	return c.derived.coverage, nil
}

func (c *catalog) computeCoverage() *Coverage {
	cv := &Coverage{covered: make(map[uint]map[uint]bool)}
	modelRow := make(map[uint]int, len(c.models))
	for _, m := range c.models {
		cv.Models = append(cv.Models, ModelCoverage{Model: m})
		if m.Active {
			cv.ActiveModels++
		}
	}
	sort.Slice(cv.Models, func(i, j int) bool {
		a, b := cv.Models[i].Model, cv.Models[j].Model
		return a.Name < b.Name || a.Name == b.Name && a.ID < b.ID
	})
	for i, m := range cv.Models {
		modelRow[m.Model.ID] = i
		if m.Model.Active {
			cv.gapModels = append(cv.gapModels, m.Model)
		}
	}
	promptRow := make(map[uint]int)
	for _, p := range c.prompts {
		if p.Active {
			promptRow[p.ID] = len(cv.Prompts)
			cv.Prompts = append(cv.Prompts, PromptCoverage{Prompt: p})
			cv.covered[p.ID] = make(map[uint]bool)
		}
	}
	cv.ActivePrompts = len(cv.Prompts)
	type group struct {
		pool   string
		prompt uint
	}
	pairable := make(map[group]map[uint]bool)
	var candidates []Clip
	cv.Clips = len(c.clips)
	for _, cl := range c.clips {
		if !cl.Active {
			continue
		}
		cv.ActiveClips++
		p, okP := c.prompts[cl.PromptID]
		m, okM := c.models[cl.ModelID]
		if okP && p.Active {
			r := &cv.Prompts[promptRow[p.ID]]
			r.Clips++
			if okM {
				mr := &cv.Models[modelRow[m.ID]]
				mr.Clips++
				if seen := cv.covered[p.ID]; !seen[m.ID] {
					seen[m.ID] = true
					mr.Prompts++
					if m.Active {
						r.Models++
					}
				}
			}
		}
		if okP && okM && p.Active && m.Active {
			g := group{cl.Pool, cl.PromptID}
			if pairable[g] == nil {
				pairable[g] = make(map[uint]bool)
			}
			pairable[g][cl.ModelID] = true
			candidates = append(candidates, cl)
		}
	}
	for i := range cv.Prompts {
		r := &cv.Prompts[i]
		r.Missing = cv.ActiveModels - r.Models
		cv.Gaps += r.Missing
	}
	sort.SliceStable(cv.Prompts, func(i, j int) bool {
		a, b := cv.Prompts[i], cv.Prompts[j]
		return a.Models < b.Models || a.Models == b.Models && a.Prompt.ID < b.Prompt.ID
	})
	for _, cl := range candidates {
		if len(pairable[group{cl.Pool, cl.PromptID}]) < 2 {
			cv.Unpaired = append(cv.Unpaired, cl)
		}
	}
	sort.Slice(cv.Unpaired, func(i, j int) bool { return cv.Unpaired[i].ID < cv.Unpaired[j].ID })
	return cv
}
