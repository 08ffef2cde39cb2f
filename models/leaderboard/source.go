package leaderboard

import (
	"context"
	"time"

	"github.com/arena-video/arena/models"
)

// Source is everything this package needs from the database; *models.Store
// is one. Each part of the package asks only for its own slice of it, so a
// reader (or a fake in a test) sees what each part touches. Snapshot bodies
// are JSON-encoded Leaderboards.
type Source interface {
	BoardSource
	HistorySource
	RecomputeSource
}

// BoardSource is what fitting, storing and serving the current leaderboards
// needs: vote tallies, the newest snapshots, and the catalog facts a board
// names.
type BoardSource interface {
	// Now is the clock snapshots are dated by.
	Now() time.Time
	// VoteTallies counts valid votes by pool, category, models and choice.
	VoteTallies(ctx context.Context, f models.TallyFilter) ([]models.Tally, error)
	// EachVoteCells counts valid votes by pool, category, models, choice,
	// clips and imported clips' style vectors, sorted so, and hands them
	// over one pool and category at a time: what both boards of every
	// leaderboard fit, from one query.
	EachVoteCells(ctx context.Context, f models.TallyFilter, fn func([]models.VoteCell) error) error
	// MeasuredClipStyles returns the style features of the measured clips.
	MeasuredClipStyles(ctx context.Context) (map[uint]models.ClipStyle, error)
	// ImportedClipStyles returns the style vectors imported votes carried,
	// by number.
	ImportedClipStyles(ctx context.Context) (map[uint]models.ClipStyle, error)
	// LastVote is the time of the newest valid vote of a pool and category
	// (any category when empty) cast at or before until (any time when
	// zero); nil when there is none.
	LastVote(ctx context.Context, pool, category string, until time.Time) (*time.Time, error)
	// NewestSnapshotID finds the newest snapshot of key computed at or
	// before notAfter (any time when zero); 0 when there is none.
	NewestSnapshotID(ctx context.Context, key string, notAfter time.Time) (uint, error)
	// Snapshot loads one snapshot.
	Snapshot(ctx context.Context, id uint) (models.Snapshot, error)
	// AddSnapshot stores a snapshot and sets its id.
	AddSnapshot(ctx context.Context, snap *models.Snapshot) error
	// SnapshotKeys lists the distinct keys of stored snapshots.
	SnapshotKeys(ctx context.Context) ([]string, error)
	// SnapshotTimes lists every snapshot's id, key and time, without bodies,
	// by key and then newest first.
	SnapshotTimes(ctx context.Context) ([]models.Snapshot, error)
	// DeleteSnapshots removes snapshots by id.
	DeleteSnapshots(ctx context.Context, ids []uint) error
	// ModelBySlug finds the anchor model.
	ModelBySlug(ctx context.Context, slug string) (models.Model, error)
	// PromptCategories lists the categories of the prompts with clips in a
	// pool (every pool when empty).
	PromptCategories(ctx context.Context, pool string) ([]string, error)
	// NoteRecompute records how long a recompute took, for /metrics.
	NoteRecompute(d time.Duration)
}

// HistorySource is what the leaderboards' history needs: votes in time
// order for a rebuild, a key's stored snapshots, and the rank events that
// cite them.
type HistorySource interface {
	// FirstVote is the time of the oldest valid vote; ok is false without any.
	FirstVote(ctx context.Context) (first time.Time, ok bool, err error)
	// ScanVotes calls fn with every valid vote of a pool: its time in whole
	// seconds, its models as shown and its choice.
	ScanVotes(ctx context.Context, pool string, fn func(sec int64, a, b uint, choice string)) error
	// SnapshotsOf lists a key's snapshots (id and time, no body), oldest first.
	SnapshotsOf(ctx context.Context, key string) ([]models.Snapshot, error)
	// SnapshotsByID loads snapshots, bodies included.
	SnapshotsByID(ctx context.Context, ids []uint) ([]models.Snapshot, error)
	// CompactSnapshot replaces a snapshot's body with a smaller one.
	CompactSnapshot(ctx context.Context, id uint, body string) error
	// AddRebuiltSnapshot stores a snapshot of a rebuilt history and the
	// rank events it shows, together; it sets the snapshot id and each
	// event's SnapshotID.
	AddRebuiltSnapshot(ctx context.Context, snap *models.Snapshot, evs []models.RankEvent) error
	// AddRankEvents stores rank events; one already stored (same key) is
	// skipped.
	AddRankEvents(ctx context.Context, evs []models.RankEvent) error
	// CitedSnapshots lists the snapshots a rank event links to.
	CitedSnapshots(ctx context.Context) (map[uint]bool, error)
	// CatalogModels returns every model by id; callers must not change it.
	CatalogModels(ctx context.Context) (map[uint]models.Model, error)
	// CatalogVersion changes whenever the models may have changed.
	CatalogVersion(ctx context.Context) (uint64, error)
}

// RecomputeSource is what the Recomputer needs to know when a recompute is
// due and whether this instance may run it.
type RecomputeSource interface {
	// WithLeaderLock runs fn unless another instance holds the named lock.
	WithLeaderLock(ctx context.Context, name string, fn func() error) (bool, error)
	// VotesRecorded counts the votes recorded through this Source, so the
	// Recomputer knows whether a recompute is due.
	VotesRecorded() uint64
	// RankingChanged receives after a change other than a vote that moves
	// the rankings, made through this Source: the Recomputer recomputes at
	// once.
	RankingChanged() <-chan struct{}
}
