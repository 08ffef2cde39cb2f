package models

import (
	"context"
	"fmt"
)

// ClipJobsByID returns the jobs with the given ids, for waiting on them.
func (s *Store) ClipJobsByID(ctx context.Context, ids []uint) ([]ClipJob, error) {
	var jobs []ClipJob
	if len(ids) == 0 {
		return nil, nil
	}
	err := s.db.r.WithContext(ctx).Where("id IN ?", ids).Order("id").Find(&jobs).Error
	return jobs, err
}

// IngestionCounts is how many clips are processing or failed and how many
// jobs wait, for /healthz and the dashboard.
type IngestionCounts struct {
	Processing, Failed      int64
	QueuedJobs, RunningJobs int64
}

// IngestionCounts counts clips not ready by status, and open jobs.
func (s *Store) IngestionCounts(ctx context.Context) (IngestionCounts, error) {
	var n IngestionCounts
	type row struct {
		Status string
		N      int64
	}
	var rows []row
	db := s.db.r.WithContext(ctx)
	// Processing and failed clips are few and counted through the partial
	// index of clips not ready (idx_clips_status), which the database uses
	// only when the query repeats its condition word for word; ready clips,
	// nearly all of a large catalog, are not counted.
	for _, q := range []struct {
		status string
		n      *int64
	}{{ClipProcessing, &n.Processing}, {ClipFailed, &n.Failed}} {
		if err := db.Model(&Clip{}).Where(notReady+" AND status = ?", q.status).Count(q.n).Error; err != nil {
			return n, err
		}
	}
	if err := db.Model(&ClipJob{}).Select("state AS status, COUNT(*) AS n").Where("state IN ?", []string{JobQueued, JobRunning}).Group("state").Scan(&rows).Error; err != nil {
		return n, err
	}
	for _, r := range rows {
		if r.Status == JobQueued {
			n.QueuedJobs = r.N
		} else {
			n.RunningJobs = r.N
		}
	}
	return n, nil
}

// ClipStatus reads a clip straight from the database, for following its
// processing: the catalog may be seconds old.
func (s *Store) ClipStatus(ctx context.Context, publicID string) (Clip, error) {
	if !ValidID(publicID) {
		return Clip{}, fmt.Errorf("%w: no clip %q", ErrNotFound, publicID)
	}
	var c Clip
	if err := s.db.r.WithContext(ctx).Where("public_id = ?", publicID).Limit(1).Find(&c).Error; err != nil {
		return Clip{}, err
	}
	if c.ID == 0 {
		return Clip{}, fmt.Errorf("%w: no clip %q", ErrNotFound, publicID)
	}
	return c, nil
}

// OpenClipJobs counts a clip's queued and running jobs.
func (s *Store) OpenClipJobs(ctx context.Context, clipID uint) (int64, error) {
	var n int64
	err := s.db.r.WithContext(ctx).Model(&ClipJob{}).Where("clip_id = ? AND state IN ?", clipID, []string{JobQueued, JobRunning}).Count(&n).Error
	return n, err
}

// ClipIDsOfJobs returns the public ids of the clips the given jobs render,
// in job order.
func (s *Store) ClipIDsOfJobs(ctx context.Context, jobIDs []uint) ([]string, error) {
	if len(jobIDs) == 0 {
		return nil, nil
	}
	var ids []string
	err := s.db.r.WithContext(ctx).Table("clip_jobs").Joins("JOIN clips ON clips.id = clip_jobs.clip_id").
		Where("clip_jobs.id IN ?", jobIDs).Order("clip_jobs.id").Pluck("clips.public_id", &ids).Error
	return ids, err
}
