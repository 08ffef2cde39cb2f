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
	if _, err := a.store.UpdateModel(ctx, models.Actor{Name: "test"}, "alpha", models.ModelPatch{Active: &retired}); err != nil {
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

func TestPublic_RanksLeaveRetiredModelsOut(t *testing.T) {
	a := newTestApp(t, "", false)
	ctx := context.Background()
	// alpha is far above beta and gamma, which are close to each other.
	var lines []string
	add := func(x, y string, n int) {
		for range n {
			lines = append(lines, fmt.Sprintf(`{"model_a":%q,"model_b":%q,"winner":"model_a"}`, x, y))
		}
	}
	add("alpha", "beta", 60)
	add("alpha", "gamma", 60)
	add("beta", "alpha", 2)
	add("gamma", "alpha", 2)
	add("beta", "gamma", 20)
	add("gamma", "beta", 19)
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
	if lb.Standings[0].Rank != 1 || lb.Standings[1].Rank != 2 {
		t.Fatalf("setup: alpha should be surely first, got ranks %d and %d", lb.Standings[0].Rank, lb.Standings[1].Rank)
	}
	retired := false
	if _, err := a.store.UpdateModel(ctx, models.Actor{Name: "test"}, "alpha", models.ModelPatch{Active: &retired}); err != nil {
		t.Fatal(err)
	}
	for _, f := range []LeaderboardFilter{{}, {Retired: true}} {
		p, err := Public(ctx, a.store, models.PoolT2V, lb, f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range p.Models {
			if m.Model.Slug != "alpha" && (m.Rank != 1 || m.RankSpread[1] != 2) {
				t.Errorf("retired=%v: %s ranked %d (spread %v), want 1 (1–2): the retired model still counts", f.Retired, m.Model.Slug, m.Rank, m.RankSpread)
			}
			if m.Model.Slug == "alpha" && m.Rank != 1 {
				t.Errorf("retired alpha, shown on request, ranked %d, want 1 against the listed models", m.Rank)
			}
		}
	}
	// Shown as it stood, before the retirement, alpha still counts.
	p, err := Public(ctx, a.store, models.PoolT2V, lb, LeaderboardFilter{Past: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Models) != 3 || p.Models[1].Rank != 2 {
		t.Errorf("the board as it stood lists %d models, the second ranked %d; want alpha back and the others at 2", len(p.Models), p.Models[1].Rank)
	}
}
