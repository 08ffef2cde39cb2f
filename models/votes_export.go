package models

import (
	"context"
	"fmt"
	"time"
)

// exportBatch is how many votes one keyset page reads: memory stays flat
// whatever the number of votes.
const exportBatch = 5000

// ExportVotes calls fn with every valid vote in the public battle format,
// oldest first, reading in pages by keyset (voted_at, id) so that the cost
// of a page does not grow with its position and memory does not grow with
// the number of votes. Nothing about the voter is read. A vote between two
// measured clips carries their style features, as does an imported vote
// that came with them.
func (s *Store) ExportVotes(ctx context.Context, fn func(BattleVote) error) error {
	cat, err := s.catalog(ctx)
	if err != nil {
		return err
	}
	styles, err := s.MeasuredClipStyles(ctx)
	if err != nil {
		return err
	}
	slugs := make(map[uint]string, len(cat.models))
	for id, m := range cat.models {
		slugs[id] = m.Slug
	}
	type row struct {
		ID       string
		PromptID uint
		Pool     string
		Category string
		ModelAID uint
		ModelBID uint
		ClipAID  uint
		ClipBID  uint
		Choice   string
		VotedAt  time.Time
	}
	var (
		afterAt time.Time
		afterID string
		first   = true
		rows    = make([]row, 0, exportBatch)
	)
	for {
		rows = rows[:0]
		q := s.db.r.WithContext(ctx).Model(&Matchup{}).
			Select("id, prompt_id, pool, category, model_a_id, model_b_id, clip_a_id, clip_b_id, choice, voted_at").
			Where("choice IS NOT NULL AND valid = ?", true)
		if !first {
			q = q.Where("(voted_at > ? OR (voted_at = ? AND id > ?))", afterAt, afterAt, afterID)
		}
		if err := q.Order("voted_at, id").Limit(exportBatch).Scan(&rows).Error; err != nil {
			return fmt.Errorf("export votes: %w", err)
		}
		// Imported votes name no clip; those that carried their clips'
		// features have them stored beside them.
		var imported []string
		for _, r := range rows {
			if r.ClipAID == 0 && r.ClipBID == 0 {
				imported = append(imported, r.ID)
			}
		}
		importedStyles, err := s.importedVoteStyles(ctx, imported)
		if err != nil {
			return err
		}
		for _, r := range rows {
			a, okA := slugs[r.ModelAID]
			b, okB := slugs[r.ModelBID]
			if !okA || !okB {
				if err := s.resolveSlugs(ctx, slugs, r.ModelAID, r.ModelBID); err != nil {
					return err
				}
				a, b = slugs[r.ModelAID], slugs[r.ModelBID]
			}
			v := BattleVote{ModelA: a, ModelB: b, Winner: winnerOf(r.Choice), PromptID: r.PromptID,
				Category: r.Category, Pool: r.Pool, Tstamp: r.VotedAt.Unix()}
			if sa, ok := styles[r.ClipAID]; ok {
				if sb, ok := styles[r.ClipBID]; ok {
					v.Style = &BattleStyle{A: styleFeaturesOf(sa), B: styleFeaturesOf(sb)}
				}
			}
			if st, ok := importedStyles[r.ID]; ok {
				v.Style = &st
			}
			if err := fn(v); err != nil {
				return err
			}
		}
		if len(rows) < exportBatch {
			return nil
		}
		last := rows[len(rows)-1]
		afterAt, afterID, first = last.VotedAt, last.ID, false
	}
}

// resolveSlugs adds models created since the catalog was loaded.
func (s *Store) resolveSlugs(ctx context.Context, slugs map[uint]string, ids ...uint) error {
	var ms []Model
	if err := s.db.r.WithContext(ctx).Select("id, slug").Where("id IN ?", ids).Find(&ms).Error; err != nil {
		return fmt.Errorf("load models: %w", err)
	}
	for _, m := range ms {
		slugs[m.ID] = m.Slug
	}
	return nil
}
