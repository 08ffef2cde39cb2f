package models

import (
	"context"
	"database/sql"
	"fmt"
)

// importedClipStyles numbers the distinct feature vectors of imported
// clips, as imported_clip_styles stores them: a vote carries the numbers of
// its two clips' vectors (matchups.style_a_id and style_b_id), so counting
// votes by style reads the votes alone. Numbers start at 1; 0 means no
// style.
type importedClipStyles struct {
	ids     map[ClipStyle]int64
	next    int64
	pending []any // rows of importedClipStyleCols values not yet stored
}

// importedClipStyleCols is how many values a row of imported_clip_styles
// takes.
const importedClipStyleCols = 6

// loadImportedClipStyles reads the numbered vectors. An import that runs
// beside another may pick a number the other stored meanwhile: the key
// then refuses its insert and the import is undone, never mixed up.
func (s *Store) loadImportedClipStyles(ctx context.Context) (*importedClipStyles, error) {
	rows, err := s.db.r.WithContext(ctx).Raw("SELECT id, duration_s, motion, brightness, saturation, has_audio FROM imported_clip_styles").Rows()
	if err != nil {
		return nil, fmt.Errorf("load imported clip styles: %w", err)
	}
	defer rows.Close()
	st := &importedClipStyles{ids: make(map[ClipStyle]int64), next: 1}
	for rows.Next() {
		var id int64
		var c ClipStyle
		if err := rows.Scan(&id, &c[0], &c[1], &c[2], &c[3], &c[4]); err != nil {
			return nil, fmt.Errorf("load imported clip styles: %w", err)
		}
		st.ids[c] = id
		st.next = max(st.next, id+1)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("load imported clip styles: %w", err)
	}
	return st, nil
}

// id returns the number of a vector, numbering it (to be stored by flush)
// when it is new.
func (st *importedClipStyles) id(f StyleFeatures) int64 {
	c := ClipStyle{f.DurationS, f.Motion, f.Brightness, f.Saturation, f.HasAudio}
	if id, ok := st.ids[c]; ok {
		return id
	}
	id := st.next
	st.next++
	st.ids[c] = id
	st.pending = append(st.pending, id, c[0], c[1], c[2], c[3], c[4])
	return id
}

// flush stores the vectors numbered since the last flush, in tx.
func (st *importedClipStyles) flush(ctx context.Context, tx *sql.Tx, d dialect) error {
	for rest := st.pending; len(rest) > 0; {
		n := min(len(rest), importRowsPerStmt*importedClipStyleCols)
		q := insertRowsSQL(`INSERT INTO imported_clip_styles (id, duration_s, motion, brightness, saturation, has_audio) VALUES `, n/importedClipStyleCols, importedClipStyleCols, d)
		if _, err := tx.ExecContext(ctx, q, rest[:n]...); err != nil {
			return fmt.Errorf("store imported clip styles: %w", err)
		}
		rest = rest[n:]
	}
	st.pending = st.pending[:0]
	return nil
}
