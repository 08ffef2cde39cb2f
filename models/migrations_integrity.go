package models

import (
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// Position bias: a voter whose valid votes pick the same side at least
// PositionBiasShare of the time, over at least PositionBiasMinVotes votes, is
// flagged and their later votes are stored invalid. Real preferences do not
// line up with a side that is assigned at random; a script clicking "A" does.
// They are constants because the database trigger that applies them is made
// by a migration.
const (
	PositionBiasMinVotes = 30
	PositionBiasShare    = 0.9
)

// Reasons a stored vote is invalid.
const (
	ReasonTooFast      = "too_fast"
	ReasonPositionBias = "position_bias"
	ReasonAdmin        = "admin"
	// ReasonFlagged is used for a flagged voter whose flag gives no reason.
	ReasonFlagged = "flagged"
)

// migrateVoteValidity adds what vote validity needs: the earliest time a
// matchup's vote counts, per-voter side counters kept by a trigger (so the
// vote itself stays one statement), and an index for finding a voter's
// pending matchups.
func migrateVoteValidity(tx *gorm.DB) error {
	timestamp := "timestamp"
	if tx.Dialector.Name() == "postgres" {
		timestamp = "timestamptz" // what GORM makes for time.Time there
	}
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
	if tx.Dialector.Name() == "postgres" {
		stmts = append(stmts, countVotesPostgres...)
	} else {
		stmts = append(stmts, countVotesSQLite)
	}
	for _, q := range stmts {
		if err := tx.Exec(q).Error; err != nil {
			return err
		}
	}
	return nil
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
