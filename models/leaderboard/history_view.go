package leaderboard

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/arena-video/arena/models"
)

// HistoryPoint is a model's place on one stored board of a pool: the
// history chart's points and the model API's history entries.
type HistoryPoint struct {
	At         time.Time `json:"at"`
	Score      float64   `json:"score"`
	CILower    float64   `json:"ci_lower"`
	CIUpper    float64   `json:"ci_upper"`
	Rank       int       `json:"rank"`
	SnapshotID uint      `json:"snapshot_id"`
}

// historyCache keeps, for each board key, every stored board reduced to
// its history points, so a model page reads its history from memory. Its
// zero value is ready to use.
type historyCache struct {
	mu     sync.Mutex
	series map[string]*boardSeries
}

// boardSeries is one key's stored boards, oldest first, as of the newest
// snapshot and catalog they were read under.
type boardSeries struct {
	newestID uint
	catalog  uint64
	boards   []pastBoard
}

type pastBoard struct {
	id   uint
	lb   *Leaderboard          // standings only
	rows map[uint]HistoryPoint // by model id; ranks as the public saw them then
}

// ModelHistory returns a model's points on every stored board of a pool
// (all categories), oldest first. Ranks leave out the models retired at each
// board's time, as the board showed them. It reads memory once the pool's
// boards are loaded; a new snapshot loads only itself.
func (b *Boards) ModelHistory(ctx context.Context, pool string, modelID uint) ([]HistoryPoint, error) {
	ser, err := b.series(ctx, Key(pool, ""))
	if err != nil {
		return nil, err
	}
	var out []HistoryPoint
	for _, pb := range ser.boards {
		if p, ok := pb.rows[modelID]; ok {
			out = append(out, p)
		}
	}
	return out, nil
}

// series returns the cached boards of a key, brought up to date with the
// newest snapshot and the catalog.
func (b *Boards) series(ctx context.Context, key string) (*boardSeries, error) {
	newest, err := b.cached(ctx, key)
	if err != nil {
		return nil, err
	}
	version, err := b.hist.CatalogVersion(ctx)
	if err != nil {
		return nil, err
	}
	b.history.mu.Lock()
	defer b.history.mu.Unlock()
	old := b.history.series[key]
	if old != nil && old.newestID == newest.id && old.catalog == version {
		return old, nil
	}
	ms, err := b.hist.CatalogModels(ctx)
	if err != nil {
		return nil, err
	}
	snaps, err := b.hist.SnapshotsOf(ctx, key)
	if err != nil {
		return nil, err
	}
	have := make(map[uint]*Leaderboard, len(snaps))
	if old != nil {
		for _, pb := range old.boards {
			have[pb.id] = pb.lb
		}
	}
	var missing []uint
	for _, sn := range snaps {
		if have[sn.ID] == nil {
			missing = append(missing, sn.ID)
		}
	}
	loaded, err := b.hist.SnapshotsByID(ctx, missing)
	if err != nil {
		return nil, err
	}
	for _, sn := range loaded {
		lb, err := parseSnapshot(sn)
		if err != nil {
			return nil, err
		}
		have[sn.ID] = compactBoard(lb)
	}
	ser := &boardSeries{newestID: newest.id, catalog: version}
	for _, sn := range snaps {
		if lb := have[sn.ID]; lb != nil {
			ser.boards = append(ser.boards, pastBoard{id: sn.ID, lb: lb, rows: historyRows(ms, lb)})
		}
	}
	if b.history.series == nil {
		b.history.series = make(map[string]*boardSeries)
	}
	b.history.series[key] = ser
	return ser, nil
}

// historyRows turns a board into history points, ranked among the models
// not retired at the board's time.
func historyRows(ms map[uint]models.Model, lb *Leaderboard) map[uint]HistoryPoint {
	listed := func(id uint) bool { return ListedAt(ms[id], lb.ComputedAt) }
	rows := make(map[uint]HistoryPoint, len(lb.Standings))
	for _, st := range RankAmong(lb.Standings, listed) {
		rows[st.ModelID] = HistoryPoint{At: lb.ComputedAt.UTC(), Score: st.Score, CILower: st.CILower, CIUpper: st.CIUpper, Rank: st.Rank, SnapshotID: lb.SnapshotID}
	}
	return rows
}

// ErrBeforeFirstBoard means a time is earlier than every stored board.
var ErrBeforeFirstBoard = errors.New("before the first stored board")

// AsOf returns the newest stored board of a pool and category computed at
// or before t. Before the first one it returns ErrBeforeFirstBoard, with
// the first board's time in the message.
func (b *Boards) AsOf(ctx context.Context, pool, category string, t time.Time) (*Leaderboard, error) {
	key := Key(pool, category)
	id, err := b.src.NewestSnapshotID(ctx, key, t.UTC())
	if err != nil {
		return nil, err
	}
	if id == 0 {
		snaps, err := b.hist.SnapshotsOf(ctx, key)
		if err != nil {
			return nil, err
		}
		if len(snaps) == 0 {
			return nil, fmt.Errorf("%w: no board of pool %s has been stored yet", ErrBeforeFirstBoard, pool)
		}
		return nil, fmt.Errorf("%w: the first board of pool %s is from %s", ErrBeforeFirstBoard, pool, snaps[0].ComputedAt.UTC().Format(time.RFC3339))
	}
	return b.load(ctx, id)
}

// Stored returns the stored board with the given id, or models.ErrNotFound.
func (b *Boards) Stored(ctx context.Context, id uint) (*Leaderboard, error) {
	snaps, err := b.hist.SnapshotsByID(ctx, []uint{id})
	if err != nil {
		return nil, err
	}
	if len(snaps) == 0 || !isBoardKey(snaps[0].Key) {
		return nil, fmt.Errorf("%w: no snapshot %d", models.ErrNotFound, id)
	}
	return parseSnapshot(snaps[0])
}
