package models

import (
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// The bodies of the migrations, in the order migrations() applies them.
// Their ids are not in numeric order (0300 shipped before 0100): the list's
// order is what counts, and TestMigrations_ShippedOrderNeverChanges keeps it.

// migrateInit creates the tables from the entity structs as they were then.
func migrateInit(tx *gorm.DB) error {
	return tx.AutoMigrate(&Model{}, &Prompt{}, &Clip{}, &Voter{}, &Matchup{}, &Snapshot{}, &Admin{}, &AuditEntry{})
}

// migrateVoteIndexes lets counting votes read only voted rows: a partial
// index keeps pending matchups out of it.
func migrateVoteIndexes(tx *gorm.DB) error {
	return execAll(tx,
		`CREATE INDEX IF NOT EXISTS idx_matchups_voted ON matchups (pool, valid, voted_at) WHERE choice IS NOT NULL`,
		`CREATE INDEX IF NOT EXISTS idx_clips_prompt_model ON clips (prompt_id, model_id)`,
	)
}

// migrateVoteValidity adds what vote validity needs: the earliest time a
// matchup's vote counts, per-voter side counters kept by a trigger (so the
// vote itself stays one statement), and an index for finding a voter's
// pending matchups.
func migrateVoteValidity(tx *gorm.DB) error {
	timestamp := dialectOf(tx).timestamp()
	cols := []struct {
		model any
		name  string
		ddl   string
	}{
		{&Matchup{}, "watch_until", `ALTER TABLE matchups ADD COLUMN watch_until ` + timestamp},
		{&Voter{}, "valid_votes", `ALTER TABLE voters ADD COLUMN valid_votes bigint NOT NULL DEFAULT 0`},
		{&Voter{}, "a_votes", `ALTER TABLE voters ADD COLUMN a_votes bigint NOT NULL DEFAULT 0`},
		{&Voter{}, "b_votes", `ALTER TABLE voters ADD COLUMN b_votes bigint NOT NULL DEFAULT 0`},
	}
	// A new database already has the columns: migration 0001 creates tables
	// from the current structs.
	for _, c := range cols {
		if tx.Migrator().HasColumn(c.model, c.name) {
			continue
		}
		if err := tx.Exec(c.ddl).Error; err != nil {
			return err
		}
	}
	stmts := []string{
		`CREATE INDEX IF NOT EXISTS idx_matchups_pending ON matchups (voter_id, expires_at) WHERE choice IS NULL`,
		`CREATE INDEX IF NOT EXISTS idx_voters_flagged ON voters (flagged) WHERE flagged`,
	}
	if dialectOf(tx).postgres() {
		stmts = append(stmts, countVotesPostgres...)
	} else {
		stmts = append(stmts, countVotesSQLite)
	}
	return execAll(tx, stmts...)
}

// biasCondition is true once the counters (after this vote) show position
// bias. It reads NEW (the matchup row) and the voters columns.
var biasCondition = fmt.Sprintf(
	`valid_votes + 1 >= %d AND (a_votes + (NEW.choice = 'a')::int >= %g * (valid_votes + 1) OR b_votes + (NEW.choice = 'b')::int >= %g * (valid_votes + 1))`,
	PositionBiasMinVotes, PositionBiasShare, PositionBiasShare)

// countVotesSQLite (where comparisons are already 0 or 1, so the casts go)
// counts each valid vote on its voter's row, in the same
// statement as the vote, and flags the voter once the counters show position
// bias. A flagged voter's flag (and its reason) is never overwritten.
var countVotesSQLite = fmt.Sprintf(`CREATE TRIGGER IF NOT EXISTS count_valid_votes
AFTER UPDATE OF choice ON matchups
WHEN OLD.choice IS NULL AND NEW.choice IS NOT NULL AND NEW.valid
BEGIN
  UPDATE voters SET
    flagged = CASE WHEN flagged THEN flagged WHEN %[1]s THEN 1 ELSE 0 END,
    flag_reason = CASE WHEN flagged THEN flag_reason WHEN %[1]s THEN '%[2]s' ELSE flag_reason END,
    valid_votes = valid_votes + 1,
    a_votes = a_votes + (NEW.choice = 'a'),
    b_votes = b_votes + (NEW.choice = 'b')
  WHERE id = NEW.voter_id;
END`, strings.ReplaceAll(biasCondition, "::int", ""), ReasonPositionBias)

// countVotesPostgres is the same trigger for PostgreSQL.
var countVotesPostgres = []string{
	fmt.Sprintf(`CREATE OR REPLACE FUNCTION count_valid_votes() RETURNS trigger AS $$
BEGIN
  UPDATE voters SET
    flagged = CASE WHEN flagged THEN flagged WHEN %[1]s THEN true ELSE false END,
    flag_reason = CASE WHEN flagged THEN flag_reason WHEN %[1]s THEN '%[2]s' ELSE flag_reason END,
    valid_votes = valid_votes + 1,
    a_votes = a_votes + (NEW.choice = 'a')::int,
    b_votes = b_votes + (NEW.choice = 'b')::int
  WHERE id = NEW.voter_id;
  RETURN NULL;
END $$ LANGUAGE plpgsql`, biasCondition, ReasonPositionBias),
	`DROP TRIGGER IF EXISTS count_valid_votes ON matchups`,
	`CREATE TRIGGER count_valid_votes AFTER UPDATE OF choice ON matchups
FOR EACH ROW WHEN (OLD.choice IS NULL AND NEW.choice IS NOT NULL AND NEW.valid)
EXECUTE FUNCTION count_valid_votes()`,
}

// migrateAdminTokensSessions adds API tokens and server-side admin sessions.
func migrateAdminTokensSessions(tx *gorm.DB) error {
	return execAll(tx,
		`CREATE TABLE admin_tokens (
			id VARCHAR(32) PRIMARY KEY,
			admin_id INTEGER NOT NULL,
			token_hash VARCHAR(64) NOT NULL UNIQUE,
			created_at TIMESTAMP NOT NULL,
			revoked_at TIMESTAMP NULL)`,
		`CREATE INDEX idx_admin_tokens_admin_id ON admin_tokens (admin_id)`,
		`CREATE TABLE admin_sessions (
			id VARCHAR(64) PRIMARY KEY,
			admin_id INTEGER NOT NULL,
			created_at TIMESTAMP NOT NULL,
			last_seen_at TIMESTAMP NOT NULL,
			expires_at TIMESTAMP NOT NULL)`,
		`CREATE INDEX idx_admin_sessions_admin_id ON admin_sessions (admin_id)`,
	)
}

// migrateRankingIndexes adds the indexes the leaderboard reads through. The
// tally index holds every column the counting query touches, in its GROUP BY
// order, so counting a million votes is one pass over the index with no sort
// and no table lookups. The export index walks valid votes in time order for
// keyset pagination; the snapshot index finds a key's newest snapshot.
func migrateRankingIndexes(tx *gorm.DB) error {
	return execAll(tx,
		`CREATE INDEX IF NOT EXISTS idx_matchups_tally ON matchups (pool, category, model_a_id, model_b_id, choice, valid) WHERE choice IS NOT NULL`,
		`CREATE INDEX IF NOT EXISTS idx_matchups_export ON matchups (voted_at, id) WHERE choice IS NOT NULL`,
		`CREATE INDEX IF NOT EXISTS idx_snapshots_key_time ON snapshots (key, computed_at)`,
	)
}

// execAll runs statements in order, stopping at the first error.
func execAll(tx *gorm.DB, stmts ...string) error {
	for _, q := range stmts {
		if err := tx.Exec(q).Error; err != nil {
			return err
		}
	}
	return nil
}
