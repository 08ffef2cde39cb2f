package models

import (
	"database/sql"

	"gorm.io/gorm"
)

// cycleSQL holds the statements every voting cycle runs (a voter's first
// row, the matchup, the vote), with placeholders in the database's own
// spelling. They run on the transaction's connection directly (execDirect,
// queryRowDirect) rather than through gorm's Exec and Raw, which parse and
// rebuild the SQL text and box every argument on each call: on SQLite that
// work ran on the one writer goroutine every write waits for, and it cost
// about a fifth of what SQLite itself spent there.
type cycleSQL struct {
	insertVoter, insertMatchup, overPending, expirePending, recordVote string
}

func newCycleSQL(d dialect, requireFetch bool) cycleSQL {
	return cycleSQL{
		insertVoter:   d.bind(insertVoterSQL),
		insertMatchup: d.bind(insertMatchupSQL),
		overPending:   d.bind(overPendingQuery),
		expirePending: d.bind(expirePendingQuery(d)),
		recordVote:    d.bind(recordVoteQuery(requireFetch)),
	}
}

// execDirect runs a statement of cycleSQL on tx's connection (inside tx's
// transaction, if it has one).
func execDirect(tx *gorm.DB, query string, args ...any) error {
	_, err := tx.Statement.ConnPool.ExecContext(tx.Statement.Context, query, args...)
	return err
}

// queryRowDirect is execDirect for a statement that returns one row.
func queryRowDirect(tx *gorm.DB, query string, args ...any) *sql.Row {
	return tx.Statement.ConnPool.QueryRowContext(tx.Statement.Context, query, args...)
}
