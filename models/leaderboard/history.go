package leaderboard

import (
	"context"
	"fmt"
	"sort"
	"time"
)

// setRankChanges fills each standing's rank change against the newest
// snapshot of the same key that is at least a week old.
func (b *Boards) setRankChanges(ctx context.Context, lb *Leaderboard) error {
	id, err := b.src.NewestSnapshotID(ctx, Key(lb.Pool, lb.Category), lb.ComputedAt.Add(-7*24*time.Hour))
	if err != nil || id == 0 {
		return err
	}
	before, err := b.load(ctx, id)
	if err != nil {
		return err
	}
	for i := range lb.Standings {
		if st, at := before.StandingOf(lb.Standings[i].ModelID); at >= 0 {
			d := st.Rank - lb.Standings[i].Rank
			lb.Standings[i].RankChange = &d
		}
	}
	return nil
}

// prune thins the history so it stays small however often votes come: of
// each key's snapshots it keeps the newest of every hour for the last 48
// hours and the newest of every day before that, which is all the 7-day
// rank change needs. The newest snapshot of a key always stays, and so do
// rebuilt boards and those a rank event links to.
func (b *Boards) prune(ctx context.Context) (int, error) {
	now := b.src.Now().UTC()
	rows, err := b.src.SnapshotTimes(ctx)
	if err != nil {
		return 0, err
	}
	type bucket struct {
		key  string
		slot time.Time
	}
	kept := make(map[bucket]bool)
	cited, err := b.hist.CitedSnapshots(ctx)
	if err != nil {
		return 0, err
	}
	var drop []uint
	for _, r := range rows {
		if r.Rebuilt || cited[r.ID] {
			continue // one per step already, or the board a feed entry links to
		}
		at := r.ComputedAt.UTC()
		slot := at.Truncate(time.Hour)
		if now.Sub(at) > 48*time.Hour {
			slot = time.Date(at.Year(), at.Month(), at.Day(), 0, 0, 0, 0, time.UTC)
		}
		k := bucket{r.Key, slot}
		if kept[k] {
			drop = append(drop, r.ID)
			continue
		}
		kept[k] = true
	}
	sort.Slice(drop, func(i, j int) bool { return drop[i] < drop[j] })
	if err := b.src.DeleteSnapshots(ctx, drop); err != nil {
		return 0, fmt.Errorf("prune snapshots: %w", err)
	}
	return len(drop), nil
}
