package models

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
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

const (
	importRowsPerTx   = 5000
	importRowsPerStmt = 500 // 15 columns each: well under SQLite's variable limit
	maxBattleLine     = 1 << 20
)

// ImportVotes reads votes in the public battle format from a file and
// records them as valid votes. It reads the file twice: the first pass
// checks every line, so a malformed line refuses the whole file with its line
// number before anything is stored (or is skipped with SkipBad); the second
// inserts in batches of short transactions, so a running server keeps taking
// votes meanwhile. Memory stays flat whatever the file size.
//
// Imported votes belong to a voter named after the file's hash
// ("import:<16 hex digits>"), so importing the same file twice is refused
// (ErrConflict) and an admin can invalidate an import as one voter. They have
// no clips: clip ids are 0, which no real clip has. Unknown model slugs become
// new models, named by their slug. If the second pass fails, the votes it
// added are deleted again.
func (s *Store) ImportVotes(ctx context.Context, path string, o ImportOptions) (ImportSummary, error) {
	var sum ImportSummary
	slugs := make(map[string]bool)
	h := sha256.New()
	err := scanBattles(path, h, o, 1, func(n int64, v BattleVote, err error) error {
		sum.Lines++
		if err != nil {
			if !o.SkipBad {
				return fmt.Errorf("line %d: %w (nothing was imported; fix the line or pass --skip-bad)", n, err)
			}
			if sum.Skipped == 0 {
				sum.FirstBad = fmt.Sprintf("line %d: %v", n, err)
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
	sum.VoterID = "import:" + hex.EncodeToString(h.Sum(nil))[:16]
	var exists int64
	if err := s.r.WithContext(ctx).Model(&Voter{}).Where("id = ?", sum.VoterID).Count(&exists).Error; err != nil {
		return sum, err
	}
	if exists > 0 {
		return sum, fmt.Errorf("%w: this file was imported before (as voter %s)", ErrConflict, sum.VoterID)
	}
	ids, err := s.ensureModels(ctx, slugs, &sum)
	if err != nil {
		return sum, err
	}
	if err := s.w.WithContext(ctx).Create(&Voter{ID: sum.VoterID, CreatedAt: s.now().UTC()}).Error; err != nil {
		return sum, fmt.Errorf("create import voter: %w", err)
	}
	if err := s.insertBattles(ctx, path, o, ids, &sum); err != nil {
		undo := s.w.Session(&gorm.Session{NewDB: true}) // not the cancelled context: clean up anyway
		undo.Where("voter_id = ?", sum.VoterID).Delete(&Matchup{})
		undo.Where("id = ?", sum.VoterID).Delete(&Voter{})
		sum.Imported = 0
		return sum, err
	}
	s.votes.Add(uint64(sum.Imported))
	return sum, nil
}

// scanBattles calls fn for every non-blank line with its number and parse
// result, feeding the raw bytes to h when it is not nil.
func scanBattles(path string, h io.Writer, o ImportOptions, pass int, fn func(n int64, v BattleVote, err error) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	var r io.Reader = f
	if h != nil {
		r = io.TeeReader(f, h)
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), maxBattleLine)
	var n, seen int64
	for sc.Scan() {
		n++
		line := sc.Bytes()
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		seen++
		if o.Progress != nil && seen%100000 == 0 {
			o.Progress(pass, seen)
		}
		v, perr := ParseBattleLine(line)
		if err := fn(n, v, perr); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return fmt.Errorf("line %d: longer than %d bytes (nothing was imported)", n+1, maxBattleLine)
		}
		return fmt.Errorf("read %s: %w", path, err)
	}
	return nil
}

// ensureModels finds or creates a model for every slug.
func (s *Store) ensureModels(ctx context.Context, slugs map[string]bool, sum *ImportSummary) (map[string]uint, error) {
	ids := make(map[string]uint, len(slugs))
	var have []Model
	if err := s.r.WithContext(ctx).Select("id, slug").Find(&have).Error; err != nil {
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

// insertBattles is the second pass: multi-row INSERTs, importRowsPerTx rows
// per transaction.
func (s *Store) insertBattles(ctx context.Context, path string, o ImportOptions, ids map[string]uint, sum *ImportSummary) error {
	const cols = 15
	now := s.now().UTC()
	batch := make([]any, 0, importRowsPerTx*cols)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			for rest := batch; len(rest) > 0; {
				n := min(len(rest), importRowsPerStmt*cols)
				if err := tx.Exec(insertMatchupsSQL(n/cols), rest[:n]...).Error; err != nil {
					return err
				}
				rest = rest[n:]
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("store imported votes: %w", err)
		}
		sum.Imported += int64(len(batch) / cols)
		batch = batch[:0]
		return nil
	}
	err := scanBattles(path, nil, o, 2, func(n int64, v BattleVote, err error) error {
		if err != nil {
			return nil // counted in the first pass
		}
		at := now
		if v.Tstamp > 0 {
			at = time.Unix(v.Tstamp, 0).UTC()
		}
		choice, _ := choiceOf(v.Winner)
		batch = append(batch, NewID(), sum.VoterID, v.PromptID, v.Pool, v.Category, 0, 0,
			ids[v.ModelA], ids[v.ModelB], at, at, choice, at, true, "")
		if len(batch) == cap(batch) {
			return flush()
		}
		return nil
	})
	if err != nil {
		return err
	}
	return flush()
}

// insertMatchupsSQL is a multi-row INSERT of rows matchups.
func insertMatchupsSQL(rows int) string {
	var b strings.Builder
	b.WriteString(`INSERT INTO matchups (id, voter_id, prompt_id, pool, category, clip_a_id, clip_b_id, model_a_id, model_b_id, issued_at, expires_at, choice, voted_at, valid, invalid_reason) VALUES `)
	for i := 0; i < rows; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")
	}
	return b.String()
}
