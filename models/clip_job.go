package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/arena-video/arena/models/media"
)

// Job states.
const (
	JobQueued  = "queued"
	JobRunning = "running"
	JobDone    = "done"
	JobFailed  = "failed"
)

// MaxJobAttempts is how many times a job may be claimed. A job whose worker
// vanished (a crash, a kill) is claimed again when its lease runs out; a
// source that crashes every worker that touches it must not do so forever.
const MaxJobAttempts = 3

// ErrLeaseLost means a worker no longer holds its job: the lease ran out and
// another worker took it. The worker must drop its result.
var ErrLeaseLost = errors.New("the job's lease was lost to another worker")

// ClaimClipJob leases the oldest open job to owner for lease: a queued job,
// or a running one whose lease ran out. ok is false when there is none.
// Each job is claimed by one worker at a time on either database: the claim
// is a compare-and-set on the lease, and on PostgreSQL the candidate row is
// picked with FOR UPDATE SKIP LOCKED so concurrent claimers take different
// jobs instead of queueing on one. A job past MaxJobAttempts fails its clip
// instead of being claimed.
func (s *Store) ClaimClipJob(ctx context.Context, owner string, lease time.Duration) (job ClipJob, clip Clip, ok bool, err error) {
	for range 8 { // a few tries: a row another worker took is skipped
		now := s.now()
		err = s.db.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			q := tx.Model(&ClipJob{}).Select("id").
				Where("state IN ? AND (lease_until IS NULL OR lease_until < ?)", []string{JobQueued, JobRunning}, now).
				Order("id").Limit(1)
			if s.Dialect() == DialectPostgres {
				q = q.Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"})
			}
			var ids []uint
			if err := q.Pluck("id", &ids).Error; err != nil {
				return err
			}
			if len(ids) == 0 {
				return nil
			}
			until := now.Add(lease)
			res := tx.Model(&ClipJob{}).
				Where("id = ? AND state IN ? AND (lease_until IS NULL OR lease_until < ?)", ids[0], []string{JobQueued, JobRunning}, now).
				Updates(map[string]any{"state": JobRunning, "owner": owner, "lease_until": until,
					"attempts": gorm.Expr("attempts + 1"), "updated_at": now})
			if res.Error != nil || res.RowsAffected == 0 {
				return res.Error
			}
			if err := tx.Where("id = ?", ids[0]).Take(&job).Error; err != nil {
				return err
			}
			return tx.Where("id = ?", job.ClipID).Take(&clip).Error
		})
		if err != nil {
			return ClipJob{}, Clip{}, false, fmt.Errorf("claim clip job: %w", err)
		}
		if job.ID == 0 {
			return ClipJob{}, Clip{}, false, nil
		}
		if job.Attempts <= MaxJobAttempts {
			return job, clip, true, nil
		}
		reason := fmt.Sprintf("the transcode was interrupted %d times (the server crashed or was killed while rendering this clip)", MaxJobAttempts)
		if err := s.FailClipJob(ctx, job, owner, reason); err != nil && !errors.Is(err, ErrLeaseLost) {
			return ClipJob{}, Clip{}, false, err
		}
		job = ClipJob{}
	}
	return ClipJob{}, Clip{}, false, nil
}

