package models

import (
	"database/sql"
	"time"

	"gorm.io/gorm"

	"github.com/arena-video/arena/models/timefmt"
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
	sqliteTimes(tx, args)
	_, err := tx.Statement.ConnPool.ExecContext(tx.Statement.Context, query, args...)
	return err
}

// queryRowDirect is execDirect for a statement that returns one row.
func queryRowDirect(tx *gorm.DB, query string, args ...any) *sql.Row {
	sqliteTimes(tx, args)
	return tx.Statement.ConnPool.QueryRowContext(tx.Statement.Context, query, args...)
}

// sqliteTimes replaces, on SQLite, each time.Time in args by the text
// go-sqlite3 would bind for it (timefmt.SQLiteLayout, in the time's own
// zone), so the same text is stored. go-sqlite3 formats a time through
// time.Format's layout interpreter, on the writer goroutine every write
// waits for, and the vote's statement alone binds its time four times:
// that was about 1.5% of the server's CPU under arenaload. args is the
// caller's variadic slice, changed in place.
func sqliteTimes(tx *gorm.DB, args []any) {
	if tx.Dialector.Name() == DialectPostgres {
		return
	}
	for i, a := range args {
		if t, ok := a.(time.Time); ok {
			var buf [len(timefmt.SQLiteLayout)]byte
			if b, ok := timefmt.AppendSQLite(buf[:0], t); ok {
				args[i] = string(b)
			}
		}
	}
}
