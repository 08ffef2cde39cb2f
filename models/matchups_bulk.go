package models

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// Bulk writes of matchups: the multi-row INSERT the vote import and the
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

// matchupCols is how many values insertMatchupsSQL takes per row.
const matchupCols = 15

// insertMatchupsSQL is a multi-row INSERT of rows matchups, with the
// dialect's placeholders.
func insertMatchupsSQL(rows int, d dialect) string {
	var b strings.Builder
	b.WriteString(`INSERT INTO matchups (id, voter_id, prompt_id, pool, category, clip_a_id, clip_b_id, model_a_id, model_b_id, issued_at, expires_at, choice, voted_at, valid, invalid_reason) VALUES `)
	n := 0
	for i := 0; i < rows; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('(')
		for c := 0; c < matchupCols; c++ {
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
