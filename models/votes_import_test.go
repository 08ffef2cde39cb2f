package models

import (
	"context"
	"errors"
	"fmt"
	"github.com/arena-video/arena/models/testdb"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeLines writes a JSON-lines file into the test's temp dir.
func writeLines(t *testing.T, lines ...string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "votes.jsonl")
	if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func countRows(t *testing.T, s *Store, table string) int64 {
	t.Helper()
	var n int64
	if err := s.db.w.Table(table).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

func TestImportVotes_GoodFileRoundTripsThroughExport(t *testing.T) {
	s := openTestStore(t, filepath.Join(t.TempDir(), "a.db"))
	ctx := context.Background()
	in := []string{
		`{"model_a":"alpha","model_b":"beta","winner":"model_a","prompt_id":3,"category":"people","modality":"t2v","tstamp":1700000000}`,
		``,
		`{"model_a":"beta","model_b":"gamma","winner":"tie (bothbad)","prompt_id":4,"category":"nature","pool":"i2v-audio","tstamp":1700000001}`,
		`{"model_a":"gamma","model_b":"alpha","winner":"tie","tstamp":1700000002}`,
		`{"model_a":"alpha","model_b":"gamma","winner":"model_b","tstamp":1700000003}`,
	}
	sum, err := s.ImportVotes(ctx, writeLines(t, in...), ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Imported != 4 || sum.Lines != 4 || sum.Skipped != 0 || len(sum.NewModels) != 3 || !strings.HasPrefix(sum.VoterID, "import:") {
		t.Fatalf("summary %+v", sum)
	}
	var out []string
	err = s.ExportVotes(ctx, func(v BattleVote) error {
		out = append(out, fmt.Sprintf("%s %s %s %d %s %s %d", v.ModelA, v.ModelB, v.Winner, v.PromptID, v.Category, v.Pool, v.Tstamp))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"alpha beta model_a 3 people t2v 1700000000",
		"beta gamma tie (bothbad) 4 nature i2v-audio 1700000001",
		"gamma alpha tie 0  t2v 1700000002",
		"alpha gamma model_b 0  t2v 1700000003",
	}
	if strings.Join(out, "\n") != strings.Join(want, "\n") {
		t.Fatalf("export:\n%s\nwant:\n%s", strings.Join(out, "\n"), strings.Join(want, "\n"))
	}
	if _, err := s.ImportVotes(ctx, writeLines(t, in...), ImportOptions{}); !errors.Is(err, ErrConflict) {
		t.Fatalf("second import of the same file: err = %v, want ErrConflict", err)
	}
}

func TestImportVotes_BadLineStoresNothing(t *testing.T) {
	for _, tc := range []struct {
		name, bad string
		line      string
	}{
		{"malformed JSON", `{"model_a":"alpha","model_b":`, "line 3"},
		{"unknown winner", `{"model_a":"alpha","model_b":"beta","winner":"both"}`, "line 3"},
		{"same model", `{"model_a":"alpha","model_b":"alpha","winner":"tie"}`, "line 3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := openTestStore(t, filepath.Join(t.TempDir(), "a.db"))
			path := writeLines(t,
				`{"model_a":"alpha","model_b":"beta","winner":"model_a"}`,
				`{"model_a":"beta","model_b":"gamma","winner":"model_b"}`,
				tc.bad,
				`{"model_a":"gamma","model_b":"alpha","winner":"tie"}`)
			_, err := s.ImportVotes(context.Background(), path, ImportOptions{})
			if err == nil || !strings.Contains(err.Error(), tc.line) {
				t.Fatalf("err = %v, want one naming %s", err, tc.line)
			}
			for _, table := range []string{"matchups", "models", "voters"} {
				if n := countRows(t, s, table); n != 0 {
					t.Errorf("%d rows in %s after a refused import", n, table)
				}
			}
		})
	}
}

func TestImportVotes_SkipBadCountsAndKeepsTheRest(t *testing.T) {
	s := openTestStore(t, filepath.Join(t.TempDir(), "a.db"))
	path := writeLines(t,
		`{"model_a":"alpha","model_b":"beta","winner":"model_a"}`,
		`garbage`,
		`{"model_a":"beta","model_b":"gamma","winner":"nobody"}`,
		`{"model_a":"gamma","model_b":"alpha","winner":"tie"}`)
	sum, err := s.ImportVotes(context.Background(), path, ImportOptions{SkipBad: true})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Imported != 2 || sum.Skipped != 2 || !strings.HasPrefix(sum.FirstBad, "line 2:") {
		t.Fatalf("summary %+v", sum)
	}
	if n := countRows(t, s, "matchups"); n != 2 {
		t.Fatalf("%d matchups stored, want 2", n)
	}
}

func TestImportVotes_KeepsMemoryFlatOverManyBatches(t *testing.T) {
	s := openTestStore(t, filepath.Join(t.TempDir(), "a.db"))
	var lines []string
	n := importRowsPerTx*2 + 7 // crosses transaction and statement boundaries
	for i := 0; i < n; i++ {
		lines = append(lines, fmt.Sprintf(`{"model_a":"m%d","model_b":"m%d","winner":"model_a","tstamp":%d}`, i%5, (i+1)%5, 1700000000+i/3000)) // many share a second: the keyset must break ties by id
	}
	indexes := func() string {
		var names []string
		s.db.w.Raw(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'matchups' ORDER BY name`).Scan(&names)
		return strings.Join(names, ",")
	}
	before := indexes()
	// The first import is a bulk load into an empty table (indexes rebuilt
	// at the end); the second adds fewer rows than there are, in batches.
	sum, err := s.ImportVotes(context.Background(), writeLines(t, lines...), ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Imported != int64(n) || countRows(t, s, "matchups") != int64(n) {
		t.Fatalf("imported %d, stored %d, want %d", sum.Imported, countRows(t, s, "matchups"), n)
	}
	if after := indexes(); testdb.Backend() == "sqlite" && (after != before || !strings.Contains(after, "idx_matchups_tally")) {
		t.Fatalf("indexes after a bulk import: %s, before: %s", after, before)
	}
	more := lines[:importRowsPerTx+3]
	more[0] = `{"model_a":"m9","model_b":"m8","winner":"tie"}` // another file
	if sum, err = s.ImportVotes(context.Background(), writeLines(t, more...), ImportOptions{}); err != nil || sum.Imported != int64(len(more)) {
		t.Fatalf("second import: %+v, %v", sum, err)
	}
	n += len(more)
	exported := 0
	if err := s.ExportVotes(context.Background(), func(BattleVote) error { exported++; return nil }); err != nil || exported != n {
		t.Fatalf("exported %d (%v), want %d: keyset pages must not skip or repeat votes", exported, err, n)
	}
}

// Imported votes keep their clips' features: the cells the style board
// fits count them by numbered vector, and the export writes them back out.
func TestImportVotes_StyleIsStoredTalliedAndExported(t *testing.T) {
	s := openTestStore(t, filepath.Join(t.TempDir(), "a.db"))
	ctx := context.Background()
	long := `{"duration_s":12,"motion":8.5,"brightness":120,"saturation":70,"has_audio":1}`
	short := `{"duration_s":4,"motion":3,"brightness":90,"saturation":40,"has_audio":0}`
	styled := `,"style":{"a":` + long + `,"b":` + short + `}`
	in := []string{
		`{"model_a":"alpha","model_b":"beta","winner":"model_a","tstamp":1700000000` + styled + `}`,
		`{"model_a":"alpha","model_b":"beta","winner":"model_a","tstamp":1700000001` + styled + `}`,
		`{"model_a":"alpha","model_b":"beta","winner":"tie","tstamp":1700000002` + styled + `}`,
		`{"model_a":"beta","model_b":"alpha","winner":"model_b","tstamp":1700000003}`, // no style: raw board only
	}
	if _, err := s.ImportVotes(ctx, writeLines(t, in...), ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	cells, err := s.VoteCells(ctx, TallyFilter{Pool: PoolT2V})
	if err != nil {
		t.Fatal(err)
	}
	vectors, err := s.ImportedClipStyles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	wantA, wantB := ClipStyle{12, 8.5, 120, 70, 1}, ClipStyle{4, 3, 90, 40, 0}
	got := map[string]int64{}
	for _, c := range cells {
		if c.ClipAID != 0 || c.ClipBID != 0 {
			t.Fatalf("imported cell %+v names clips", c)
		}
		if c.StyleAID == 0 {
			if c.Choice != ChoiceB || c.N != 1 || c.StyleBID != 0 {
				t.Fatalf("cell %+v: only the vote without style has no style vectors", c)
			}
			continue
		}
		if vectors[c.StyleAID] != wantA || vectors[c.StyleBID] != wantB {
			t.Fatalf("cell %+v has features %v and %v, want %v and %v", c, vectors[c.StyleAID], vectors[c.StyleBID], wantA, wantB)
		}
		got[c.Choice] += c.N
	}
	if len(cells) != 3 || len(vectors) != 2 || got[ChoiceA] != 2 || got[ChoiceTie] != 1 {
		t.Fatalf("cells %+v, vectors %v", cells, vectors)
	}
	var styles []*BattleStyle
	if err := s.ExportVotes(ctx, func(v BattleVote) error { styles = append(styles, v.Style); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(styles) != 4 || styles[3] != nil {
		t.Fatalf("exported styles %v", styles)
	}
	for _, st := range styles[:3] {
		if st == nil || *st != (BattleStyle{A: styleFeaturesOf(wantA), B: styleFeaturesOf(wantB)}) {
			t.Fatalf("exported style %+v", st)
		}
	}
	// Invalidated votes leave the tallies.
	if err := s.db.w.Exec("UPDATE matchups SET valid = ?", false).Error; err != nil {
		t.Fatal(err)
	}
	if cells, err := s.VoteCells(ctx, TallyFilter{}); err != nil || len(cells) != 0 {
		t.Fatalf("cells of invalid votes %+v, %v", cells, err)
	}
}

func TestImportVotes_BadStyleNamesItsLine(t *testing.T) {
	s := openTestStore(t, filepath.Join(t.TempDir(), "a.db"))
	ctx := context.Background()
	ok := `{"model_a":"alpha","model_b":"beta","winner":"model_a","style":{"a":{"duration_s":1,"motion":1,"brightness":1,"saturation":1,"has_audio":0},"b":{"duration_s":2,"motion":1,"brightness":1,"saturation":1,"has_audio":1}}}`
	bad := `{"model_a":"alpha","model_b":"beta","winner":"model_a","style":{"a":{"duration_s":1,"motion":1,"brightness":1,"saturation":1},"b":{"duration_s":2,"motion":1,"brightness":1,"saturation":1,"has_audio":1}}}`
	path := writeLines(t, ok, bad, ok)
	_, err := s.ImportVotes(ctx, path, ImportOptions{})
	if err == nil || !strings.Contains(err.Error(), "line 2") || !strings.Contains(err.Error(), "style.a.has_audio is missing") {
		t.Fatalf("err = %v, want line 2's missing has_audio", err)
	}
	if n := countRows(t, s, "imported_vote_styles"); n != 0 {
		t.Fatalf("%d styles stored from a refused file", n)
	}
	sum, err := s.ImportVotes(ctx, path, ImportOptions{SkipBad: true})
	if err != nil || sum.Imported != 2 || sum.Skipped != 1 {
		t.Fatalf("skip-bad: %+v, %v", sum, err)
	}
	if n := countRows(t, s, "imported_vote_styles"); n != 2 {
		t.Fatalf("%d styles stored, want 2", n)
	}
}
