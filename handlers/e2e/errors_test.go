package e2e

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

func TestArena_NoMatchupPageOffersRetry(t *testing.T) {
	t.Parallel()
	s := startSite(t, false)
	b := newBrowser(t)
	b.open(s.URL + "/")
	if h := b.text("main h1"); h != "No matchup yet" {
		t.Errorf("heading %q, want No matchup yet", h)
	}
	if msg := b.text("main .empty"); !strings.Contains(msg, "two active models") {
		t.Errorf("the page does not say why: %q", msg)
	}
	if href, _ := b.attr("main .empty a", "href"); href != "/" {
		t.Errorf("retry link %q, want /", href)
	}
}

// API failures the page must survive, injected through Chromium's Fetch
// domain: a vote lost to the network, then no matchup for Next.
const (
	passAll = iota
	failVotes
	noMatchups
)

// intercept routes the page's API calls through mode: it fails votes with
// a network error, or answers new matchups with 503, or lets them pass.
func intercept(t *testing.T, b *browser, mode *atomic.Int32) {
	t.Helper()
	paused := chromedp.Events(b.ctx, fetch.RequestPaused)
	if _, err := chromedp.Call(b.ctx, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "*/api/v1/*"}}}); err != nil {
		t.Fatal(err)
	}
	go func() {
		for ev, err := range paused {
			if err != nil {
				return
			}
			var cerr error
			path := ev.Request.URL[strings.Index(ev.Request.URL, "/api/"):]
			switch m := mode.Load(); {
			case m == failVotes && strings.HasSuffix(path, "/vote"):
				_, cerr = chromedp.Call(b.ctx, fetch.FailRequest, fetch.FailRequestParams{RequestID: ev.RequestID, ErrorReason: network.ErrorReasonInternetDisconnected})
			case m == noMatchups && path == "/api/v1/matchups":
				_, cerr = chromedp.Call(b.ctx, fetch.FulfillRequest, fetch.FulfillRequestParams{
					RequestID:       ev.RequestID,
					ResponseCode:    503,
					ResponseHeaders: []*fetch.HeaderEntry{{Name: "Content-Type", Value: "application/json"}},
					Body:            []byte(`{"error":"no matchup can be made yet: no prompt has clips from two active models"}`),
				})
			default:
				_, cerr = chromedp.Call(b.ctx, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: ev.RequestID})
			}
			if cerr != nil && context.Cause(b.ctx) == nil {
				t.Errorf("intercept %s: %v", path, cerr)
			}
		}
	}()
}

func TestArena_NetworkFailureAndNoNextMatchupOfferRetry(t *testing.T) {
	t.Parallel()
	s := startSite(t, true)
	b := newBrowser(t)
	var mode atomic.Int32
	intercept(t, b, &mode)
	b.open(s.URL + "/")
	b.waitUnlocked()

	// The vote is lost to the network: the page says so and keeps the vote open.
	mode.Store(failVotes)
	b.press("1")
	b.waitFor("the network notice", `!document.getElementById("notice").hidden`, stepTimeout)
	if msg := b.text("#notice-text"); !strings.Contains(msg, "network failed") {
		t.Errorf("notice %q, want it to name the network", msg)
	}
	if st := b.state(); st != "voting" {
		t.Errorf("after a failed vote the state is %q, want voting", st)
	}
	if leak := b.leakedName(s.Models); leak != "" {
		t.Errorf("a failed vote revealed %q", leak)
	}
	b.shot("network-error")

	// Retry sends the same vote; the next matchup cannot be made.
	mode.Store(noMatchups)
	if label := b.text("#notice-action"); label != "Try again" {
		t.Errorf("notice action %q, want Try again", label)
	}
	b.do(chromedp.Click(chromedp.ID("notice-action")))
	b.waitState("revealed")
	if got := b.text("#choice-summary"); !strings.Contains(got, "A is better") {
		t.Errorf("retried vote shows %q, want A is better", got)
	}
	b.waitFor("the preload to fail", arenaEl+`.dataset.next === "failed"`, stepTimeout)
	b.do(chromedp.Click(chromedp.ID("next")))
	b.waitFor("the no-matchup notice", `!document.getElementById("notice").hidden`, stepTimeout)
	if msg := b.text("#notice-text"); !strings.Contains(msg, "No matchup can be made yet") {
		t.Errorf("notice %q, want it to say no matchup can be made", msg)
	}

	// Once matchups come back, Try again shows one.
	mode.Store(passAll)
	first := b.matchupID()
	b.do(chromedp.Click(chromedp.ID("notice-action")))
	b.waitState("voting")
	if b.matchupID() == first {
		t.Errorf("Try again kept the old matchup")
	}
	b.waitPlaying()
}
