package models

import (
	"context"
	"fmt"
	"sort"
)

// Dashboard is the admin overview: totals and votes per model. Which
// models have clips for which prompts is Coverage.
type Dashboard struct {
	Models, ActiveModels   int64
	Prompts, ActivePrompts int64
	Clips, ActiveClips     int64
	Voters                 int64
	Votes, ValidVotes      int64
	// VotesPerModel lists every model in name order.
	VotesPerModel []ModelVotes
}

// ModelVotes counts the votes a model took part in.
type ModelVotes struct {
	Model        Model
	Votes, Valid int64
}

// LoadDashboard computes the admin overview. Models, prompts and clips are
// counted from the catalog (at most CatalogMaxAge old), so a catalog of
// 50,000 clips costs no table scan; voters and votes are counted in the
// database.
func (s *Store) LoadDashboard(ctx context.Context) (Dashboard, error) {
	c, err := s.catalog(ctx)
	if err != nil {
		return Dashboard{}, err
	}
	db := s.db.r.WithContext(ctx)
	var d Dashboard
	if err := db.Model(&Voter{}).Count(&d.Voters).Error; err != nil {
		return d, err
	}
	var votes []struct {
		ModelAID, ModelBID uint
		Valid              bool
		N                  int64
	}
	err = db.Model(&Matchup{}).Select("model_a_id, model_b_id, valid, COUNT(*) AS n").
		Where("choice IS NOT NULL").Group("model_a_id, model_b_id, valid").Scan(&votes).Error
	if err != nil {
		return d, fmt.Errorf("count votes: %w", err)
	}
	list := make([]Model, 0, len(c.models))
	for _, m := range c.models {
		list = append(list, m)
		d.Models++
		if m.Active {
			d.ActiveModels++
		}
	}
	sort.Slice(list, func(i, j int) bool {
		return list[i].Name < list[j].Name || list[i].Name == list[j].Name && list[i].ID < list[j].ID
	})
	row := make(map[uint]int, len(list))
	d.VotesPerModel = make([]ModelVotes, len(list))
	for i, m := range list {
		row[m.ID] = i
		d.VotesPerModel[i].Model = m
	}
	for _, v := range votes {
		d.Votes += v.N
		if v.Valid {
			d.ValidVotes += v.N
		}
		for _, id := range []uint{v.ModelAID, v.ModelBID} {
			if i, ok := row[id]; ok {
				d.VotesPerModel[i].Votes += v.N
				if v.Valid {
					d.VotesPerModel[i].Valid += v.N
				}
			}
		}
	}
	for _, p := range c.prompts {
		d.Prompts++
		if p.Active {
			d.ActivePrompts++
		}
	}
	cv, err := s.LoadCoverage(ctx)
	if err != nil {
		return d, err
	}
	d.Clips, d.ActiveClips = int64(cv.Clips), int64(cv.ActiveClips)
	return d, nil
}
