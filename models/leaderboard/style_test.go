package leaderboard

import (
	"context"
	"fmt"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/arena-video/arena/models"
	"github.com/arena-video/arena/models/media"
	"github.com/arena-video/arena/models/synthetic"
)

// styleArena makes three models with a clip each for two prompts; every
// clip is measured except the last model's clip for the second prompt.
// Model "long" makes clips three times as long as the others.
func styleArena(t *testing.T, s *models.Store) map[string]uint {
	t.Helper()
	ctx := context.Background()
	ids := map[string]uint{}
	var prompts []models.Prompt
	for _, text := range []string{"a cat", "a dog"} {
		p := models.Prompt{Text: text, Modality: models.ModalityT2V}
		if err := s.CreatePrompt(ctx, &p); err != nil {
			t.Fatal(err)
		}
		prompts = append(prompts, p)
	}
	k := 0
	for mi, slug := range []string{"long", "short", "plain"} {
		m := models.Model{Slug: slug, Name: slug}
		if err := s.CreateModel(ctx, &m); err != nil {
			t.Fatal(err)
		}
		ids[slug] = m.ID
		for pi, p := range prompts {
			dur := int64(4000 + 500*pi + 300*mi)
			if slug == "long" {
				dur *= 3
			}
			c := models.Clip{PromptID: p.ID, ModelID: m.ID, SHA256: fmt.Sprintf("%064d", k), BlobKey: fmt.Sprintf("%064d", k), MIME: "video/mp4", DurationMS: dur, Width: 8, Height: 8}
			k++
			if err := s.CreateClip(ctx, &c); err != nil {
				t.Fatal(err)
			}
			if slug == "plain" && pi == 1 {
				continue // never measured
			}
			f := media.Features{Motion: float64(5 + 3*mi + pi), Brightness: float64(100 + 10*mi - 7*pi), Saturation: float64(50 + 4*pi + 9*mi), Frames: 10}
			if err := s.SetClipFeatures(ctx, c.ID, f); err != nil {
				t.Fatal(err)
			}
		}
	}
	return ids
}

