package models

import "gorm.io/gorm"

// migrateClipStyleFeatures adds the measured style features to clips. Old
// clips start unmeasured; `arena media features` measures them.
func migrateClipStyleFeatures(tx *gorm.DB) error {
	cols := []struct{ name, ddl string }{
		{"motion", `ALTER TABLE clips ADD COLUMN motion double precision NOT NULL DEFAULT 0`},
		{"brightness", `ALTER TABLE clips ADD COLUMN brightness double precision NOT NULL DEFAULT 0`},
		{"saturation", `ALTER TABLE clips ADD COLUMN saturation double precision NOT NULL DEFAULT 0`},
		{"features_measured", `ALTER TABLE clips ADD COLUMN features_measured boolean NOT NULL DEFAULT false`},
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
	return nil
}

// migrateImportedVoteStyles adds the style features imported votes carry:
// an imported vote names no clip, so its two clips' features are stored
// with the vote, one row per styled vote.
func migrateImportedVoteStyles(tx *gorm.DB) error {
	return execAll(tx, `CREATE TABLE IF NOT EXISTS imported_vote_styles (
	matchup_id varchar(32) PRIMARY KEY,
	a_duration_s double precision NOT NULL, a_motion double precision NOT NULL,
	a_brightness double precision NOT NULL, a_saturation double precision NOT NULL,
	a_has_audio double precision NOT NULL,
	b_duration_s double precision NOT NULL, b_motion double precision NOT NULL,
	b_brightness double precision NOT NULL, b_saturation double precision NOT NULL,
	b_has_audio double precision NOT NULL)`)
}
