package models

import (
	"strings"

	"gorm.io/gorm"
)

// migrateCatalogIndexes lets the admin clip list filter a catalog of tens of
// thousands of clips by pool or active without reading the table: the
// model and prompt filters already have theirs, and the status filter the
// partial idx_clips_status of clips not ready. Each index ends, as
// every index does, with the row id, which is the list's order.
func migrateCatalogIndexes(tx *gorm.DB) error {
	return execAll(tx,
		`CREATE INDEX IF NOT EXISTS idx_clips_pool ON clips (pool)`,
		`CREATE INDEX IF NOT EXISTS idx_clips_active ON clips (active)`,
		// The dashboard lists withdrawn clips, a handful at most.
		`CREATE INDEX IF NOT EXISTS idx_clips_withdrawn ON clips (id) WHERE withdrawn`,
	)
}

// migrateCatalogChanges adds a counter that every change to models, prompts
// or clips bumps, by trigger, from any process: a Store whose catalog has
// reached CatalogMaxAge reads it (one row) and reloads the catalog only
// when it moved, instead of reading 50,000 clips again every few seconds.
func migrateCatalogChanges(tx *gorm.DB) error {
	stmts := []string{
		`CREATE TABLE IF NOT EXISTS catalog_changes (id integer PRIMARY KEY, n bigint NOT NULL)`,
		`INSERT INTO catalog_changes (id, n) VALUES (1, 0) ON CONFLICT (id) DO NOTHING`,
	}
	tables := []string{"models", "prompts", "clips"}
	if dialectOf(tx).postgres() {
		// Statement triggers: a bulk import bumps the counter once.
		stmts = append(stmts, `CREATE OR REPLACE FUNCTION bump_catalog_changes() RETURNS trigger AS $$
BEGIN
  UPDATE catalog_changes SET n = n + 1 WHERE id = 1;
  RETURN NULL;
END $$ LANGUAGE plpgsql`)
		for _, t := range tables {
			stmts = append(stmts, `DROP TRIGGER IF EXISTS bump_catalog_changes ON `+t,
				`CREATE TRIGGER bump_catalog_changes AFTER INSERT OR UPDATE OR DELETE ON `+t+`
FOR EACH STATEMENT EXECUTE FUNCTION bump_catalog_changes()`)
		}
		return execAll(tx, stmts...)
	}
	for _, t := range tables {
		for _, op := range []string{"INSERT", "UPDATE", "DELETE"} {
			stmts = append(stmts, `CREATE TRIGGER IF NOT EXISTS bump_catalog_changes_`+t+`_`+strings.ToLower(op)+`
AFTER `+op+` ON `+t+` BEGIN UPDATE catalog_changes SET n = n + 1 WHERE id = 1; END`)
		}
	}
	return execAll(tx, stmts...)
}
