package handlers

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
)

// TestBlind_NothingBeforeTheVoteNamesAModel scans everything a voter receives
// before voting (page, matchup JSON, media headers and bytes) for any model's
// name, slug or organization.
func TestBlind_NothingBeforeTheVoteNamesAModel(t *testing.T) {
	app := newTestApp(t, "", true)
	ms, err := app.store.ListModels(context.Background())
	if err != nil || len(ms) < 2 {
		t.Fatalf("need the demo models, got %d (%v)", len(ms), err)
	}
	var needles []string
	for _, m := range ms {
		needles = append(needles, m.Name, m.Slug, m.Organization)
	}
	check := func(what string, b []byte) {
		t.Helper()
		low := bytes.ToLower(b)
		for _, n := range needles {
			if n != "" && bytes.Contains(low, []byte(strings.ToLower(n))) {
				t.Fatalf("%s contains %q before the vote", what, n)
			}
		}
	}
	headers := func(h http.Header) []byte {
		var b bytes.Buffer
		_ = h.Write(&b)
		return b.Bytes()
	}
	v := app.newVoter()
	for i := range 20 {
		page := v.get("/")
		check("arena page", page.body)
		check("arena page headers", headers(page.header))
		r := v.postJSON("/api/v1/matchups", "")
		check("matchup JSON", r.body)
		check("matchup headers", headers(r.header))
		var m matchupJSON
		r.json(t, &m)
		for _, u := range []string{m.A.VideoURL, m.B.VideoURL, m.Prompt.ImageURL} {
			if u == "" {
				continue
			}
			check("media URL", []byte(u))
			media := v.get(u)
			if media.status != http.StatusOK {
				t.Fatalf("GET %s = %d", u, media.status)
			}
			check("media headers "+u, headers(media.header))
			check("media bytes "+u, media.body)
		}
		if i%2 == 0 {
			v.vote(m.ID, "tie")
		}
	}
}

func TestBlind_SidesAreRandom(t *testing.T) {
	app := newTestApp(t, "", true)
	v := app.newVoter()
	firstOnA := 0
	const n = 200
	for range n {
		m := v.matchup()
		// Clips are listed by id inside a prompt; count how often the lower
		// id lands on side A.
		a, _ := app.store.ClipByPublicID(context.Background(), strings.TrimPrefix(m.A.VideoURL, "/media/"))
		b, _ := app.store.ClipByPublicID(context.Background(), strings.TrimPrefix(m.B.VideoURL, "/media/"))
		if a.ID < b.ID {
			firstOnA++
		}
	}
	// Binomial(200, 0.5) stays within 60..140 with probability 1 - 1e-8.
	if firstOnA < 60 || firstOnA > 140 {
		t.Fatalf("lower clip id on side A %d times of %d: sides are not random", firstOnA, n)
	}
}
