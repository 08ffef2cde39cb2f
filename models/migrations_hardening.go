package models

import (
	"gorm.io/gorm"
)

// timestampType is the column type GORM makes for time.Time on the dialect
// of tx.
func timestampType(tx *gorm.DB) string {
	if dialectOf(tx).postgres() {
		return "timestamptz"
	}
	return "timestamp"
}

// addColumns adds each column a table lacks. A new database already has
// them: migration 0001 creates tables from the current structs.
func addColumns(tx *gorm.DB, cols []columnDDL) error {
	for _, c := range cols {
		if tx.Migrator().HasColumn(c.model, c.name) {
			continue
		}
		if err := tx.Exec(c.ddl).Error; err != nil {
			return err
		}
	}
	return nil
}

type columnDDL struct {
	model any
	name  string
	ddl   string
}

// migrateAdminAccess lets an admin be disabled and gives API tokens an
// expiry. Tokens made before had none: they get DefaultTokenTTL from when
// they were made, so forgotten old tokens stop working.
func migrateAdminAccess(tx *gorm.DB) error {
	ts := timestampType(tx)
	err := addColumns(tx, []columnDDL{
		{&Admin{}, "disabled_at", `ALTER TABLE admins ADD COLUMN disabled_at ` + ts + ` NULL`},
		{&AdminToken{}, "expires_at", `ALTER TABLE admin_tokens ADD COLUMN expires_at ` + ts + ` NULL`},
	})
	if err != nil {
		return err
	}
	var old []AdminToken
	if err := tx.Where("expires_at IS NULL").Find(&old).Error; err != nil {
		return err
	}
	for _, t := range old {
		exp := t.CreatedAt.Add(DefaultTokenTTL)
		if err := tx.Model(&AdminToken{}).Where("id = ?", t.ID).Update("expires_at", exp).Error; err != nil {
			return err
		}
	}
	return nil
}

// migrateVoteEvidence records, per matchup, the client network it was
// issued to, and per voter, the clips their client fetched: a vote counts
// only when both of its clips were fetched (see Options.RequireClipFetch).
func migrateVoteEvidence(tx *gorm.DB) error {
	ts := timestampType(tx)
	err := addColumns(tx, []columnDDL{
		{&Matchup{}, "client_net", `ALTER TABLE matchups ADD COLUMN client_net VARCHAR(64) NOT NULL DEFAULT ''`},
	})
	if err != nil {
		return err
	}
	return tx.Exec(`CREATE TABLE IF NOT EXISTS clip_fetches (
		voter_id VARCHAR(32) NOT NULL,
		clip_id INTEGER NOT NULL,
		fetched_at ` + ts + ` NOT NULL,
		PRIMARY KEY (voter_id, clip_id))`).Error
}

// migrateTargetingFlags stores the evidence of targeted voting found and
// undone, one row per group, pool and model.
func migrateTargetingFlags(tx *gorm.DB) error {
	ts := timestampType(tx)
	id := "INTEGER PRIMARY KEY AUTOINCREMENT"
	if dialectOf(tx).postgres() {
		id = "BIGSERIAL PRIMARY KEY"
	}
	return tx.Exec(`CREATE TABLE IF NOT EXISTS targeting_flags (
		id ` + id + `,
		group_key VARCHAR(80) NOT NULL,
		pool VARCHAR(16) NOT NULL,
		model_id INTEGER NOT NULL,
		llr DOUBLE PRECISION NOT NULL,
		threshold DOUBLE PRECISION NOT NULL,
		votes BIGINT NOT NULL,
		model_votes BIGINT NOT NULL,
		expected_model_votes DOUBLE PRECISION NOT NULL,
		decisive BIGINT NOT NULL,
		model_wins BIGINT NOT NULL,
		expected_wins DOUBLE PRECISION NOT NULL,
		skips BIGINT NOT NULL,
		invalidated BIGINT NOT NULL,
		flagged_at ` + ts + ` NOT NULL,
		checked_at ` + ts + ` NOT NULL,
		UNIQUE (group_key, pool, model_id))`).Error
}
