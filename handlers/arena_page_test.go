package handlers

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestArenaPage_CarriesWhatTheScriptNeeds(t *testing.T) {
	app := newTestApp(t, "", true, withMinWatch(3*time.Second))
	v := app.newVoter()
	page := v.get("/")
	if page.status != http.StatusOK {
		t.Fatalf("GET / = %d", page.status)
	}
	body := string(page.body)
	for _, want := range []string{
		`data-min-watch-ms="3000"`,        // the watch time before voting unlocks
		`data-has-audio="`,                // whether to offer a sound toggle
		`playsinline`,                     // phones play the clips in the page
		`aria-keyshortcuts="1 ArrowLeft"`, // shortcuts declared on the buttons
		`id="live" role="status" aria-live="polite"`,
		`<script src="/static/js/arena.js?v=`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the arena page lacks %s", want)
		}
	}
	if strings.Contains(body, `style="`) || strings.Contains(body, "<script>") {
		t.Errorf("the arena page has inline styles or scripts, which the CSP forbids")
	}
}

func TestMatchupJSON_SaysWhetherClipsHaveSound(t *testing.T) {
	app := newTestApp(t, "", true)
	v := app.newVoter()
	for _, tc := range []struct {
		pool  string
		sound bool
	}{{"t2v", false}, {"t2v-audio", true}} {
		r := v.postJSON("/api/v1/matchups", `{"pool":"`+tc.pool+`"}`)
		if r.status != http.StatusCreated {
			t.Fatalf("pool %s: %d %s", tc.pool, r.status, r.body)
		}
		if !strings.Contains(string(r.body), `"has_audio":`) {
			t.Errorf("pool %s: no has_audio in %s", tc.pool, r.body)
		}
		var m matchupJSON
		r.json(t, &m)
		if m.A.HasAudio != tc.sound || m.B.HasAudio != tc.sound {
			t.Errorf("pool %s: has_audio a=%v b=%v, want %v", tc.pool, m.A.HasAudio, m.B.HasAudio, tc.sound)
		}
	}
}

func TestVoteForm_RevealHighlightsTheChoice(t *testing.T) {
	app := newTestApp(t, "", true)
	for _, tc := range []struct{ choice, chosen, notChosen string }{
		{"a", `class="clip chosen" id="side-a"`, `class="clip chosen" id="side-b"`},
		{"b", `class="clip chosen" id="side-b"`, `class="clip chosen" id="side-a"`},
	} {
		v := app.newVoter()
		page := v.get("/")
		id := between(string(page.body), `data-matchup-id="`, `"`)
		form := url.Values{"choice": {tc.choice}}
		r := v.do(http.MethodPost, "/matchups/"+id+"/vote", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
		body := string(r.body)
		if r.status != http.StatusOK || !strings.Contains(body, tc.chosen) || strings.Contains(body, tc.notChosen) {
			t.Errorf("choice %s: status %d; want only its clip highlighted", tc.choice, r.status)
		}
		if !strings.Contains(body, "Your pick") {
			t.Errorf("choice %s: the reveal does not mark the voter's pick", tc.choice)
		}
	}
}
