package models

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// Bulk writes of matchups: the multi-row INSERTs the vote import and the
// seeded demo votes share, and what makes a big import fast on SQLite.

// dropSecondaryIndexes drops a SQLite table's explicit indexes inside tx
// and returns the statements that create them again.
func dropSecondaryIndexes(ctx context.Context, tx *sql.Tx, table string) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`, table)
	if err != nil {
		return nil, err
	}
	var names, create []string
	for rows.Next() {
		var name, q string
		if err := rows.Scan(&name, &q); err != nil {
			rows.Close()
			return nil, err
		}
		names, create = append(names, name), append(create, q)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, n := range names {
		if _, err := tx.ExecContext(ctx, `DROP INDEX "`+strings.ReplaceAll(n, `"`, `""`)+`"`); err != nil {
			return nil, err
		}
	}
	return create, nil
}

// execRows inserts rows of cols values each: full statements of
// importRowsPerStmt rows through the prepared full, the rest through one
// statement built by sqlFor.
func execRows(ctx context.Context, tx *sql.Tx, full *sql.Stmt, vals []any, cols int, sqlFor func(rows int) string) error {
	for rest := vals; len(rest) > 0; {
		n := min(len(rest), importRowsPerStmt*cols)
		var err error
		if n == importRowsPerStmt*cols {
			_, err = full.ExecContext(ctx, rest[:n]...)
		} else {
			_, err = tx.ExecContext(ctx, sqlFor(n/cols), rest[:n]...)
		}
		if err != nil {
			return err
		}
		rest = rest[n:]
	}
	return nil
}

// matchupCols is how many values insertMatchupsSQL takes per row.
const matchupCols = 17

// insertMatchupsSQL is a multi-row INSERT of rows matchups, with the
// dialect's placeholders.
func insertMatchupsSQL(rows int, d dialect) string {
	return insertRowsSQL(`INSERT INTO matchups (id, voter_id, prompt_id, pool, category, clip_a_id, clip_b_id, model_a_id, model_b_id, issued_at, expires_at, choice, voted_at, valid, invalid_reason, style_a_id, style_b_id) VALUES `, rows, matchupCols, d)
}

// voteStyleCols is how many values insertVoteStylesSQL takes per row.
const voteStyleCols = 11

// insertVoteStylesSQL is a multi-row INSERT of rows imported vote styles.
func insertVoteStylesSQL(rows int, d dialect) string {
	return insertRowsSQL(`INSERT INTO imported_vote_styles (matchup_id, a_duration_s, a_motion, a_brightness, a_saturation, a_has_audio, b_duration_s, b_motion, b_brightness, b_saturation, b_has_audio) VALUES `, rows, voteStyleCols, d)
}

// insertRowsSQL appends rows groups of cols placeholders to head.
func insertRowsSQL(head string, rows, cols int, d dialect) string {
	var b strings.Builder
	b.WriteString(head)
	n := 0
	for i := 0; i < rows; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('(')
		for c := 0; c < cols; c++ {
			if c > 0 {
				b.WriteByte(',')
			}
			n++
			b.WriteString(d.placeholder(n))
		}
		b.WriteByte(')')
	}
	return b.String()
}

// bigWriteCache lets SQLite's writer keep up to 256 MB of pages in memory
// while a bulk import runs: the matchups indexes take keys in random order
// (the ids are random), and with the default 2 MB cache every insert would
// read and write index pages from disk. It returns a func restoring the
// previous size.
func (s *Store) bigWriteCache(ctx context.Context) func() {
	if s.db.dialect.postgres() {
		return func() {}
	}
	var prev int64
	if err := s.db.w.WithContext(ctx).Raw("PRAGMA cache_size").Scan(&prev).Error; err != nil {
		return func() {}
	}
	s.db.w.WithContext(ctx).Exec("PRAGMA cache_size = -262144")
	return func() { s.db.w.Exec(fmt.Sprintf("PRAGMA cache_size = %d", prev)) }
}
