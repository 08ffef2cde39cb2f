package leaderboard

import (
	"context"
	"time"

	"github.com/arena-video/arena/models"
	"github.com/arena-video/arena/models/history"
)

// afterSave runs once a board is stored as the newest of its key: the board
// it replaced keeps only its per-model rows, and on a pool's board (all
// categories) every rank change against the replaced one becomes a feed
// event.
func (b *Boards) afterSave(ctx context.Context, prev *cachedBoard, lb *Leaderboard) error {
	if prev == nil || prev.board == nil {
		// Nothing cached (a command run, a fresh process): the board this
		// one follows is the newest stored before it.
		old, err := b.boardBefore(ctx, Key(lb.Pool, lb.Category), lb.ComputedAt, lb.SnapshotID)
		if err != nil {
			return err
		}
		if old != nil {
			prev = &cachedBoard{id: old.SnapshotID, board: old}
		}
	}
	var before *Leaderboard
	if prev != nil && prev.board != nil && prev.id != lb.SnapshotID {
		before = prev.board
		if before.WinRate != nil || before.Pairs != nil {
			body, err := compactBody(before)
			if err != nil {
				return err
			}
			if err := b.hist.CompactSnapshot(ctx, prev.id, body); err != nil {
				return err
			}
		}
	}
	if lb.Category != "" {
		return nil
	}
	ms, err := b.hist.CatalogModels(ctx)
	if err != nil {
		return err
	}
	return b.hist.AddRankEvents(ctx, b.changes(ms, before, lb))
}

// boardBefore loads the newest board of a key computed at or before t,
// other than the snapshot not (0 for none), or nil.
func (b *Boards) boardBefore(ctx context.Context, key string, t time.Time, not uint) (*Leaderboard, error) {
	snaps, err := b.hist.SnapshotsOf(ctx, key)
	if err != nil {
		return nil, err
	}
	for i := len(snaps) - 1; i >= 0; i-- {
		if sn := snaps[i]; sn.ID != not && !sn.ComputedAt.After(t) {
			return b.load(ctx, sn.ID)
		}
	}
	return nil, nil
}

// rows is a board as the feed sees it: ranks among the models listed at
// the board's time (retired ones left out), and which rows are ranked
// rather than provisional.
func (b *Boards) rows(ms map[uint]models.Model, lb *Leaderboard) []history.Row {
	if lb == nil {
		return nil
	}
	listed := func(id uint) bool { return ListedAt(ms[id], lb.ComputedAt) }
	out := make([]history.Row, 0, len(lb.Standings))
	for _, st := range RankAmong(lb.Standings, listed) {
		out = append(out, history.Row{ModelID: st.ModelID, Rank: st.Rank, Listed: listed(st.ModelID) && st.Votes >= b.opts.MinVotes})
	}
	return out
}

// changes lists the feed events between two successive boards of a pool.
func (b *Boards) changes(ms map[uint]models.Model, prev, cur *Leaderboard) []models.RankEvent {
	var evs []models.RankEvent
	for _, c := range history.Changes(b.rows(ms, prev), b.rows(ms, cur)) {
		evs = append(evs, models.RankEvent{
			EventKey: history.Key(cur.Pool, c, cur.ComputedAt), Pool: cur.Pool, ModelID: c.ModelID, Kind: string(c.Kind),
			Rank: c.Rank, PrevRank: c.PrevRank, At: cur.ComputedAt.UTC(), SnapshotID: cur.SnapshotID,
		})
	}
	return evs
}
