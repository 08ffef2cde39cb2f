package models

import "gorm.io/gorm"

// migrateClipRenditions adds what canonical renditions need: each clip's
// status, progress and error, its poster, its private original and that
// original's probe, and the clip_jobs table the transcode workers claim
// from. Clips stored before it were remuxed uploads: they count as ready,
// with their stored file as the original, so `arena media reprocess --all`
// can turn them into renditions.
func migrateClipRenditions(tx *gorm.DB) error {
	timestamp, serial := "timestamp", "integer PRIMARY KEY AUTOINCREMENT"
	if tx.Dialector.Name() == "postgres" {
		timestamp, serial = "timestamptz", "bigserial PRIMARY KEY"
	}
	cols := []struct{ name, ddl string }{
		{"status", `ALTER TABLE clips ADD COLUMN status varchar(16) NOT NULL DEFAULT 'ready'`},
		{"progress", `ALTER TABLE clips ADD COLUMN progress bigint NOT NULL DEFAULT 0`},
		{"error", `ALTER TABLE clips ADD COLUMN error varchar(500) NOT NULL DEFAULT ''`},
		{"poster_key", `ALTER TABLE clips ADD COLUMN poster_key varchar(64) NOT NULL DEFAULT ''`},
		{"rendition_profile", `ALTER TABLE clips ADD COLUMN rendition_profile varchar(128) NOT NULL DEFAULT ''`},
		{"fps", `ALTER TABLE clips ADD COLUMN fps double precision NOT NULL DEFAULT 0`},
		{"original_key", `ALTER TABLE clips ADD COLUMN original_key varchar(64) NOT NULL DEFAULT ''`},
		{"original_mime", `ALTER TABLE clips ADD COLUMN original_mime varchar(32) NOT NULL DEFAULT ''`},
		{"original_size", `ALTER TABLE clips ADD COLUMN original_size bigint NOT NULL DEFAULT 0`},
		{"source_codec", `ALTER TABLE clips ADD COLUMN source_codec varchar(32) NOT NULL DEFAULT ''`},
		{"source_width", `ALTER TABLE clips ADD COLUMN source_width bigint NOT NULL DEFAULT 0`},
		{"source_height", `ALTER TABLE clips ADD COLUMN source_height bigint NOT NULL DEFAULT 0`},
		{"source_fps", `ALTER TABLE clips ADD COLUMN source_fps double precision NOT NULL DEFAULT 0`},
		{"source_kbps", `ALTER TABLE clips ADD COLUMN source_kbps bigint NOT NULL DEFAULT 0`},
		{"source_duration_ms", `ALTER TABLE clips ADD COLUMN source_duration_ms bigint NOT NULL DEFAULT 0`},
		{"source_has_audio", `ALTER TABLE clips ADD COLUMN source_has_audio boolean NOT NULL DEFAULT false`},
	}
	// A new database already has the columns: migration 0001 creates tables
	// from the current structs.
	for _, c := range cols {
		if tx.Migrator().HasColumn(&Clip{}, c.name) {
			continue
		}
		if err := tx.Exec(c.ddl).Error; err != nil {
			return err
		}
	}
	for _, q := range []string{
		`UPDATE clips SET progress = 100 WHERE status = 'ready'`,
		`UPDATE clips SET original_key = blob_key, original_mime = mime, original_size = size,
			source_duration_ms = duration_ms, source_width = width, source_height = height, source_has_audio = has_audio
			WHERE original_key = ''`,
		`CREATE TABLE IF NOT EXISTS clip_jobs (
			id ` + serial + `,
			clip_id bigint NOT NULL,
			state varchar(16) NOT NULL,
			attempts bigint NOT NULL DEFAULT 0,
			owner varchar(64) NOT NULL DEFAULT '',
			lease_until ` + timestamp + `,
			error varchar(500) NOT NULL DEFAULT '',
			created_at ` + timestamp + `,
			updated_at ` + timestamp + `
		)`,
		`CREATE INDEX IF NOT EXISTS idx_clip_jobs_clip_id ON clip_jobs (clip_id)`,
		// Workers look for open jobs only; done and failed ones are history.
		`CREATE INDEX IF NOT EXISTS idx_clip_jobs_open ON clip_jobs (id) WHERE state IN ('queued', 'running')`,
		`CREATE INDEX IF NOT EXISTS idx_clips_status ON clips (status) WHERE status <> 'ready'`,
	} {
		if err := tx.Exec(q).Error; err != nil {
			return err
		}
	}
	return nil
}

// migrateSkipsAndReports adds skipping a matchup without a vote, and voters'
// reports of broken or inappropriate clips: the skip on the matchup row, one
// report per voter, clip and reason, and the flag that withdraws a clip
// reported broken by enough voters.
func migrateSkipsAndReports(tx *gorm.DB) error {
	timestamp, serial := "timestamp", "integer PRIMARY KEY AUTOINCREMENT"
	if tx.Dialector.Name() == "postgres" {
		timestamp, serial = "timestamptz", "bigserial PRIMARY KEY"
	}
	cols := []struct {
		model any
		name  string
		ddl   string
	}{
		{&Matchup{}, "skip_reason", `ALTER TABLE matchups ADD COLUMN skip_reason varchar(16) NOT NULL DEFAULT ''`},
		{&Matchup{}, "skip_side", `ALTER TABLE matchups ADD COLUMN skip_side varchar(1) NOT NULL DEFAULT ''`},
		{&Matchup{}, "skipped_at", `ALTER TABLE matchups ADD COLUMN skipped_at ` + timestamp},
		{&Clip{}, "withdrawn", `ALTER TABLE clips ADD COLUMN withdrawn boolean NOT NULL DEFAULT false`},
	}
	for _, c := range cols {
		if tx.Migrator().HasColumn(c.model, c.name) {
			continue
		}
		if err := tx.Exec(c.ddl).Error; err != nil {
			return err
		}
	}
	for _, q := range []string{
		`CREATE TABLE IF NOT EXISTS clip_reports (
			id ` + serial + `,
			clip_id bigint NOT NULL,
			voter_id varchar(32) NOT NULL,
			reason varchar(16) NOT NULL,
			matchup_id varchar(32) NOT NULL,
			created_at ` + timestamp + `
		)`,
		`CREATE UNIQUE INDEX IF NOT EXISTS idx_clip_reports_once ON clip_reports (clip_id, voter_id, reason)`,
		`CREATE INDEX IF NOT EXISTS idx_matchups_skipped ON matchups (skip_reason) WHERE skip_reason <> ''`,
	} {
		if err := tx.Exec(q).Error; err != nil {
			return err
		}
	}
	return nil
}
