package leaderboard

import (
	"context"
	"testing"

	"github.com/arena-video/arena/models"
)

// ladder is four models each clearly better than the next: top, alpha,
// beta, gamma.
func ladder() []string {
	var l []string
	names := []string{"top", "alpha", "beta", "gamma"}
	for i, a := range names {
		for _, b := range names[i+1:] {
			l = append(l, battles(a, b, "model_a", 45, "")...)
			l = append(l, battles(a, b, "model_b", 5, "")...)
		}
	}
	return l
}

func TestRanks_RetiredModelDoesNotCount(t *testing.T) {
	b, s, _ := openBoards(t)
	ctx := context.Background()
	importBattles(t, s, ladder()...)
	if _, err := b.Recompute(ctx, true); err != nil {
		t.Fatal(err)
	}
	id := func(slug string) uint {
		m, err := s.ModelBySlug(ctx, slug)
		if err != nil {
			t.Fatal(err)
		}
		return m.ID
	}
	alpha, beta := id("alpha"), id("beta")
	if a, bb := b.Ranks(ctx, models.PoolT2V, alpha, beta); a != 2 || bb != 3 {
		t.Fatalf("with top listed: alpha %d, beta %d; want 2 and 3", a, bb)
	}
	off := false
	if _, err := s.UpdateModel(ctx, models.CLIActor(""), "top", models.ModelPatch{Active: &off}); err != nil {
		t.Fatal(err)
	}
	// The board is not refitted: the ranks follow the catalog at once, as
	// the leaderboard page's do.
	if a, bb := b.Ranks(ctx, models.PoolT2V, alpha, beta); a != 1 || bb != 2 {
		t.Fatalf("top retired: alpha %d, beta %d; want 1 and 2 as on the leaderboard", a, bb)
	}
	if r, _ := b.Ranks(ctx, models.PoolT2V, id("top"), beta); r != 1 {
		t.Fatalf("the retired model itself ranks %d against the listed ones, want 1", r)
	}
}
