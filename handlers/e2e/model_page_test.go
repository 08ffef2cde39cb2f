package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/arena-video/arena/models"
	"github.com/arena-video/arena/models/history"
)

func TestModelPage_ChartAndHeadToHeadOnDesktopAndPhone(t *testing.T) {
	t.Parallel()
	s := startSite(t, true)
	ctx := context.Background()
	// The demo's two weeks of made-up votes give every model a daily history.
	if err := s.Store.SeedDemoVotes(ctx, models.DemoVotes, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Boards.RebuildHistory(ctx, history.Daily); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Boards.Recompute(ctx, true); err != nil {
		t.Fatal(err)
	}
	clips, err := s.Store.ListClips(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}

	b := newBrowser(t)
	b.open(s.URL + "/leaderboard")
	href := b.evalString(`document.querySelector("main table tbody tr a[href^='/models/']").getAttribute("href")`)
	if !strings.HasPrefix(href, "/models/") {
		t.Fatalf("the leaderboard's first row links to %q, not a model page", href)
	}
	b.do(chromedp.Click(chromedp.CSS(`main table tbody tr a[href^="/models/"]`)))
	b.waitFor("the model page", `location.pathname === `+jsString(href)+` && !!document.querySelector("svg.history-chart")`, stepTimeout)

	check := func(width int) {
		t.Helper()
		if n := b.evalFloat(`document.querySelectorAll("svg.history-chart path.band, svg.history-chart path.rank-line").length`); n < 2 {
			t.Errorf("%d px: the chart lacks its interval band or rank line", width)
		}
		if w := b.evalFloat(`document.querySelector("svg.history-chart").getBoundingClientRect().width`); w < 250 {
			t.Errorf("%d px: the chart is %.0f px wide", width, w)
		}
		// The whole chart shows: it does not scroll inside its box either.
		if b.evalBool(`(() => { const f = document.querySelector("svg.history-chart").parentElement; return f.scrollWidth > f.clientWidth })()`) {
			t.Errorf("%d px: the chart is cut off in its box", width)
		}
		if n := b.evalFloat(`document.querySelectorAll("table.h2h tbody tr").length`); n < 1 {
			t.Errorf("%d px: no head-to-head rows", width)
		}
		if w := b.evalFloat(`document.documentElement.scrollWidth`); w > float64(width) {
			t.Errorf("%d px: the page is %.0f px wide: it scrolls sideways", width, w)
		}
		// Nothing on the page names a clip that can still be shown in a
		// matchup: it would tell voters which model made it.
		html := b.evalString(`document.documentElement.outerHTML`)
		for _, c := range clips {
			if c.Active && strings.Contains(html, c.PublicID) {
				t.Errorf("%d px: the model page shows active clip %s", width, c.PublicID)
			}
		}
		if strings.Contains(html, "/media/") {
			t.Errorf("%d px: the model page links to /media/", width)
		}
	}
	check(1280)
	b.checkContrast("model")
	b.do(chromedp.ScrollIntoView(chromedp.CSS("svg.history-chart")))
	b.shot("model")

	b.do(chromedp.EmulateViewport(375, 812, chromedp.EmulateMobile))
	b.open(s.URL + href)
	check(375)
	var small int
	b.eval(`[...document.querySelectorAll("svg.history-chart text")].filter(t => { const h = t.getBoundingClientRect().height; return h > 0 && h < 9 }).length`, &small)
	if small > 0 {
		t.Errorf("%d chart labels are under 9 px tall on a 375 px phone", small)
	}
	b.do(chromedp.ScrollIntoView(chromedp.CSS("svg.history-chart")))
	b.shot("model-phone")
}
