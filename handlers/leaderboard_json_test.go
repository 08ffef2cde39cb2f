package handlers

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/arena-video/arena/models"
	"github.com/arena-video/arena/models/leaderboard"
)

func TestPublic_FiltersRetiredModelsAndMinimumVotes(t *testing.T) {
	a := newTestApp(t, "", false)
	ctx := context.Background()
	var lines []string
	for i := 0; i < 30; i++ {
		lines = append(lines, `{"model_a":"alpha","model_b":"beta","winner":"model_a"}`)
	}
	for i := 0; i < 3; i++ {
		lines = append(lines, `{"model_a":"beta","model_b":"gamma","winner":"model_a"}`)
	}
	path := filepath.Join(t.TempDir(), "v.jsonl")
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := a.store.ImportVotes(ctx, path, models.ImportOptions{}); err != nil {
		t.Fatal(err)
	}
	lb, err := leaderboard.New(a.store, leaderboard.Options{Rounds: 50}).Compute(ctx, models.PoolT2V, "")
	if err != nil {
		t.Fatal(err)
	}
	retired := false
	if _, err := a.store.UpdateModel(ctx, "alpha", models.ModelPatch{Active: &retired}); err != nil {
		t.Fatal(err)
	}
	slugs := func(f LeaderboardFilter) string {
		p, err := Public(ctx, a.store, models.PoolT2V, lb, f)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, m := range p.Models {
			out = append(out, m.Model.Slug)
		}
		return fmt.Sprint(out)
	}
	for _, tc := range []struct {
		f    LeaderboardFilter
		want string
	}{
		{LeaderboardFilter{}, "[beta gamma]"},
		{LeaderboardFilter{Retired: true}, "[alpha beta gamma]"},
		{LeaderboardFilter{Retired: true, MinVotes: 30}, "[alpha beta]"},
		{LeaderboardFilter{MinVotes: 34}, "[]"},
	} {
		if got := slugs(tc.f); got != tc.want {
			t.Errorf("filter %+v shows %s, want %s", tc.f, got, tc.want)
		}
	}
}
