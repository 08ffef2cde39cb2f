package e2e

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// contrastJS lists the visible text whose colour contrast with its
// background falls below WCAG AA: 4.5:1, or 3:1 for large text. Inactive
// controls (aria-disabled) are exempt, as WCAG allows; text over video is
// not measured.
const contrastJS = `(() => {
	const parse = c => {
		const m = /rgba?\(([^)]+)\)/.exec(c);
		if (!m) return null;
		const p = m[1].split(/[\s,\/]+/).filter(Boolean).map(Number);
		return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
	};
	const lum = c => {
		const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
		return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
	};
	const bgOf = el => {
		for (let e = el; e; e = e.parentElement) {
			const c = parse(getComputedStyle(e).backgroundColor);
			if (c && c.a > 0.5) return c;
		}
		return parse(getComputedStyle(document.documentElement).backgroundColor) || {r: 255, g: 255, b: 255, a: 1};
	};
	const bad = [];
	const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
	while (walk.nextNode()) {
		const n = walk.currentNode, el = n.parentElement;
		if (!n.textContent.trim() || !el || el.closest("[hidden], video, .visually-hidden, .skip, [aria-disabled=true]")) continue;
		const r = el.getBoundingClientRect(), cs = getComputedStyle(el);
		if (r.width === 0 || r.height === 0 || cs.visibility === "hidden") continue;
		const fg = parse(cs.color), bg = bgOf(el);
		const l1 = lum(fg), l2 = lum(bg);
		const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
		const size = parseFloat(cs.fontSize), bold = parseInt(cs.fontWeight, 10) >= 700;
		const need = (size >= 24 || (bold && size >= 18.66)) ? 3 : 4.5;
		if (ratio < need) bad.push(n.textContent.trim().slice(0, 40) + " (" + cs.color + " on rgb(" + [bg.r, bg.g, bg.b] + ") = " + ratio.toFixed(2) + ":1)");
	}
	return bad;
})()`

func (b *browser) checkContrast(when string) {
	b.t.Helper()
	var bad []string
	b.eval(contrastJS, &bad)
	for _, s := range bad {
		b.t.Errorf("%s: low contrast: %s", when, s)
	}
}

func (b *browser) emulateMedia(features ...string) {
	b.t.Helper()
	p := emulation.SetEmulatedMediaParams{}
	for i := 0; i+1 < len(features); i += 2 {
		p.Features = append(p.Features, &emulation.MediaFeature{Name: features[i], Value: features[i+1]})
	}
	if _, err := chromedp.Call(b.ctx, emulation.SetEmulatedMedia, p); err != nil {
		b.t.Fatal(err)
	}
}

// checkNames fails for every control the accessibility tree exposes
// without a name: what a screen reader would announce as just "button".
func (b *browser) checkNames(when string) {
	b.t.Helper()
	tree, err := chromedp.Call(b.ctx, accessibility.GetFullAXTree, accessibility.GetFullAXTreeParams{})
	if err != nil {
		b.t.Fatal(err)
	}
	needName := map[string]bool{"button": true, "link": true, "textbox": true, "combobox": true, "checkbox": true, "progressbar": true, "Video": true, "video": true, "img": true}
	seen := map[string]int{}
	for _, n := range tree.Nodes {
		if n.Ignored || n.Role == nil {
			continue
		}
		role := axString(n.Role)
		if !needName[role] {
			continue
		}
		seen[role]++
		if n.Name == nil || strings.TrimSpace(axString(n.Name)) == "" {
			b.t.Errorf("%s: a %s has no accessible name (node %s)", when, role, n.NodeID)
		}
	}
	if seen["button"] == 0 {
		b.t.Fatalf("%s: the accessibility tree has no buttons: %v", when, seen)
	}
}

func axString(v *accessibility.Value) string {
	var s string
	if err := json.Unmarshal(v.Value, &s); err != nil {
		return fmt.Sprint(string(v.Value))
	}
	return s
}