// RenewClipJob extends owner's lease on job, or answers ErrLeaseLost.
func (s *Store) RenewClipJob(ctx context.Context, job ClipJob, owner string, lease time.Duration) error {
	now := s.now()
	res := s.db.w.WithContext(ctx).Model(&ClipJob{}).
		Where("id = ? AND owner = ? AND state = ?", job.ID, owner, JobRunning).
		Updates(map[string]any{"lease_until": now.Add(lease), "updated_at": now})
	if res.Error != nil {
		return fmt.Errorf("renew clip job: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrLeaseLost
	}
	return nil
}

// ReleaseClipJob hands a job back to the queue at once, as a worker shutting
// down does, without counting the attempt.
func (s *Store) ReleaseClipJob(ctx context.Context, job ClipJob, owner string) error {
	err := s.db.w.WithContext(ctx).Model(&ClipJob{}).
		Where("id = ? AND owner = ? AND state = ?", job.ID, owner, JobRunning).
		Updates(map[string]any{"state": JobQueued, "owner": "", "lease_until": nil,
			"attempts": gorm.Expr("attempts - 1"), "updated_at": s.now()}).Error
	if err != nil {
		return fmt.Errorf("release clip job: %w", err)
	}
	return nil
}

// SetClipProgress records how much of a clip's first rendition is done.
// Re-renders of ready clips leave their status alone.
func (s *Store) SetClipProgress(ctx context.Context, clipID uint, percent int) error {
	return s.db.w.WithContext(ctx).Model(&Clip{}).
		Where("id = ? AND status = ?", clipID, ClipProcessing).
		Update("progress", min(max(percent, 0), 99)).Error
}

// FinishClipJob records the rendition of job's clip and marks the clip ready,
// in one transaction, if owner still holds the job; else ErrLeaseLost and
// nothing changes.
func (s *Store) FinishClipJob(ctx context.Context, job ClipJob, owner string, r media.Rendition, p media.Profile) error {
	now := s.now()
	err := s.db.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&ClipJob{}).Where("id = ? AND owner = ? AND state = ?", job.ID, owner, JobRunning).
			Updates(map[string]any{"state": JobDone, "lease_until": nil, "error": "", "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrLeaseLost
		}
		return tx.Model(&Clip{}).Where("id = ?", job.ClipID).Updates(map[string]any{
			"blob_key": r.Key, "poster_key": r.PosterKey, "mime": r.Info.MIME, "size": r.Size,
			"duration_ms": r.Info.DurationMS, "width": r.Info.Width, "height": r.Info.Height,
			"metadata_stripped": true, "rendition_profile": p.String(), "fps": float64(p.FPS),
			"status": ClipReady, "progress": 100, "error": "",
		}).Error
	})
	if err != nil {
		if errors.Is(err, ErrLeaseLost) {
			return err
		}
		return fmt.Errorf("finish clip job: %w", err)
	}
	s.invalidate()
	return nil
}

// FailClipJob marks job failed with reason. A clip that never had a
// rendition becomes ClipFailed with the reason; a ready clip whose re-render
// failed keeps serving its rendition, with the reason in Error.
func (s *Store) FailClipJob(ctx context.Context, job ClipJob, owner, reason string) error {
	reason = Truncate(reason, 500)
	now := s.now()
	err := s.db.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&ClipJob{}).Where("id = ? AND owner = ? AND state = ?", job.ID, owner, JobRunning).
			Updates(map[string]any{"state": JobFailed, "lease_until": nil, "error": reason, "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrLeaseLost
		}
		if err := tx.Model(&Clip{}).Where("id = ? AND status = ?", job.ClipID, ClipProcessing).
			Updates(map[string]any{"status": ClipFailed, "error": reason}).Error; err != nil {
			return err
		}
		return tx.Model(&Clip{}).Where("id = ? AND status = ?", job.ClipID, ClipReady).Update("error", reason).Error
	})
	if err != nil {
		if errors.Is(err, ErrLeaseLost) {
			return err
		}
		return fmt.Errorf("fail clip job: %w", err)
	}
	s.invalidate()
	return nil
}

// ReprocessClips queues a new rendition of the clip with the given public
// id, or of every clip when publicID is empty, keeping public ids: a clip
// stays in matchups with its old rendition until the new one is stored. A
// clip that already has an open job keeps it (whoever claims it renders
// with the current profile). It returns the ids of the jobs to wait for:
// the queued ones and the open ones, one per clip.
func (s *Store) ReprocessClips(ctx context.Context, publicID string) ([]uint, error) {
	var clips []Clip
	q := s.db.r.WithContext(ctx).Where("original_key <> ''")
	if publicID != "" {
		q = q.Where("public_id = ?", publicID)
	}
	if err := q.Order("id").Find(&clips).Error; err != nil {
		return nil, fmt.Errorf("list clips to reprocess: %w", err)
	}
	if publicID != "" && len(clips) == 0 {
		return nil, fmt.Errorf("%w: no clip %q with a stored original", ErrNotFound, publicID)
	}
	var ids []uint
	err := s.db.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		for _, c := range clips {
			var open []uint
			if err := tx.Model(&ClipJob{}).Where("clip_id = ? AND state IN ?", c.ID, []string{JobQueued, JobRunning}).Limit(1).Pluck("id", &open).Error; err != nil {
				return err
			}
			if len(open) > 0 {
				ids = append(ids, open[0])
				continue
			}
			j := ClipJob{ClipID: c.ID, State: JobQueued}
			if err := tx.Create(&j).Error; err != nil {
				return err
			}
			if c.Status == ClipFailed {
				if err := tx.Model(&Clip{}).Where("id = ?", c.ID).Updates(map[string]any{"status": ClipProcessing, "progress": 0, "error": ""}).Error; err != nil {
					return err
				}
			}
			ids = append(ids, j.ID)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("queue reprocessing: %w", err)
	}
	s.invalidate()
	return ids, nil
}
