package models

import "gorm.io/gorm"

// migrateCatalogIndexes lets the admin clip list filter a catalog of tens of
// thousands of clips by pool, status or active without reading the table:
// the model and prompt filters already have theirs. Each index ends, as
// every index does, with the row id, which is the list's order.
func migrateCatalogIndexes(tx *gorm.DB) error {
	return execAll(tx,
		`CREATE INDEX IF NOT EXISTS idx_clips_pool ON clips (pool)`,
		`CREATE INDEX IF NOT EXISTS idx_clips_status ON clips (status)`,
		`CREATE INDEX IF NOT EXISTS idx_clips_active ON clips (active)`,
	)
}
