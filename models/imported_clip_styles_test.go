package models

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// styledCell is a VoteCell with its style numbers replaced by their
// vectors, so cells of two databases that numbered the vectors differently
// compare equal.
type styledCell struct {
	Pool, Category     string
	ModelAID, ModelBID uint
	Choice             string
	StyleA, StyleB     ClipStyle
	Styled             bool
	N                  int64
}

// styledCells lists the cells of every valid vote, in a fixed order.
func styledCells(t *testing.T, s *Store) []styledCell {
	t.Helper()
	ctx := context.Background()
	cells, err := s.VoteCells(ctx, TallyFilter{})
	if err != nil {
		t.Fatal(err)
	}
	vectors, err := s.ImportedClipStyles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var out []styledCell
	for _, c := range cells {
		sc := styledCell{Pool: c.Pool, Category: c.Category, ModelAID: c.ModelAID, ModelBID: c.ModelBID, Choice: c.Choice, N: c.N}
		if c.StyleAID != 0 || c.StyleBID != 0 {
			a, okA := vectors[c.StyleAID]
			b, okB := vectors[c.StyleBID]
			if !okA || !okB {
				t.Fatalf("cell %+v names a vector that is not stored", c)
			}
			sc.StyleA, sc.StyleB, sc.Styled = a, b, true
		}
		out = append(out, sc)
	}
	// Numbers order the cells of a model pair and choice; they may differ
	// between databases.
	slices.SortStableFunc(out, func(x, y styledCell) int { return strings.Compare(fmt.Sprint(x), fmt.Sprint(y)) })
	return out
}

// importStyled imports votes between three models over four distinct
// feature vectors, some of them repeated, and one vote without style.
func importStyled(t *testing.T, s *Store) {
	t.Helper()
	side := func(k int) string {
		return fmt.Sprintf(`{"duration_s":%d,"motion":%g,"brightness":%d,"saturation":40,"has_audio":%d}`, 4+k, 2.5*float64(k), 90+k, k%2)
	}
	var lines []string
	slugs := []string{"alpha", "beta", "gamma"}
	winners := []string{"model_a", "model_b", "tie", "tie (bothbad)"}
	for i := range 24 {
		lines = append(lines, fmt.Sprintf(`{"model_a":%q,"model_b":%q,"winner":%q,"category":"nature","tstamp":%d,"style":{"a":%s,"b":%s}}`,
			slugs[i%3], slugs[(i+1)%3], winners[i%4], 1700000000+i, side(i%4), side((i/4)%4)))
	}
	lines = append(lines, `{"model_a":"alpha","model_b":"beta","winner":"model_a","tstamp":1700000100}`)
	if _, err := s.ImportVotes(context.Background(), writeLines(t, lines...), ImportOptions{}); err != nil {
		t.Fatal(err)
	}
}

// Every distinct vector is numbered once, whichever side and import it
// comes from, and a second import reuses the numbers of the first.
func TestImportVotes_NumbersEachStyleVectorOnce(t *testing.T) {
	s := openTestStore(t, filepath.Join(t.TempDir(), "a.db"))
	ctx := context.Background()
	importStyled(t, s)
	vectors, err := s.ImportedClipStyles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(vectors) != 4 {
		t.Fatalf("%d vectors numbered, want the 4 distinct ones: %v", len(vectors), vectors)
	}
	again := `{"model_a":"beta","model_b":"alpha","winner":"model_a","style":{"a":{"duration_s":4,"motion":0,"brightness":90,"saturation":40,"has_audio":0},` +
		`"b":{"duration_s":99,"motion":1,"brightness":1,"saturation":1,"has_audio":1}}}`
	if _, err := s.ImportVotes(ctx, writeLines(t, again), ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	after, err := s.ImportedClipStyles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(after) != 5 || after[5] != (ClipStyle{99, 1, 1, 1, 1}) {
		t.Fatalf("after a second import: %v, want the one new vector numbered 5", after)
	}
	for id, v := range vectors {
		if after[id] != v {
			t.Errorf("vector %d changed from %v to %v", id, v, after[id])
		}
	}
	var total int64
	for _, c := range styledCells(t, s) {
		total += c.N
	}
	if total != 26 {
		t.Errorf("cells count %d votes, want 26", total)
	}
}

// TestMigrate_ImportedStyleIDsUpgradesAnOldDatabase removes what migration
// 0660 adds from a database with imported styled votes, as an old one would
// be, and opens it again: the votes count with the same features as before.
func TestMigrate_ImportedStyleIDsUpgradesAnOldDatabase(t *testing.T) {
	dir := t.TempDir()
	s := openTestStore(t, filepath.Join(dir, "a.db"))
	importStyled(t, s)
	want := styledCells(t, s)
	for _, q := range []string{
		`DROP INDEX idx_matchups_tally`,
		`CREATE INDEX idx_matchups_tally ON matchups (pool, category, model_a_id, model_b_id, choice, valid) WHERE choice IS NOT NULL`,
		`DROP TABLE imported_clip_styles`,
		`DELETE FROM ` + migrationTable + ` WHERE id IN ('0660_imported_style_ids', '0661_tally_index_valid_last')`,
	} {
		if err := s.db.w.Exec(q).Error; err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	for _, col := range []string{"style_a_id", "style_b_id"} {
		if err := s.db.w.Migrator().DropColumn(&Matchup{}, col); err != nil {
			t.Fatalf("drop %s: %v", col, err)
		}
	}
	s.Close()
	s = openTestStore(t, filepath.Join(dir, "a.db"))
	if got := styledCells(t, s); !reflect.DeepEqual(got, want) {
		t.Fatalf("after the upgrade the cells are\n%+v\nwant\n%+v", got, want)
	}
}

// The counting query reads the tally index in its own order: no sort of
// every vote, no table lookup. With valid between choice and the clips
// (as 0660 first built the index), SQLite sorted every vote.
func TestVoteCells_ReadsTheTallyIndexWithoutSorting(t *testing.T) {
	s := openTestStore(t, filepath.Join(t.TempDir(), "a.db"))
	if s.Dialect() != DialectSQLite {
		t.Skip("the plan is SQLite's")
	}
	for _, f := range []TallyFilter{{}, {Pool: PoolT2V}, {Pool: PoolT2V, Category: "nature"}} {
		q, args := voteCellsSQL(f)
		rows, err := s.db.r.Raw("EXPLAIN QUERY PLAN "+q, args...).Rows()
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		all := strings.Join(plan, "; ")
		if !strings.Contains(all, "COVERING INDEX idx_matchups_tally") || strings.Contains(all, "TEMP B-TREE") {
			t.Errorf("filter %+v: plan %q, want the covering tally index and no sort", f, all)
		}
	}
}
