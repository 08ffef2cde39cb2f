package e2e

import (
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

func TestArena_BothClipsPlayTogetherMutedAndInSync(t *testing.T) {
	t.Parallel()
	s := startSite(t, true)
	b := newBrowser(t)
	b.open(s.URL + "/")
	b.waitPlaying()

	var clips []struct {
		Muted, Loop, Controls, Inline bool
		Width, Height                 float64
		Time                          float64
	}
	b.eval(`["clip-a", "clip-b"].map(id => {
		const v = document.getElementById(id), r = v.getBoundingClientRect();
		return {Muted: v.muted, Loop: v.loop, Controls: v.controls, Inline: v.hasAttribute("playsinline"), Width: r.width, Height: r.height, Time: v.currentTime};
	})`, &clips)
	for i, c := range clips {
		if !c.Muted || !c.Inline || c.Controls {
			t.Errorf("clip %d: muted=%v playsinline=%v controls=%v, want muted inline clips under the page's own controls", i, c.Muted, c.Inline, c.Controls)
		}
	}
	if clips[0].Width != clips[1].Width || clips[0].Height != clips[1].Height || clips[0].Width < 200 {
		t.Errorf("clips are %vx%v and %vx%v, want the same size", clips[0].Width, clips[0].Height, clips[1].Width, clips[1].Height)
	}

	// Time advances on both clips.
	before := clips[0].Time + clips[1].Time
	b.waitFor("both clips to advance", `(() => {
		const a = document.getElementById("clip-a"), b = document.getElementById("clip-b");
		return a.currentTime + b.currentTime != `+ftoa(before)+` && !a.paused && !b.paused;
	})()`, stepTimeout)

	// They stay together: the median gap between the clips over a second
	// stays small (one sample may catch a loop restart on a busy machine).
	var gaps []float64
	for range 7 {
		gaps = append(gaps, b.evalFloat(`(() => {
			const a = document.getElementById("clip-a"), b = document.getElementById("clip-b");
			return (a.ended || b.ended || a.seeking || b.seeking) ? 0 : Math.abs(a.currentTime - b.currentTime);
		})()`))
		time.Sleep(150 * time.Millisecond)
	}
	slices.Sort(gaps)
	if median := gaps[len(gaps)/2]; median > 0.15 {
		t.Errorf("clips play %.2f s apart (median of %v), want within 0.15 s", median, gaps)
	}

	// Push clip A ahead: the page pulls it back within a second or so; a
	// busy machine runs the page's timers late, so allow it several.
	b.waitFor("the start of a loop", `(() => { const b = document.getElementById("clip-b"); return b.currentTime > 0.05 && b.currentTime < 0.6 && !b.paused; })()`, stepTimeout)
	b.eval(`(() => { const a = document.getElementById("clip-a"), b = document.getElementById("clip-b"); a.currentTime = b.currentTime + 0.8; return true; })()`, nil)
	b.waitFor("a re-sync", arenaEl+`.dataset.resyncs >= 1`, 10*time.Second)
	b.waitFor("the clips back in step", `(() => {
		const a = document.getElementById("clip-a"), b = document.getElementById("clip-b");
		return !a.seeking && !b.seeking && Math.abs(a.currentTime - b.currentTime) < 0.2;
	})()`, 10*time.Second)

	// One control pauses both, and plays both again.
	b.click("#play-toggle")
	if !b.evalBool(`document.getElementById("clip-a").paused && document.getElementById("clip-b").paused`) {
		t.Errorf("Pause both left a clip playing")
	}
	if got := b.evalString(`document.querySelector("#play-toggle .label").textContent`); got != "Play both" {
		t.Errorf("after pausing, the control reads %q, want Play both", got)
	}
	b.click("#play-toggle")
	b.waitPlaying()

	// Demo clips without sound offer no sound toggle; fullscreen is there.
	hasAudio := b.evalBool(`document.getElementById("clip-a").dataset.hasAudio === "true"`)
	if shown := !b.evalBool(`document.getElementById("sound-a").hidden`); shown != hasAudio {
		t.Errorf("sound toggle shown=%v for a clip with has_audio=%v", shown, hasAudio)
	}
	if b.evalBool(`document.getElementById("fullscreen-a").hidden`) {
		t.Errorf("no fullscreen button on clip A")
	}
	b.click("#fullscreen-b")
	b.waitFor("clip B full screen", `document.fullscreenElement === document.getElementById("clip-b")`, stepTimeout)
	b.eval(`document.exitFullscreen().then(() => true)`, nil)
	b.waitUnlocked()
	b.shot("arena-desktop")
}

// TestArena_AutoplayRefusedAsksForPlay is a phone that refuses to autoplay
// even muted video until the user touches the page: the page asks for Play
// both, and one press starts both clips.
func TestArena_AutoplayRefusedAsksForPlay(t *testing.T) {
	t.Parallel()
	s := startSite(t, true)
	b := newBrowser(t)
	refuse := `(() => {
		const play = HTMLMediaElement.prototype.play;
		HTMLMediaElement.prototype.play = function () {
			if (!navigator.userActivation.hasBeenActive) return Promise.reject(new DOMException("autoplay refused", "NotAllowedError"));
			return play.call(this);
		};
	})()`
	if _, err := chromedp.Call(b.ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: refuse}); err != nil {
		t.Fatal(err)
	}
	b.open(s.URL + "/")
	b.waitFor("the page to ask for Play both", `document.getElementById("lock-text").textContent.includes("press Play both")`, stepTimeout)
	if label := b.text("#play-toggle .label"); label != "Play both" {
		t.Errorf("play control reads %q, want Play both", label)
	}
	b.click("#play-toggle")
	b.waitPlaying()
	b.waitUnlocked()
}

