package models

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// On PostgreSQL an issued matchup is stored by one statement on a pool of
// its own whose connections commit without waiting for the WAL to reach the
// disk (synchronous_commit = off). The wait for that flush was most of the
// time it took to issue a matchup (1.6 of 2 ms on the test machine), and an
// issued matchup need not be durable, as on SQLite (see batchWriter.write):
// a crash of the database may lose the matchups of its last fraction of a
// second, which loses no vote, only the chance to cast it (a vote on a lost
// matchup is answered as one on an unknown matchup, and the page asks for a
// new one). Votes still commit on the main pool and wait for the flush, and
// since the WAL is written in order, a vote's flush makes every matchup
// issued before it durable too. One statement instead of BEGIN, the inserts
// and COMMIT saves the round trips of the transaction: the voter's first
// row and the trim of old pending matchups ride along as common table
// expressions, which PostgreSQL runs atomically with the insert.

// openIssuePool opens the pool that stores issued matchups: connections to
// the same database with synchronous_commit off, fewer than the main pool's
// since each statement is short.
func openIssuePool(dsn string, maxConns int) (*sql.DB, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return nil, fmt.Errorf("open PostgreSQL: %w", err)
	}
	q := u.Query()
	q.Set("synchronous_commit", "off")
	u.RawQuery = q.Encode()
	db, err := sql.Open("pgx", u.String())
	if err != nil {
		return nil, fmt.Errorf("open PostgreSQL: %w", err)
	}
	if maxConns <= 0 {
		maxConns = 16
	}
	n := max(2, maxConns/2)
	db.SetMaxOpenConns(n)
	db.SetMaxIdleConns(n)
	db.SetConnMaxIdleTime(5 * time.Minute)
	return db, nil
}

// issueSQL holds the statement that stores an issued matchup, for each
// combination of what rides along: the voter's first row (issueWithVoter)
// and the trim of the voter's oldest pending matchups (issueWithTrim).
type issueSQL [4]string

const (
	issueWithVoter = 1 << iota
	issueWithTrim
)

// newIssueSQL writes the statements. Their parameters are those of
// insertMatchupSQL ($2 the voter, $10 the time of issue), then, with the
// trim, how many pending matchups stay.
func newIssueSQL(d dialect) issueSQL {
	var out issueSQL
	for i := range out {
		var ctes []string
		if i&issueWithVoter != 0 {
			ctes = append(ctes, `new_voter AS (INSERT INTO voters (id, created_at) VALUES ($2, $10) ON CONFLICT DO NOTHING)`)
		}
		if i&issueWithTrim != 0 {
			ctes = append(ctes, `trimmed AS (`+trimPendingSQL(d, "$10", "$2", "$14")+`)`)
		}
		with := ""
		if len(ctes) > 0 {
			with = "WITH " + strings.Join(ctes, ", ") + " "
		}
		out[i] = with + d.bind(insertMatchupSQL)
	}
	return out
}

// storeMatchupPG stores m as newIssueSQL describes; newVoter adds the
// voter's row and trim expires the voter's oldest pending matchups beyond
// the bound, as expireOldestPending does.
func (s *Store) storeMatchupPG(ctx context.Context, m *Matchup, newVoter, trim bool) error {
	i := 0
	args := []any{m.ID, m.VoterID, m.PromptID, m.Pool, m.Category, m.ClipAID, m.ClipBID,
		m.ModelAID, m.ModelBID, m.IssuedAt, m.ExpiresAt, m.WatchUntil, m.ClientNet}
	if newVoter {
		i |= issueWithVoter
	}
	if trim {
		i |= issueWithTrim
		args = append(args, s.rules.maxPending-1)
	}
	_, err := s.db.issue.ExecContext(ctx, s.rules.issue[i], args...)
	return err
}
