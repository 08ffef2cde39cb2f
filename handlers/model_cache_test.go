package handlers

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/arena-video/arena/models"
)

// TestModelPage_CachedUntilABoardOrTheCatalogChanges checks that the kept
// page and JSON of a model are served again only while nothing they show
// has changed: a renamed model and a recompute after new votes show at
// once.
func TestModelPage_CachedUntilABoardOrTheCatalogChanges(t *testing.T) {
	a, _ := newHistoryApp(t)
	v := a.newVoter()
	ctx := context.Background()
	report := func() modelReportJSON {
		t.Helper()
		r := v.get("/api/v1/models/rising")
		if r.status != http.StatusOK {
			t.Fatalf("model API = %d %s", r.status, r.body)
		}
		var rep modelReportJSON
		r.json(t, &rep)
		return rep
	}
	page := func() []byte {
		t.Helper()
		r := v.get("/models/rising")
		if r.status != http.StatusOK {
			t.Fatalf("model page = %d", r.status)
		}
		return r.body
	}
	first, firstPage := report(), page()
	if again := v.get("/api/v1/models/rising"); !strings.HasPrefix(again.header.Get("Content-Type"), "application/json") {
		t.Errorf("kept JSON served as %q", again.header.Get("Content-Type"))
	}
	if !bytes.Equal(page(), firstPage) {
		t.Error("the page changed with nothing new")
	}
	if r := v.get("/api/v1/models/rising?pretty"); !bytes.Contains(r.body, []byte("{\n  \"model\": {")) {
		t.Errorf("?pretty JSON is not indented: %.40q", r.body)
	}

	name := "Rising Two"
	if _, err := a.store.UpdateModel(ctx, models.CLIActor(""), "rising", models.ModelPatch{Name: &name}); err != nil {
		t.Fatal(err)
	}
	if got := report().Model.Name; got != name {
		t.Errorf("after a rename the API says %q", got)
	}
	if !bytes.Contains(page(), []byte(name)) {
		t.Error("after a rename the page does not show the new name")
	}

	// Votes on a later day, and the recompute that stores their board.
	var lines []string
	at := historyStart.Add(40 * 24 * time.Hour)
	for i := range 50 {
		lines = append(lines, fmt.Sprintf(`{"model_a":"rising","model_b":"steady-a","winner":"model_a","tstamp":%d}`, at.Unix()+int64(i)))
	}
	p := filepath.Join(t.TempDir(), "later.jsonl")
	if err := os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := a.store.ImportVotes(ctx, p, models.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	a.recompute()
	later := report()
	if later.Pools[0].Votes != first.Pools[0].Votes+50 || len(later.Pools[0].History) != len(first.Pools[0].History)+1 {
		t.Errorf("after a recompute: %d votes and %d history points, want %d and %d",
			later.Pools[0].Votes, len(later.Pools[0].History), first.Pools[0].Votes+50, len(first.Pools[0].History)+1)
	}
	if bytes.Equal(page(), firstPage) {
		t.Error("the page did not change after a recompute")
	}
}
