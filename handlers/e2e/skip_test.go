package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/arena-video/arena/models"
)

// TestArena_SkipByKeyAndButton skips one matchup with S and one with the
// Skip button: each closes without a vote and the next matchup shows.
func TestArena_SkipByKeyAndButton(t *testing.T) {
	t.Parallel()
	s := startSite(t, true)
	b := newBrowser(t)
	b.open(s.URL + "/")
	for i, how := range []string{"key", "button"} {
		b.waitState("voting")
		id := b.matchupID()
		if how == "key" {
			b.press("s")
		} else {
			b.click(`#skip-form button[value="cant_decide"]`)
		}
		b.waitFor("the next matchup after a skip by "+how, arenaEl+`.dataset.matchupId !== `+jsString(id)+` && `+arenaEl+`.dataset.state === "voting"`, stepTimeout)
		n, err := s.Store.SkipCounts(context.Background())
		if err != nil || n[models.SkipCantDecide] != int64(i+1) {
			t.Fatalf("after skip %d by %s: counts %v %v", i+1, how, n, err)
		}
	}
}

// TestArena_BrokenClipIsReportedByThePage breaks every stored clip: the page
// must report them as broken by itself and move on, never leaving a voter
// in front of a dead box.
func TestArena_BrokenClipIsReportedByThePage(t *testing.T) {
	t.Parallel()
	s := startSite(t, true)
	ctx := context.Background()
	clips, err := s.Store.ListClips(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	garbage := strings.Repeat("not a video ", 100)
	for _, c := range clips {
		bs := s.Blobs.Blobs()
		if err := bs.Delete(ctx, c.BlobKey); err != nil {
			t.Fatal(err)
		}
		if _, err := bs.Put(ctx, c.BlobKey, strings.NewReader(garbage), int64(len(garbage))); err != nil {
			t.Fatal(err)
		}
	}
	b := newBrowser(t)
	b.open(s.URL + "/")
	deadline := time.Now().Add(30 * time.Second)
	for {
		reported, err := s.Store.ReportedClips(ctx, 100)
		if err != nil {
			t.Fatal(err)
		}
		var broken int64
		for _, r := range reported {
			broken += r.Broken
		}
		if broken >= 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 30 s the page reported %d broken clips (state %q)", broken, b.state())
		}
		time.Sleep(200 * time.Millisecond)
	}
	n, _ := s.Store.SkipCounts(ctx)
	if n[models.SkipBroken] < 2 {
		t.Errorf("skips = %v, want the page to have skipped at least two matchups as broken", n)
	}
}
