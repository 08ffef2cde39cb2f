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