func TestCompute_StyleBoardBesideTheRawOne(t *testing.T) {
	b, s, clock := openBoards(t)
	ctx := context.Background()
	ids := styleArena(t, s)
	byID := map[uint]string{}
	for slug, id := range ids {
		byID[id] = slug
	}
	var votes, measured, bothBadLong int64
	for i := range 240 {
		m, err := s.IssueMatchup(ctx, fmt.Sprintf("voter%d", i%40), models.MatchupFilter{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		clock.Advance(time.Minute) // past the minimum watch time (the shorter clip), before expiry
		// The longer clip wins, except every fifth vote, where both are bad.
		choice := models.ChoiceA
		if m.B.DurationMS > m.A.DurationMS {
			choice = models.ChoiceB
		}
		if i%5 == 0 {
			choice = models.ChoiceBothBad
			if byID[m.A.ModelID] == "long" || byID[m.B.ModelID] == "long" {
				bothBadLong++
			}
		}
		res, err := s.RecordVote(ctx, fmt.Sprintf("voter%d", i%40), m.ID, choice)
		if err != nil || !res.Valid {
			t.Fatalf("vote %d: %+v, %v", i, res, err)
		}
		votes++
		if m.A.ModelID != ids["plain"] && m.B.ModelID != ids["plain"] || m.Prompt.Text == "a cat" {
			measured++
		}
	}
	lb, err := b.Compute(ctx, models.PoolT2V, "")
	if err != nil {
		t.Fatal(err)
	}
	if lb.Votes != votes {
		t.Fatalf("raw board counts %d votes, want %d", lb.Votes, votes)
	}
	if lb.Style == nil {
		t.Fatal("no style-controlled board")
	}
	if lb.Style.Votes != measured {
		t.Errorf("style board used %d votes, want the %d between measured clips", lb.Style.Votes, measured)
	}
	if len(lb.Style.Standings) != 3 || len(lb.Style.Coefficients) == 0 {
		t.Fatalf("style board %+v", lb.Style)
	}
	for _, c := range lb.Style.Coefficients {
		if c.Name == "has_audio" {
			t.Error("has_audio entered the fit though no clip has sound")
		}
		if !(c.CILower <= c.Value && c.Value <= c.CIUpper) || c.Description == "" {
			t.Errorf("coefficient %+v", c)
		}
	}
	if lb.Style.Dropped == nil || lb.Style.Dropped[len(lb.Style.Dropped)-1] != "has_audio" {
		t.Errorf("dropped %v, want has_audio among them", lb.Style.Dropped)
	}
	long, _ := lb.StandingOf(ids["long"])
	if long.BothBad != bothBadLong || long.BothBadRate != bothBadRate(bothBadLong, long.Votes) || long.BothBadRate == 0 {
		t.Errorf("long: both-bad %d (rate %v) of %d votes, want %d", long.BothBad, long.BothBadRate, long.Votes, bothBadLong)
	}
	for _, st := range lb.Style.Standings {
		raw, _ := lb.StandingOf(st.ModelID)
		if st.RankChangeVsRaw != raw.Rank-st.Rank {
			t.Errorf("model %d: rank change %d, raw %d style %d", st.ModelID, st.RankChangeVsRaw, raw.Rank, st.Rank)
		}
	}
}

// Imported votes that carry their clips' features count on the style
// board; those without count on the raw board only. Enough of them to
// fill whole multi-row inserts.
func TestCompute_ImportedStyleCountsOnTheStyleBoard(t *testing.T) {
	b, s, _ := openBoards(t)
	ctx := context.Background()
	clip := func(dur, motion float64, audio int) string {
		return fmt.Sprintf(`{"duration_s":%g,"motion":%g,"brightness":100,"saturation":50,"has_audio":%d}`, dur, motion, audio)
	}
	var lines []string
	styled := 0
	models3 := []string{"alpha", "beta", "gamma"}
	for i := range 1200 {
		a, bm := models3[i%3], models3[(i+1+i/3%2)%3]
		winner := []string{"model_a", "model_b", "tie", "tie (bothbad)"}[i*7%4]
		style := ""
		if i%4 != 0 {
			style = fmt.Sprintf(`,"style":{"a":%s,"b":%s}`, clip(float64(4+i%5), float64(2+i%3), i%2), clip(float64(3+i%4), 1.5, 0))
			styled++
		}
		lines = append(lines, fmt.Sprintf(`{"model_a":%q,"model_b":%q,"winner":%q,"tstamp":%d%s}`, a, bm, winner, 1700000000+i, style))
	}
	importBattles(t, s, lines...)
	lb, err := b.Compute(ctx, models.PoolT2V, "")
	if err != nil {
		t.Fatal(err)
	}
	if lb.Votes != 1200 {
		t.Fatalf("raw board counts %d votes, want 1200", lb.Votes)
	}
	if lb.Style == nil || lb.Style.Votes != int64(styled) {
		t.Fatalf("style board %+v, want %d votes", lb.Style, styled)
	}
	// Brightness and saturation are the same on both sides of every vote.
	if len(lb.Style.Standings) != 3 || len(lb.Style.Coefficients) != 3 || len(lb.Style.Dropped) != 2 {
		t.Fatalf("style board %+v", lb.Style)
	}
}

// A recompute bootstraps a pool's style board with its categories' (its
// resamples composed from theirs): each category's board is the one it
// computes alone, and the pool's differs from it only by the bootstrap's
// Monte Carlo error: same scores, intervals within a fraction of their
// width.
func TestRecompute_StyleBoardsAsComputedAlone(t *testing.T) {
	ctx := context.Background()
	s := openSynthetic(t, models.Options{}, synthetic.Options{Models: 8, Votes: 30_000, Seed: 3, StyleClips: 10})
	b := New(s, Options{Rounds: 300})
	if _, err := b.Recompute(ctx, true); err != nil {
		t.Fatal(err)
	}
	cats, err := b.Categories(ctx, models.PoolT2V)
	if err != nil || len(cats) < 2 {
		t.Fatalf("categories %v, %v", cats, err)
	}
	for _, category := range append(cats, "") {
		stored, ok, err := b.Get(ctx, models.PoolT2V, category)
		if err != nil || !ok || stored.Style == nil {
			t.Fatalf("%q: stored board %v, %v", category, ok, err)
		}
		alone, err := b.Compute(ctx, models.PoolT2V, category)
		if err != nil {
			t.Fatal(err)
		}
		got, want := stored.Style, alone.Style
		if category != "" {
			if !reflect.DeepEqual(got.Standings, want.Standings) || !reflect.DeepEqual(got.Coefficients, want.Coefficients) {
				t.Errorf("%q: style board %+v, alone %+v", category, got.Standings, want.Standings)
			}
			continue
		}
		if len(got.Standings) != len(want.Standings) {
			t.Fatalf("pool: %d style standings, alone %d", len(got.Standings), len(want.Standings))
		}
		for i, g := range got.Standings {
			w := want.Standings[i]
			width := w.CIUpper - w.CILower
			if g.ModelID != w.ModelID || math.Abs(g.Score-w.Score) > 0.011 ||
				math.Abs(g.CILower-w.CILower) > width/4 || math.Abs(g.CIUpper-w.CIUpper) > width/4 {
				t.Errorf("pool: standing %+v, alone %+v", g, w)
			}
		}
	}
}