func TestArena_Accessibility(t *testing.T) {
	t.Parallel()
	s := startSite(t, true)
	b := newBrowser(t)
	b.open(s.URL + "/")
	b.waitUnlocked()

	if lang := b.evalString(`document.documentElement.lang`); lang == "" {
		t.Errorf("the page declares no language")
	}
	if live := b.evalString(`document.getElementById("live").getAttribute("aria-live")`); live != "polite" {
		t.Errorf("the reveal region is aria-live=%q, want polite", live)
	}
	// Every shortcut is shown on its button and declared for assistive tech.
	var shortcuts []struct{ Keys, Shown string }
	b.eval(`[...document.querySelectorAll("button.choice")].map(b => ({Keys: b.getAttribute("aria-keyshortcuts") || "", Shown: b.querySelector(".keys").textContent}))`, &shortcuts)
	want := []struct{ keys, shown string }{{"1 ArrowLeft", "1←"}, {"2 ArrowRight", "2→"}, {"3 ArrowUp", "3↑"}, {"4 ArrowDown", "4↓"}}
	if len(shortcuts) != len(want) {
		t.Fatalf("%d vote buttons, want %d", len(shortcuts), len(want))
	}
	for i, w := range want {
		if shortcuts[i].Keys != w.keys || shortcuts[i].Shown != w.shown {
			t.Errorf("button %d: shortcuts %q shown as %q, want %q shown as %q", i, shortcuts[i].Keys, shortcuts[i].Shown, w.keys, w.shown)
		}
	}

	b.checkNames("voting")
	b.checkContrast("voting, light")
	b.emulateMedia("prefers-color-scheme", "dark")
	if bg := b.evalString(`getComputedStyle(document.body).backgroundColor`); bg == "rgb(247, 247, 248)" {
		t.Errorf("the dark scheme did not apply (body %s)", bg)
	}
	b.checkContrast("voting, dark")
	b.shot("arena-dark")
	b.emulateMedia()

	// Focus is visible on every stop of the tab order.
	b.eval(`document.activeElement.blur(), true`, nil)
	for i := range 12 {
		b.press(kb.Tab)
		var f struct{ Tag, ID, Text, Style string }
		b.eval(`(() => { const e = document.activeElement, cs = getComputedStyle(e);
			return {Tag: e.tagName, ID: e.id, Text: e.textContent.trim().slice(0, 30), Style: cs.outlineStyle + " " + cs.outlineWidth}; })()`, &f)
		if f.Tag == "BODY" {
			break
		}
		if strings.HasPrefix(f.Style, "none") || strings.HasSuffix(f.Style, " 0px") || strings.HasSuffix(f.Style, " 1px") {
			t.Errorf("tab stop %d (%s#%s %q) shows no focus ring: outline %s", i+1, f.Tag, f.ID, f.Text, f.Style)
		}
	}

	// Motion: the locked-vote nudge animates, unless the voter asked for less motion.
	anim := func() string {
		return b.evalString(`(() => { const h = document.getElementById("lock-hint"); h.classList.add("nudge"); const a = getComputedStyle(h).animationName; h.classList.remove("nudge"); return a; })()`)
	}
	if a := anim(); a != "nudge" {
		t.Errorf("nudge animation %q, want nudge", a)
	}
	b.emulateMedia("prefers-reduced-motion", "reduce")
	if a := anim(); a != "none" {
		t.Errorf("with prefers-reduced-motion the nudge still animates (%q)", a)
	}
	b.emulateMedia()

	// After the vote: the reveal, its badges and the Next button.
	b.press("2")
	b.waitState("revealed")
	b.checkNames("revealed")
	b.checkContrast("revealed, light")
	b.emulateMedia("prefers-color-scheme", "dark")
	b.checkContrast("revealed, dark")
	b.emulateMedia()
}