func TestArena_SoundTogglePlaysOneClipAtATime(t *testing.T) {
	t.Parallel()
	s := startSite(t, true)
	b := newBrowser(t)
	// Ask for matchups until one comes from a pool with sound.
	for i := 0; ; i++ {
		if i == 30 {
			t.Skip("the demo data has no clips with sound")
		}
		b.open(s.URL + "/")
		if b.evalBool(`document.getElementById("clip-a").dataset.hasAudio === "true"`) {
			break
		}
	}
	b.waitPlaying()
	muted := func() [2]bool {
		var m [2]bool
		b.eval(`[document.getElementById("clip-a").muted, document.getElementById("clip-b").muted]`, &m)
		return m
	}
	b.click("#sound-a")
	if m := muted(); m != [2]bool{false, true} {
		t.Fatalf("after Sound A: muted = %v, want only A audible", m)
	}
	b.click("#sound-b")
	if m := muted(); m != [2]bool{true, false} {
		t.Fatalf("after Sound B: muted = %v, want only B audible", m)
	}
	if p := b.evalString(`document.getElementById("sound-b").getAttribute("aria-pressed")`); p != "true" {
		t.Errorf("sound B aria-pressed = %q", p)
	}
	b.click("#sound-b")
	if m := muted(); m != [2]bool{true, true} {
		t.Fatalf("after Sound B again: muted = %v, want both muted", m)
	}
}

