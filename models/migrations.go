package models

import (
	"context"
	"fmt"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"
)

// migrationTable holds the ids of applied migrations.
const migrationTable = "schema_migrations"

// migrations lists every schema change in the order it is applied, which is
// the order they shipped in, not the order of their ids. Never edit or
// reorder one that has shipped: append a new one at the end. The first
// migration creates the tables from the entity structs; later ones must
// name their columns explicitly so that they mean the same thing on every
// database they meet. The bodies are in migrations_steps.go, in this order,
// then in migrations_<topic>.go for the later ones, in this order too.
func migrations() []*gormigrate.Migration {
	return []*gormigrate.Migration{
		{ID: "0001_init", Migrate: migrateInit},
		{ID: "0002_vote_indexes", Migrate: migrateVoteIndexes},
		{ID: "0300_vote_validity", Migrate: migrateVoteValidity},
		{ID: "0100_admin_tokens_sessions", Migrate: migrateAdminTokensSessions},
		{ID: "0200_ranking_indexes", Migrate: migrateRankingIndexes},
		{ID: "0600_clip_style_features", Migrate: migrateClipStyleFeatures},
		{ID: "0700_history", Migrate: migrateHistory},
		{ID: "0701_history_scan_index", Migrate: migrateHistoryScanIndex},
		{ID: "0500_admin_access", Migrate: migrateAdminAccess},
		{ID: "0510_vote_evidence", Migrate: migrateVoteEvidence},
		{ID: "0520_targeting_flags", Migrate: migrateTargetingFlags},
		{ID: "0800_shared_limits", Migrate: migrateSharedLimits},
		{ID: "0400_clip_renditions", Migrate: migrateClipRenditions},
		{ID: "0401_skips_and_reports", Migrate: migrateSkipsAndReports},
		{ID: "0601_imported_vote_styles", Migrate: migrateImportedVoteStyles},
		{ID: "0810_catalog_indexes", Migrate: migrateCatalogIndexes},
		{ID: "0811_catalog_changes", Migrate: migrateCatalogChanges},
		{ID: "0812_address_budgets", Migrate: migrateAddressBudgets},
		{ID: "0813_login_failures", Migrate: migrateLoginFailures},
		{ID: "0660_imported_style_ids", Migrate: migrateImportedStyleIDs},
		{ID: "0661_tally_index_valid_last", Migrate: migrateTallyIndexValidLast},
	}
}

// migrate applies pending migrations, refusing a database written by a newer
// binary: running old code on a newer schema could silently lose data.
func migrate(ctx context.Context, db *gorm.DB, d dialect) error {
	db = db.WithContext(ctx)
	unlock, err := lockMigrations(ctx, db, d)
	if err != nil {
		return err
	}
	defer unlock()

	list := migrations()
	if db.Migrator().HasTable(migrationTable) {
		var applied []string
		if err := db.Table(migrationTable).Pluck("id", &applied).Error; err != nil {
			return fmt.Errorf("read applied migrations: %w", err)
		}
		known := make(map[string]bool, len(list))
		for _, m := range list {
			known[m.ID] = true
		}
		for _, id := range applied {
			if !known[id] {
				return fmt.Errorf("%w: it has migration %q, which this binary does not know; run a newer Arena", ErrSchemaTooNew, id)
			}
		}
	}
	opts := *gormigrate.DefaultOptions
	opts.TableName = migrationTable
	opts.UseTransaction = true
	if err := gormigrate.New(db, &opts, list).Migrate(); err != nil {
		return fmt.Errorf("migrate database: %w", err)
	}
	return nil
}

// lockMigrations keeps two processes from migrating at once. On SQLite the
// migration transaction itself takes the database's write lock; on
// PostgreSQL instances starting together wait on an advisory lock, and the
// later ones find the migrations applied.
func lockMigrations(ctx context.Context, db *gorm.DB, d dialect) (unlock func(), err error) {
	if !d.postgres() {
		return func() {}, nil
	}
	unlock, _, err = advisoryLock(ctx, db, "migrations", true)
	return unlock, err
}
