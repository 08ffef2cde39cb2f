package synthetic

import (
	"bufio"
	"bytes"
	"testing"

	"github.com/arena-video/arena/models"
)

func TestWrite_EveryLineImportsAndTheSeedFixesThem(t *testing.T) {
	o := Options{Models: 7, Votes: 2000, Seed: 3}
	var a, b bytes.Buffer
	if err := Write(&a, o); err != nil {
		t.Fatal(err)
	}
	if err := Write(&b, o); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatal("the same options wrote different battles")
	}
	winners := map[string]int{}
	sc := bufio.NewScanner(&a)
	n := 0
	for sc.Scan() {
		v, err := models.ParseBattleLine(sc.Bytes())
		if err != nil {
			t.Fatalf("line %d %q: %v", n+1, sc.Text(), err)
		}
		winners[v.Winner]++
		n++
	}
	if n != o.Votes {
		t.Fatalf("%d lines, want %d", n, o.Votes)
	}
	// About 15% ties and both-bad, the rest decided.
	if ties := winners["tie"] + winners["tie (bothbad)"]; ties < 220 || ties > 380 {
		t.Errorf("%d ties in %d battles, want about 300", ties, n)
	}
	if winners["model_a"] == 0 || winners["model_b"] == 0 || winners["tie (bothbad)"] == 0 {
		t.Errorf("winners %v: every outcome should occur", winners)
	}
}

func TestWrite_StrongerModelsWinMore(t *testing.T) {
	o := Options{Models: 2, Votes: 20000, Seed: 1}
	s := Strengths(o)
	var buf bytes.Buffer
	if err := Write(&buf, o); err != nil {
		t.Fatal(err)
	}
	wins := [2]int{}
	sc := bufio.NewScanner(&buf)
	for sc.Scan() {
		v, _ := models.ParseBattleLine(sc.Bytes())
		switch {
		case v.Winner == "model_a" && v.ModelA == ModelSlug(0), v.Winner == "model_b" && v.ModelB == ModelSlug(0):
			wins[0]++
		case v.Winner == "model_a" || v.Winner == "model_b":
			wins[1]++
		}
	}
	stronger := 0
	if s[1] > s[0] {
		stronger = 1
	}
	if wins[stronger] <= wins[1-stronger] {
		t.Fatalf("strengths %v, wins %v: the stronger model should win more", s, wins)
	}
}

func TestWrite_RefusesTooFewModels(t *testing.T) {
	if err := Write(&bytes.Buffer{}, Options{Models: 1, Votes: 1}); err == nil {
		t.Fatal("one model was accepted")
	}
}

func TestWrite_StyleClipsGiveEveryBattleItsClipsFeatures(t *testing.T) {
	o := Options{Models: 5, Votes: 500, Seed: 2, StyleClips: 3}
	var buf bytes.Buffer
	if err := Write(&buf, o); err != nil {
		t.Fatal(err)
	}
	pairs := map[models.BattleStyle]bool{}
	sc := bufio.NewScanner(&buf)
	for sc.Scan() {
		v, err := models.ParseBattleLine(sc.Bytes())
		if err != nil {
			t.Fatalf("%q: %v", sc.Text(), err)
		}
		if v.Style == nil {
			t.Fatalf("%q has no style", sc.Text())
		}
		pairs[*v.Style] = true
	}
	// At most one pair of clips per ordered model pair and clip index.
	if n := len(pairs); n < 10 || n > 5*4*3 {
		t.Fatalf("%d distinct clip pairs, want between 10 and %d", n, 5*4*3)
	}
}

// A clip belongs to one prompt and a prompt to one category, as in Arena:
// each category's style board then holds its own share of the pool's clip
// pairs, which is what fitting the boards costs.
func TestWrite_StyleClipsBelongToOnePromptOfOneCategory(t *testing.T) {
	o := Options{Models: 5, Votes: 2000, Seed: 3, StyleClips: 10}
	var buf bytes.Buffer
	if err := Write(&buf, o); err != nil {
		t.Fatal(err)
	}
	type clip struct {
		model string
		style models.StyleFeatures
	}
	promptOf, categoryOf := map[clip]uint{}, map[uint]string{}
	categories := map[string]bool{}
	sc := bufio.NewScanner(&buf)
	for sc.Scan() {
		v, err := models.ParseBattleLine(sc.Bytes())
		if err != nil {
			t.Fatalf("%q: %v", sc.Text(), err)
		}
		categories[v.Category] = true
		if c, ok := categoryOf[v.PromptID]; ok && c != v.Category {
			t.Fatalf("prompt %d is in categories %q and %q", v.PromptID, c, v.Category)
		}
		categoryOf[v.PromptID] = v.Category
		for _, c := range []clip{{v.ModelA, v.Style.A}, {v.ModelB, v.Style.B}} {
			if p, ok := promptOf[c]; ok && p != v.PromptID {
				t.Fatalf("a clip of %s is shown for prompts %d and %d", c.model, p, v.PromptID)
			}
			promptOf[c] = v.PromptID
		}
	}
	if len(categoryOf) != 10 || len(categories) != 5 {
		t.Fatalf("%d prompts in %d categories, want 10 in 5", len(categoryOf), len(categories))
	}
}
