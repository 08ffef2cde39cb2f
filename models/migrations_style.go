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

// migrateImportedStyleIDs (0660_imported_style_ids) numbers the distinct
// feature vectors of imported clips (imported_clip_styles) and stores the
// numbers of a vote's two clips on the vote itself (matchups.style_a_id
// and style_b_id, 0 for a vote without style), so the boards count votes
// with their style in one pass over the tally index instead of a join of
// every imported vote. The tally index gains the clip and style columns
// after the ones it had: the plain tally still reads its prefix without a
// sort, and vote writes keep the same number of indexes. Votes imported
// before are numbered from what imported_vote_styles holds.
func migrateImportedStyleIDs(tx *gorm.DB) error {
	stmts := []string{`CREATE TABLE IF NOT EXISTS imported_clip_styles (
	id bigint PRIMARY KEY,
	duration_s double precision NOT NULL, motion double precision NOT NULL,
	brightness double precision NOT NULL, saturation double precision NOT NULL,
	has_audio double precision NOT NULL)`,
		`CREATE UNIQUE INDEX IF NOT EXISTS idx_imported_clip_styles_features ON imported_clip_styles (duration_s, motion, brightness, saturation, has_audio)`,
	}
	for _, col := range []string{"style_a_id", "style_b_id"} {
		if !tx.Migrator().HasColumn(&Matchup{}, col) {
			stmts = append(stmts, `ALTER TABLE matchups ADD COLUMN `+col+` bigint NOT NULL DEFAULT 0`)
		}
	}
	side := func(s string) string {
		return s + "_duration_s AS duration_s, " + s + "_motion AS motion, " + s + "_brightness AS brightness, " +
			s + "_saturation AS saturation, " + s + "_has_audio AS has_audio"
	}
	idOf := func(s string) string {
		return `(SELECT c.id FROM imported_vote_styles v JOIN imported_clip_styles c ON c.duration_s = v.` + s + `_duration_s AND c.motion = v.` + s +
			`_motion AND c.brightness = v.` + s + `_brightness AND c.saturation = v.` + s + `_saturation AND c.has_audio = v.` + s + `_has_audio WHERE v.matchup_id = matchups.id)`
	}
	stmts = append(stmts,
		`INSERT INTO imported_clip_styles (id, duration_s, motion, brightness, saturation, has_audio)
	SELECT row_number() OVER (ORDER BY duration_s, motion, brightness, saturation, has_audio), u.* FROM (
		SELECT `+side("a")+` FROM imported_vote_styles UNION SELECT `+side("b")+` FROM imported_vote_styles) u`,
		`UPDATE matchups SET style_a_id = `+idOf("a")+`, style_b_id = `+idOf("b")+` WHERE id IN (SELECT matchup_id FROM imported_vote_styles)`,
		`DROP INDEX IF EXISTS idx_matchups_tally`,
		`CREATE INDEX idx_matchups_tally ON matchups (pool, category, model_a_id, model_b_id, choice, valid, clip_a_id, clip_b_id, style_a_id, style_b_id) WHERE choice IS NOT NULL`,
	)
	return execAll(tx, stmts...)
}

// migrateTallyIndexValidLast (0661_tally_index_valid_last) moves valid to
// the end of the tally index that 0660 widened. Between choice and the
// clips, it made SQLite sort every vote to group them by clip (the
// equality on valid does not let the rows after it count as ordered); at
// the end, the counting queries read the index in their GROUP BY order and
// check valid on each entry, as the plain tally always did.
func migrateTallyIndexValidLast(tx *gorm.DB) error {
	return execAll(tx,
		`DROP INDEX IF EXISTS idx_matchups_tally`,
		`CREATE INDEX idx_matchups_tally ON matchups (pool, category, model_a_id, model_b_id, choice, clip_a_id, clip_b_id, style_a_id, style_b_id, valid) WHERE choice IS NOT NULL`,
	)
}