func TestArena_ClickVoteRevealsNamesThenNextIsInstant(t *testing.T) {
	t.Parallel()
	s := startSite(t, true)
	b := newBrowser(t)
	b.open(s.URL + "/")
	if leak := b.leakedName(s.Models); leak != "" {
		t.Fatalf("the page names %q before the vote", leak)
	}

	// Locked at first: a vote is refused and the hint says why.
	var early struct {
		Skipped bool
		State   string
		Hint    string
	}
	b.eval(`(() => {
		const a = document.getElementById("arena");
		if (a.dataset.unlocked === "true") return {Skipped: true};
		document.querySelector("button[value=a]").click();
		const h = document.getElementById("lock-hint");
		return {State: a.dataset.state, Hint: h.hidden ? "" : h.textContent.trim()};
	})()`, &early)
	if !early.Skipped {
		if early.State != "voting" || !strings.Contains(early.Hint, "Voting opens") {
			t.Errorf("a vote before the clips were watched: state %q, hint %q; want it refused with a hint", early.State, early.Hint)
		}
	}

	b.waitUnlocked()
	b.click(`button[value="a"]`)
	b.waitState("revealed")
	a, bb := b.revealedName("a"), b.revealedName("b")
	if !knownModel(s.Models, a) || !knownModel(s.Models, bb) || a == bb {
		t.Fatalf("reveal shows %q and %q, want two different demo models", a, bb)
	}
	if !b.evalBool(`document.getElementById("side-a").classList.contains("chosen") && !document.getElementById("side-b").classList.contains("chosen")`) {
		t.Errorf("the chosen clip A is not highlighted")
	}
	if org := b.evalString(`document.querySelector("#reveal-a .org").textContent`); org == "" {
		t.Errorf("no organization under clip A")
	}
	b.waitFor("the reveal announced", `document.getElementById("live").textContent.includes("You chose A is better")`, stepTimeout)
	if id := b.evalString(`document.activeElement.id`); id != "next" {
		t.Errorf("focus after the vote is on #%s, want #next", id)
	}
	b.shot("reveal")

	// Next is instant: the next matchup and its clips were loaded during the reveal.
	b.waitFor("the next matchup preloaded", arenaEl+`.dataset.next === "ready"`, stepTimeout)
	first := b.matchupID()
	b.click("#next")
	var after struct {
		ID, State    string
		ReadyA       int
		ReadyB       int
		RevealA      string
		VoteFormShow bool
	}
	b.eval(`(() => {
		const a = document.getElementById("arena");
		return {ID: a.dataset.matchupId, State: a.dataset.state,
			ReadyA: document.getElementById("clip-a").readyState, ReadyB: document.getElementById("clip-b").readyState,
			RevealA: document.getElementById("reveal-a").textContent, VoteFormShow: !document.getElementById("vote-form").hidden};
	})()`, &after)
	if after.ID == first || after.State != "voting" || !after.VoteFormShow {
		t.Fatalf("after Next: %+v, want a new matchup ready for a vote", after)
	}
	if after.ReadyA < 3 || after.ReadyB < 3 {
		// Chromium may take a moment to report a preloaded element as
		// buffered again once it enters the page; on a loaded CI machine
		// allow that moment, no more.
		b.waitFor("both clips buffered just after Next",
			`document.getElementById("clip-a").readyState >= 3 && document.getElementById("clip-b").readyState >= 3`, 1500*time.Millisecond)
	}
	if after.RevealA != "" {
		t.Errorf("the old reveal %q is still shown", after.RevealA)
	}
	if leak := b.leakedName(s.Models); leak != "" {
		t.Fatalf("the next matchup names %q before its vote", leak)
	}
	b.waitPlaying()
}

// TestArena_TwentyVotesByKeyboardAlone is the voter who never touches the
// mouse: every shortcut, twenty matchups, Enter for the next one.
func TestArena_TwentyVotesByKeyboardAlone(t *testing.T) {
	t.Parallel()
	s := startSite(t, true)
	b := newBrowser(t)
	b.open(s.URL + "/")
	keys := []struct{ key, label string }{
		{"1", "A is better"}, {"2", "B is better"}, {"3", "Tie"}, {"4", "Both are bad"},
		{kb.ArrowLeft, "A is better"}, {kb.ArrowRight, "B is better"}, {kb.ArrowUp, "Tie"}, {kb.ArrowDown, "Both are bad"},
	}
	var ids []string
	for i := range 20 {
		k := keys[i%len(keys)]
		b.waitState("voting")
		id := b.matchupID()
		b.waitUnlocked()
		b.press(k.key)
		b.waitState("revealed")
		if got := b.evalString(`document.getElementById("choice-summary").textContent`); !strings.Contains(got, k.label) {
			t.Fatalf("vote %d with key %q: summary %q, want %q", i+1, k.key, got, k.label)
		}
		if n := b.revealedName("a"); !knownModel(s.Models, n) {
			t.Fatalf("vote %d: no model revealed (got %q)", i+1, n)
		}
		ids = append(ids, id)
		b.press(kb.Enter)
		b.waitFor("the next matchup", arenaEl+`.dataset.matchupId !== `+jsString(id)+` && `+arenaEl+`.dataset.state === "voting"`, stepTimeout)
	}
	// Every vote was stored: the server refuses a second vote on each.
	var statuses []int
	b.eval(`Promise.all(`+jsArray(ids)+`.map(id => fetch("/api/v1/matchups/" + id + "/vote", {
		method: "POST", headers: {"Content-Type": "application/json"}, body: '{"choice":"a"}'}).then(r => r.status)))`, &statuses)
	for i, st := range statuses {
		if st != 409 {
			t.Errorf("vote %d: a second vote answered %d, want 409 (first vote stored)", i+1, st)
		}
	}
	if len(statuses) != 20 {
		t.Fatalf("checked %d votes, want 20", len(statuses))
	}
}

func ftoa(f float64) string {
	if math.IsNaN(f) {
		return "0"
	}
	return strings.TrimRight(strings.TrimRight(strconvFloat(f), "0"), ".")
}
