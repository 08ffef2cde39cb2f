package models

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// ImportOptions configures ImportVotes.
type ImportOptions struct {
	// SkipBad skips malformed lines and counts them instead of refusing the
	// whole file.
	SkipBad bool
	// Progress, when set, is called every so many lines of each pass.
	Progress func(pass int, lines int64)
}

// ImportSummary says what an import did.
type ImportSummary struct {
	VoterID   string // the voter the imported votes are recorded under
	Lines     int64  // non-blank lines read
	Imported  int64
	Skipped   int64
	NewModels []string // slugs created
	FirstBad  string   // the first skipped line's problem, with its number
}

// importVoterPrefix starts the voter id of an imported file's votes; 16 hex
// digits of the file's hash follow.
const importVoterPrefix = "import:"

const (
	importRowsPerTx   = 20000
	importRowsPerStmt = 500 // matchupCols each: well under SQLite's variable limit
	maxBattleLine     = 1 << 20
)

// ImportVotes reads votes in the public battle format from a file and
// records them as valid votes. It reads the file twice: the first pass
// checks every line, so a malformed line refuses the whole file with its line
// number before anything is stored (or is skipped with SkipBad); the second
// inserts in batches of short transactions, so a running server keeps taking
// votes meanwhile. Memory stays flat whatever the file size, but for the
// distinct style vectors, as many as the clips the votes saw.
//
// Imported votes belong to a voter named after the file's hash
// ("import:<16 hex digits>"), so importing the same file twice is refused
// (ErrConflict) and an admin can invalidate an import as one voter. They have
// no clips: clip ids are 0, which no real clip has; a vote's "style", the
// features of its two clips, is stored beside it (imported_vote_styles), for
// the export, and each side's vector is numbered (imported_clip_styles) on
// the vote itself, so that it counts on the style-controlled board. Unknown model slugs become
// new models, named by their slug. If the second pass fails, the votes it
// added are deleted again.
func (s *Store) ImportVotes(ctx context.Context, path string, o ImportOptions) (ImportSummary, error) {
	var sum ImportSummary
	slugs := make(map[string]bool)
	h := sha256.New()
	var firstBad int64
	err := scanBattles(path, h, o, 1, func(n int64, v BattleVote, err error) error {
		sum.Lines++
		if err != nil {
			// Chunks finish out of order: keep the earliest bad line.
			if sum.Skipped == 0 || n < firstBad {
				firstBad, sum.FirstBad = n, fmt.Sprintf("line %d: %v", n, err)
			}
			sum.Skipped++
			return nil
		}
		slugs[v.ModelA], slugs[v.ModelB] = true, true
		return nil
	})
	if err != nil {
		return sum, err
	}
	if sum.Skipped > 0 && !o.SkipBad {
		return sum, fmt.Errorf("%s (nothing was imported; fix the line or pass --skip-bad)", sum.FirstBad)
	}
	sum.VoterID = importVoterPrefix + hex.EncodeToString(h.Sum(nil))[:16]
	var exists int64
	if err := s.db.r.WithContext(ctx).Model(&Voter{}).Where("id = ?", sum.VoterID).Count(&exists).Error; err != nil {
		return sum, err
	}
	if exists > 0 {
		return sum, fmt.Errorf("%w: this file was imported before (as voter %s)", ErrConflict, sum.VoterID)
	}
	ids, err := s.ensureModels(ctx, slugs, &sum)
	if err != nil {
		return sum, err
	}
	if err := s.db.w.WithContext(ctx).Create(&Voter{ID: sum.VoterID, CreatedAt: s.now().UTC()}).Error; err != nil {
		return sum, fmt.Errorf("create import voter: %w", err)
	}
	restore := s.bigWriteCache(ctx)
	defer restore()
	if err := s.insertBattles(ctx, path, o, ids, &sum); err != nil {
		undo := s.db.w.Session(&gorm.Session{NewDB: true}) // not the cancelled context: clean up anyway
		undo.Exec("DELETE FROM imported_vote_styles WHERE matchup_id IN (SELECT id FROM matchups WHERE voter_id = ?)", sum.VoterID)
		undo.Where("voter_id = ?", sum.VoterID).Delete(&Matchup{})
		undo.Where("id = ?", sum.VoterID).Delete(&Voter{})
		sum.Imported = 0
		return sum, err
	}
	s.stats.recorded.Add(uint64(sum.Imported))
	return sum, nil
}

// ensureModels finds or creates a model for every slug.
func (s *Store) ensureModels(ctx context.Context, slugs map[string]bool, sum *ImportSummary) (map[string]uint, error) {
	ids := make(map[string]uint, len(slugs))
	var have []Model
	if err := s.db.r.WithContext(ctx).Select("id, slug").Find(&have).Error; err != nil {
		return nil, err
	}
	for _, m := range have {
		ids[m.Slug] = m.ID
	}
	for slug := range slugs {
		if _, ok := ids[slug]; ok {
			continue
		}
		m := Model{Slug: slug, Name: slug}
		if err := s.CreateModel(ctx, &m); err != nil {
			return nil, err
		}
		ids[slug] = m.ID
		sum.NewModels = append(sum.NewModels, slug)
	}
	return ids, nil
}

