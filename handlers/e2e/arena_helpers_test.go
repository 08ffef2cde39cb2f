package e2e

import (
	"strings"

	"github.com/arena-video/arena/models"
)

// The arena page exposes its state on the #arena section as data-
// attributes (state, unlocked, next, matchup-id); tests wait on those, not
// on timers.
const arenaEl = `document.getElementById("arena")`

func (b *browser) state() string     { return b.evalString(arenaEl + `.dataset.state`) }
func (b *browser) matchupID() string { return b.evalString(arenaEl + `.dataset.matchupId`) }

func (b *browser) waitState(state string) {
	b.t.Helper()
	b.waitFor("arena state "+state, arenaEl+`.dataset.state === `+jsString(state), stepTimeout)
}

// waitUnlocked waits until the vote buttons unlock: both clips played
// through, or the minimum watch time passed.
func (b *browser) waitUnlocked() {
	b.t.Helper()
	b.waitFor("the vote to unlock", arenaEl+`.dataset.unlocked === "true"`, stepTimeout)
}

// waitPlaying waits until both clips play and their time advances.
func (b *browser) waitPlaying() {
	b.t.Helper()
	b.waitFor("both clips to play", `(() => {
		const a = document.getElementById("clip-a"), b = document.getElementById("clip-b");
		return !a.paused && !b.paused && a.currentTime > 0.05 && b.currentTime > 0.05;
	})()`, stepTimeout)
}

// leakedName returns the first model name, slug or organization found
// anywhere in the page's DOM, or "".
func (b *browser) leakedName(ms []models.Model) string {
	b.t.Helper()
	html := strings.ToLower(b.evalString(`document.documentElement.outerHTML`))
	for _, m := range ms {
		for _, n := range []string{m.Name, m.Slug, m.Organization} {
			if n != "" && strings.Contains(html, strings.ToLower(n)) {
				return n
			}
		}
	}
	return ""
}

// revealedName returns the model name shown under a side ("a" or "b").
func (b *browser) revealedName(side string) string {
	b.t.Helper()
	return b.evalString(`(document.querySelector("#reveal-` + side + ` .model-name") || {textContent: ""}).textContent`)
}

func knownModel(ms []models.Model, name string) bool {
	for _, m := range ms {
		if m.Name == name {
			return true
		}
	}
	return false
}
