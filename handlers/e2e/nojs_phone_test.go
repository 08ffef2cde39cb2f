package e2e

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// TestArena_VotesWithoutJavaScript turns scripts off in the browser: the
// plain form still votes, the reveal page names both models and its link
// leads to the next matchup.
func TestArena_VotesWithoutJavaScript(t *testing.T) {
	t.Parallel()
	s := startSite(t, true)
	b := newBrowser(t)
	if _, err := chromedp.Call(b.ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	b.open(s.URL + "/")
	// The script never ran: the page's own playback bar stays hidden and the
	// clips keep their native controls.
	if _, ok := b.attr("#playback", "hidden"); !ok {
		t.Fatalf("the playback bar is shown: scripts seem to run")
	}
	if _, ok := b.attr("#clip-a", "controls"); !ok {
		t.Errorf("without JavaScript the clips need their native controls")
	}
	first, _ := b.attr("#arena", "data-matchup-id")
	// The server names the models only for a vote cast after both clips had
	// time to play; a voter without scripts watches that long before voting.
	watch, _ := b.attr("#arena", "data-min-watch-ms")
	ms, err := strconv.Atoi(watch)
	if err != nil {
		t.Fatalf("data-min-watch-ms = %q: %v", watch, err)
	}
	time.Sleep(time.Duration(ms)*time.Millisecond + 200*time.Millisecond)
	b.do(chromedp.Click(chromedp.CSS(`button[value="b"]`)), chromedp.WaitVisible(chromedp.ID("next")))
	summary := b.text("#choice-summary")
	if !strings.Contains(summary, "B is better") {
		t.Errorf("reveal page says %q, want the choice B is better", summary)
	}
	for _, side := range []string{"a", "b"} {
		if n := b.text("#reveal-" + side + " .model-name"); !knownModel(s.Models, n) {
			t.Errorf("reveal %s shows %q, want a demo model", side, n)
		}
	}
	if cls, _ := b.attr("#side-b", "class"); !strings.Contains(cls, "chosen") {
		t.Errorf("the chosen clip B is not highlighted (class %q)", cls)
	}
	b.shot("nojs-reveal")
	b.do(chromedp.Click(chromedp.ID("next")), chromedp.WaitVisible(chromedp.ID("vote-form")))
	if next, _ := b.attr("#arena", "data-matchup-id"); next == "" || next == first {
		t.Errorf("Next led to matchup %q, want a new one (first was %q)", next, first)
	}
}

// TestArena_PhoneLayout is a 375×812 phone: no sideways scrolling, clips
// stacked at full width, and the vote buttons on screen within thumb reach.
func TestArena_PhoneLayout(t *testing.T) {
	t.Parallel()
	s := startSite(t, true)
	b := newBrowser(t)
	b.do(chromedp.EmulateViewport(375, 812, chromedp.EmulateMobile))
	b.open(s.URL + "/")
	b.waitPlaying()
	b.waitUnlocked()
	noSideways := func(when string) {
		t.Helper()
		if w := b.evalFloat(`document.documentElement.scrollWidth`); w > 375 {
			t.Errorf("%s: the page is %v px wide on a 375 px screen", when, w)
		}
	}
	noSideways("before the vote")

	var layout struct {
		A, B     rect
		Buttons  []rect
		ViewH    float64
		Playsinl bool
	}
	b.eval(`(() => {
		const r = el => { const x = el.getBoundingClientRect(); return {Left: x.left, Top: x.top, Width: x.width, Height: x.height}; };
		return {A: r(document.getElementById("clip-a")), B: r(document.getElementById("clip-b")),
			Buttons: [...document.querySelectorAll("button.choice")].map(r), ViewH: innerHeight,
			Playsinl: document.getElementById("clip-a").playsInline};
	})()`, &layout)
	if layout.B.Top < layout.A.Top+layout.A.Height {
		t.Errorf("clips are not stacked: A %+v, B %+v", layout.A, layout.B)
	}
	if layout.A.Width < 330 || layout.B.Width < 330 {
		t.Errorf("clips are %v and %v px wide, want close to the full 375 px", layout.A.Width, layout.B.Width)
	}
	if !layout.Playsinl {
		t.Errorf("clips must play inline on phones")
	}
	for i, r := range layout.Buttons {
		if r.Top < 0 || r.Top+r.Height > layout.ViewH || r.Height < 44 {
			t.Errorf("vote button %d at %+v: want it fully on the %v px screen and at least 44 px tall", i, r, layout.ViewH)
		}
		if r.Top < layout.ViewH/2 {
			t.Errorf("vote button %d starts at %v px: want it in the lower half, within thumb reach", i, r.Top)
		}
	}
	b.shot("arena-phone")

	b.do(chromedp.Click(chromedp.CSS(`button[value="tie"]`)))
	b.waitState("revealed")
	noSideways("after the vote")
	var next rect
	b.eval(`(() => { const x = document.getElementById("next").getBoundingClientRect(); return {Left: x.left, Top: x.top, Width: x.width, Height: x.height}; })()`, &next)
	if next.Top+next.Height > 812 || next.Height < 44 {
		t.Errorf("Next button at %+v: want it on screen and at least 44 px tall", next)
	}
	b.shot("reveal-phone")
	b.waitFor("the next matchup preloaded", arenaEl+`.dataset.next === "ready"`, stepTimeout)
}

type rect struct{ Left, Top, Width, Height float64 }