// insertBattles is the second pass: multi-row INSERTs of importRowsPerStmt
// rows through one prepared statement. It goes below GORM: re-preparing a
// 7,500-parameter statement for every batch cost a third of the import.
//
// Normally it commits every importRowsPerTx rows, so a running server keeps
// taking votes meanwhile. A bulk load on SQLite (more rows than the table
// holds, e.g. seeding an arena from a public dataset) instead runs as one
// transaction that drops the matchups table's secondary indexes and builds
// them again at the end: sorting once is several times cheaper than a million
// random index updates, and if anything fails, or the process dies, the
// rollback restores the indexes with the rest.
func (s *Store) insertBattles(ctx context.Context, path string, o ImportOptions, ids map[string]uint, sum *ImportSummary) error {
	db, err := s.db.w.DB()
	if err != nil {
		return err
	}
	var existing int64
	if err := s.db.r.WithContext(ctx).Model(&Matchup{}).Count(&existing).Error; err != nil {
		return err
	}
	bulk := !s.db.dialect.postgres() && sum.Lines-sum.Skipped > existing
	now := s.now().UTC()
	full := insertMatchupsSQL(importRowsPerStmt, s.db.dialect)
	fullStyles := insertVoteStylesSQL(importRowsPerStmt, s.db.dialect)
	var (
		tx        *sql.Tx
		stmt      *sql.Stmt
		styleStmt *sql.Stmt
		indexes   []string
	)
	begin := func() error {
		if tx, err = db.BeginTx(ctx, nil); err != nil {
			return err
		}
		if stmt, err = tx.PrepareContext(ctx, full); err != nil {
			return err
		}
		styleStmt, err = tx.PrepareContext(ctx, fullStyles)
		return err
	}
	end := func(commit bool) error {
		if tx == nil {
			return nil
		}
		stmt.Close()
		if styleStmt != nil {
			styleStmt.Close()
		}
		t := tx
		tx = nil
		if !commit {
			return t.Rollback()
		}
		return t.Commit()
	}
	defer end(false)
	if err := begin(); err != nil {
		return fmt.Errorf("store imported votes: %w", err)
	}
	if bulk {
		if indexes, err = dropSecondaryIndexes(ctx, tx, "matchups"); err != nil {
			return fmt.Errorf("store imported votes: %w", err)
		}
	}
	clipStyles, err := s.loadImportedClipStyles(ctx)
	if err != nil {
		return err
	}
	batch := make([]any, 0, importRowsPerTx*matchupCols)
	styles := make([]any, 0, importRowsPerTx*voteStyleCols)
	pending := int64(0)
	flush := func(last bool) error {
		if err := clipStyles.flush(ctx, tx, s.db.dialect); err != nil {
			return err
		}
		if err := execRows(ctx, tx, stmt, batch, matchupCols, func(rows int) string { return insertMatchupsSQL(rows, s.db.dialect) }); err != nil {
			return fmt.Errorf("store imported votes: %w", err)
		}
		if err := execRows(ctx, tx, styleStmt, styles, voteStyleCols, func(rows int) string { return insertVoteStylesSQL(rows, s.db.dialect) }); err != nil {
			return fmt.Errorf("store imported votes' style: %w", err)
		}
		pending += int64(len(batch) / matchupCols)
		batch = batch[:0]
		styles = styles[:0]
		if bulk && !last {
			return nil
		}
		for _, q := range indexes {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return fmt.Errorf("rebuild index: %w", err)
			}
		}
		if err := end(true); err != nil {
			return fmt.Errorf("store imported votes: %w", err)
		}
		sum.Imported += pending
		pending = 0
		if last {
			return nil
		}
		return begin()
	}
	err = scanBattles(path, nil, o, 2, func(n int64, v BattleVote, err error) error {
		if err != nil {
			return nil // counted in the first pass
		}
		at := now
		if v.Tstamp > 0 {
			at = time.Unix(v.Tstamp, 0).UTC()
		}
		choice, _ := choiceOf(v.Winner)
		id := NewID()
		var styleA, styleB int64
		if st := v.Style; st != nil {
			a, b := st.A, st.B
			styles = append(styles, id, a.DurationS, a.Motion, a.Brightness, a.Saturation, a.HasAudio,
				b.DurationS, b.Motion, b.Brightness, b.Saturation, b.HasAudio)
			styleA, styleB = clipStyles.id(a), clipStyles.id(b)
		}
		batch = append(batch, id, sum.VoterID, v.PromptID, v.Pool, v.Category, 0, 0,
			ids[v.ModelA], ids[v.ModelB], at, at, choice, at, true, "", styleA, styleB)
		if len(batch) == cap(batch) {
			return flush(false)
		}
		return nil
	})
	if err != nil {
		return err
	}
	return flush(true)
}
