package e2e

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// TestLeaderboard_StyleToggle clicks the leaderboard's style control link,
// with scripts on and with scripts off: either way it leads to the
// style-controlled board, marked current, with its note and the table of
// style coefficients, and the raw link leads back.
func TestLeaderboard_StyleToggle(t *testing.T) {
	t.Parallel()
	s := startSite(t, true, 0) // the votes below come at script speed; they must count
	voter := newBrowser(t)
	voter.open(s.URL + "/")
	voter.voteFromPage(60)
	if _, err := s.Boards.Recompute(context.Background(), true); err != nil {
		t.Fatal(err)
	}

	for _, scripts := range []bool{true, false} {
		name := map[bool]string{true: "with JavaScript", false: "without JavaScript"}[scripts]
		t.Run(name, func(t *testing.T) {
			b := newBrowser(t)
			if !scripts {
				if _, err := chromedp.Call(b.ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
					t.Fatal(err)
				}
			}
			// The ranking is recomputed in the background: reload until the
			// raw board shows. Everything below reads the DOM, not scripts.
			deadline := time.Now().Add(15 * time.Second)
			for {
				b.open(s.URL + "/leaderboard")
				if b.count("main table tbody tr") >= 2 {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("the leaderboard shows no ranked models after 60 votes")
				}
				time.Sleep(500 * time.Millisecond)
			}
			if n := b.count("table.coefficients"); n != 0 {
				t.Fatalf("the raw board shows %d coefficient tables, want none", n)
			}
			styleLink := `nav[aria-label="Style control"] a[href*="control=style"]`
			if cur, _ := b.attr(styleLink, "aria-current"); cur != "" {
				t.Fatalf("the style link is current on the raw board")
			}
			b.do(chromedp.Click(chromedp.CSS(styleLink)), chromedp.WaitVisible(chromedp.CSS("table.coefficients")))
			if url := b.location(); !strings.Contains(url, "control=style") {
				t.Errorf("the style link led to %s, want ?control=style", url)
			}
			if cur, _ := b.attr(styleLink, "aria-current"); cur != "page" {
				t.Errorf("on the style board its link has aria-current %q, want page", cur)
			}
			if note := b.text(".style-note"); !strings.Contains(note, "Style control") {
				t.Errorf("the style board's note reads %q", note)
			}
			if n := b.count("table.coefficients tbody tr"); n == 0 {
				t.Fatalf("the style board lists no coefficients")
			}
			if feature := b.text("table.coefficients tbody tr td"); feature == "" {
				t.Errorf("the first coefficient has no feature name")
			}
			if rows := b.count("main table:not(.coefficients) tbody tr"); rows < 2 {
				t.Errorf("the style board ranks %d models, want them all", rows)
			}
			if scripts {
				b.do(chromedp.ScrollIntoView(chromedp.CSS(".style-note")))
				b.shot("leaderboard-style")
			}
			// And back to the raw board.
			raw := `nav[aria-label="Style control"] a:not([href*="control=style"])`
			b.do(chromedp.Click(chromedp.CSS(raw)), chromedp.WaitVisible(chromedp.CSS("main table tbody tr")))
			if url := b.location(); strings.Contains(url, "control=style") || b.count("table.coefficients") != 0 {
				t.Errorf("the raw link led to %s, still the style board", url)
			}
		})
	}
}

// count is how many elements match a CSS selector, read through the DOM so
// it works with scripts off.
func (b *browser) count(sel string) int {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	nodes, err := chromedp.Run(ctx, chromedp.Nodes(chromedp.CSSAll(sel), chromedp.AtLeast(0)))
	if err != nil {
		b.t.Fatalf("find %s: %v", sel, err)
	}
	return len(nodes)
}

// location is the URL the tab shows.
func (b *browser) location() string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	url, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		b.t.Fatalf("location: %v", err)
	}
	return url
}
