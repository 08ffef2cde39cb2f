package models

import (
	"context"
	"fmt"
)

// Dashboard is the admin overview: totals, which models have clips for which
// prompts, votes per model and clips that cannot be shown for want of a pair.
type Dashboard struct {
	Models, ActiveModels   int64
	Prompts, ActivePrompts int64
	Clips, ActiveClips     int64
	Voters                 int64
	Votes, ValidVotes      int64
	// ModelList orders the columns of Coverage and the rows of VotesPerModel.
	ModelList     []Model
	Coverage      []CoverageRow
	VotesPerModel []ModelVotes
	// Unpaired are active clips that no matchup can use: no other active
	// model has an active clip for the same prompt in the same pool.
	Unpaired []Clip
}

// CoverageRow counts one prompt's active clips per model, in ModelList order.
type CoverageRow struct {
	Prompt Prompt
	Clips  []int64
}

// ModelVotes counts the votes a model took part in.
type ModelVotes struct {
	Model        Model
	Votes, Valid int64
}

// LoadDashboard computes the admin overview. It reads whole tables of models,
// prompts and clips, which stay small; votes are counted in the database.
func (s *Store) LoadDashboard(ctx context.Context) (Dashboard, error) {
	db := s.db.r.WithContext(ctx)
	var d Dashboard
	var prompts []Prompt
	var clips []Clip
	if err := db.Order("name, id").Find(&d.ModelList).Error; err != nil {
		return d, fmt.Errorf("load models: %w", err)
	}
	if err := db.Order("id").Find(&prompts).Error; err != nil {
		return d, fmt.Errorf("load prompts: %w", err)
	}
	if err := db.Order("id").Find(&clips).Error; err != nil {
		return d, fmt.Errorf("load clips: %w", err)
	}
	if err := db.Model(&Voter{}).Count(&d.Voters).Error; err != nil {
		return d, err
	}
	var votes []struct {
		ModelAID, ModelBID uint
		Valid              bool
		N                  int64
	}
	err := db.Model(&Matchup{}).Select("model_a_id, model_b_id, valid, COUNT(*) AS n").
		Where("choice IS NOT NULL").Group("model_a_id, model_b_id, valid").Scan(&votes).Error
	if err != nil {
		return d, fmt.Errorf("count votes: %w", err)
	}

	col := make(map[uint]int, len(d.ModelList))
	activeModel := make(map[uint]bool)
	for i, m := range d.ModelList {
		col[m.ID] = i
		activeModel[m.ID] = m.Active
		d.Models++
		if m.Active {
			d.ActiveModels++
		}
	}
	perModel := make([]ModelVotes, len(d.ModelList))
	for i, m := range d.ModelList {
		perModel[i].Model = m
	}
	for _, v := range votes {
		d.Votes += v.N
		if v.Valid {
			d.ValidVotes += v.N
		}
		for _, id := range []uint{v.ModelAID, v.ModelBID} {
			if i, ok := col[id]; ok {
				perModel[i].Votes += v.N
				if v.Valid {
					perModel[i].Valid += v.N
				}
			}
		}
	}
	d.VotesPerModel = perModel

	row := make(map[uint]int, len(prompts))
	activePrompt := make(map[uint]bool)
	for _, p := range prompts {
		row[p.ID] = len(d.Coverage)
		activePrompt[p.ID] = p.Active
		d.Coverage = append(d.Coverage, CoverageRow{Prompt: p, Clips: make([]int64, len(d.ModelList))})
		d.Prompts++
		if p.Active {
			d.ActivePrompts++
		}
	}
	type group struct {
		pool   string
		prompt uint
	}
	models := make(map[group]map[uint]bool)
	for _, c := range clips {
		d.Clips++
		if !c.Active {
			continue
		}
		d.ActiveClips++
		if r, ok := row[c.PromptID]; ok {
			if i, ok := col[c.ModelID]; ok {
				d.Coverage[r].Clips[i]++
			}
		}
		if activeModel[c.ModelID] && activePrompt[c.PromptID] {
			g := group{c.Pool, c.PromptID}
			if models[g] == nil {
				models[g] = make(map[uint]bool)
			}
			models[g][c.ModelID] = true
		}
	}
	for _, c := range clips {
		if c.Active && activeModel[c.ModelID] && activePrompt[c.PromptID] && len(models[group{c.Pool, c.PromptID}]) < 2 {
			d.Unpaired = append(d.Unpaired, c)
		}
	}
	return d, nil
}
