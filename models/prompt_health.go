package models

import (
	"context"
	"fmt"
	"math"
)

// Prompt health thresholds. A prompt is judged only once it has
// PromptHealthMinVotes valid votes; a model counts towards its
// discrimination only with DiscriminationMinModelVotes valid votes on it.
const (
	PromptHealthMinVotes        = 30
	DiscriminationMinModelVotes = 10
	// BothBadFlagRate: at or above this share of "both bad" votes, the
	// prompt's clips are mostly unusable.
	BothBadFlagRate = 0.5
)

// Prompt health flags.
const (
	// FlagNoSeparation: the spread of the models' win rates on the prompt is
	// no larger than voting noise alone would give, so its votes carry
	// little information about which model is better.
	FlagNoSeparation = "no_separation"
	// FlagMostlyBothBad: at least BothBadFlagRate of its votes said both
	// clips were bad.
	FlagMostlyBothBad = "mostly_both_bad"
)

// PromptHealth is how useful one prompt's votes are for ranking models.
// Rates are nil when there is nothing to divide by.
type PromptHealth struct {
	Prompt Prompt
	// Votes are the valid votes on the prompt; the rates below are shares
	// of them, except SkipRate and PositionBias.
	Votes       int64
	TieRate     *float64
	BothBadRate *float64
	// SkipRate is the share of matchups issued in the retention window
	// (PruneRetention; older unvoted ones are pruned) and since voted,
	// skipped or expired that were left without a vote: skipped explicitly
	// (SkipMatchup, counted at once) or abandoned until they expired.
	SkipRate *float64
	// PositionBias is the share of decisive (A or B) votes for side A; 0.5
	// is no bias.
	PositionBias *float64
	// Discrimination is the population standard deviation of the win rates
	// (ties and both-bad as half a win) of the models with at least
	// DiscriminationMinModelVotes votes on the prompt; nil with fewer than
	// two such models. Noise is the spread that binomial noise alone would
	// give those models: sqrt(mean of p(1-p)/n).
	Discrimination *float64
	Noise          *float64
	Models         int
	Flags          []string
}

// PromptVoteCount is one cell of the prompt health aggregation: matchups of
// one prompt, pair of models and outcome. Choice is "" for matchups left
// without a vote.
type PromptVoteCount struct {
	PromptID           uint
	ModelAID, ModelBID uint
	Choice             string
	Valid              bool
	// N counts all such matchups; Recent those issued inside the window
	// in which unvoted matchups are kept.
	N, Recent int64
}

// PromptHealthCounts runs the one aggregation query behind prompt health:
// voted matchups of all time, and unvoted ones once skipped or expired.
func (s *Store) PromptHealthCounts(ctx context.Context) ([]PromptVoteCount, error) {
	now := s.now().UTC()
	var rows []PromptVoteCount
	err := s.db.r.WithContext(ctx).Raw(`SELECT prompt_id, model_a_id, model_b_id,
			COALESCE(choice, '') AS choice, valid, COUNT(*) AS n,
			SUM(CASE WHEN issued_at >= ? THEN 1 ELSE 0 END) AS recent
		FROM matchups WHERE choice IS NOT NULL OR expires_at < ? OR skip_reason <> ''
		GROUP BY prompt_id, model_a_id, model_b_id, choice, valid`,
		now.Add(-PruneRetention), now).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("count prompt votes: %w", err)
	}
	return rows, nil
}

// LoadPromptHealth returns the health of every prompt, in id order.
func (s *Store) LoadPromptHealth(ctx context.Context) ([]PromptHealth, error) {
	rows, err := s.PromptHealthCounts(ctx)
	if err != nil {
		return nil, err
	}
	var prompts []Prompt
	if err := s.db.r.WithContext(ctx).Order("id").Find(&prompts).Error; err != nil {
		return nil, fmt.Errorf("load prompts: %w", err)
	}
	return ComputePromptHealth(prompts, rows), nil
}

// ComputePromptHealth turns the aggregated counts into one PromptHealth per
// prompt, in the order of prompts. Counts of unknown prompts are ignored.
func ComputePromptHealth(prompts []Prompt, rows []PromptVoteCount) []PromptHealth {
	type modelTally struct{ votes, score2 int64 } // score2: twice the wins, ties as one
	type acc struct {
		votes, ties, bothBad, a, b int64
		issued, skipped            int64
		models                     map[uint]*modelTally
	}
	byPrompt := make(map[uint]*acc, len(prompts))
	for _, p := range prompts {
		byPrompt[p.ID] = &acc{models: map[uint]*modelTally{}}
	}
	tally := func(ac *acc, id uint) *modelTally {
		if ac.models[id] == nil {
			ac.models[id] = &modelTally{}
		}
		return ac.models[id]
	}
	for _, r := range rows {
		ac := byPrompt[r.PromptID]
		if ac == nil {
			continue
		}
		ac.issued += r.Recent
		if r.Choice == "" {
			ac.skipped += r.Recent
			continue
		}
		if !r.Valid {
			continue
		}
		ac.votes += r.N
		ma, mb := tally(ac, r.ModelAID), tally(ac, r.ModelBID)
		ma.votes += r.N
		mb.votes += r.N
		switch r.Choice {
		case ChoiceA:
			ac.a += r.N
			ma.score2 += 2 * r.N
		case ChoiceB:
			ac.b += r.N
			mb.score2 += 2 * r.N
		case ChoiceTie, ChoiceBothBad:
			if r.Choice == ChoiceTie {
				ac.ties += r.N
			} else {
				ac.bothBad += r.N
			}
			ma.score2 += r.N
			mb.score2 += r.N
		}
	}
	out := make([]PromptHealth, 0, len(prompts))
	for _, p := range prompts {
		ac := byPrompt[p.ID]
		h := PromptHealth{Prompt: p, Votes: ac.votes,
			TieRate: ratio(ac.ties, ac.votes), BothBadRate: ratio(ac.bothBad, ac.votes),
			SkipRate: ratio(ac.skipped, ac.issued), PositionBias: ratio(ac.a, ac.a+ac.b)}
		var rates, noise []float64
		for _, m := range ac.models {
			if m.votes < DiscriminationMinModelVotes {
				continue
			}
			p := float64(m.score2) / float64(2*m.votes)
			rates = append(rates, p)
			noise = append(noise, p*(1-p)/float64(m.votes))
		}
		h.Models = len(rates)
		if len(rates) >= 2 {
			sd, nv := stddev(rates), math.Sqrt(mean(noise))
			h.Discrimination, h.Noise = &sd, &nv
		}
		if ac.votes >= PromptHealthMinVotes {
			if h.Discrimination != nil && *h.Discrimination <= *h.Noise {
				h.Flags = append(h.Flags, FlagNoSeparation)
			}
			if *h.BothBadRate >= BothBadFlagRate {
				h.Flags = append(h.Flags, FlagMostlyBothBad)
			}
		}
		out = append(out, h)
	}
	return out
}

func ratio(n, d int64) *float64 {
	if d == 0 {
		return nil
	}
	r := float64(n) / float64(d)
	return &r
}

func mean(xs []float64) float64 {
	var s float64
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

// stddev is the population standard deviation.
func stddev(xs []float64) float64 {
	m := mean(xs)
	var s float64
	for _, x := range xs {
		s += (x - m) * (x - m)
	}
	return math.Sqrt(s / float64(len(xs)))
}
