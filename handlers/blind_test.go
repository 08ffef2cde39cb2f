package handlers

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"math"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/arena-video/arena/models"
)

// modelNeedles lists every way a model could be named in a response: name,
// slug and organization, as written, HTML-escaped and JSON-escaped.
func modelNeedles(t *testing.T, app *testApp) [][]byte {
	t.Helper()
	ms, err := app.store.ListModels(context.Background())
	if err != nil || len(ms) < 2 {
		t.Fatalf("need the demo models, got %d (%v)", len(ms), err)
	}
	var out [][]byte
	for _, m := range ms {
		for _, s := range []string{m.Name, m.Slug, m.Organization} {
			if len(s) < 3 { // too short to mean anything; would match by chance
				continue
			}
			j, _ := json.Marshal(s)
			for _, form := range []string{s, html.EscapeString(s), string(j[1 : len(j)-1])} {
				out = append(out, bytes.ToLower([]byte(form)))
			}
		}
	}
	return out
}

var srcAttr = regexp.MustCompile(`(?:src|href)="(/static/[^"]+)"`)

// blindAudit plays rounds matchups as a voter and scans everything the
// voter receives before each vote — the arena page and the static files it
// links, the matchup JSON, every header (cookies and ETags included), each
// clip and source image in full, by range and by HEAD — for any model name,
// slug or organization. It returns what it found.
func blindAudit(t *testing.T, app *testApp, rounds int) []string {
	t.Helper()
	needles := modelNeedles(t, app)
	var found []string
	check := func(what string, b []byte) {
		low := bytes.ToLower(b)
		for _, n := range needles {
			if bytes.Contains(low, n) {
				found = append(found, fmt.Sprintf("%s contains %q", what, n))
			}
		}
	}
	checkResponse := func(what string, r response) {
		var h bytes.Buffer
		_ = r.header.Write(&h)
		check(what+" headers", h.Bytes())
		check(what+" body", r.body)
		if cd := r.header.Get("Content-Disposition"); cd != "" {
			found = append(found, fmt.Sprintf("%s names a file: %q", what, cd))
		}
	}
	v := app.newVoter()
	assets := map[string]bool{}
	for i := range rounds {
		page := v.get("/")
		checkResponse("arena page", page)
		for _, m := range srcAttr.FindAllSubmatch(page.body, -1) {
			u := html.UnescapeString(string(m[1]))
			if !assets[u] {
				assets[u] = true
				checkResponse("asset "+u, v.get(u))
			}
		}
		r := v.postJSON("/api/v1/matchups", "")
		checkResponse("matchup JSON", r)
		var m matchupJSON
		r.json(t, &m)
		for _, u := range []string{m.A.VideoURL, m.B.VideoURL, m.Prompt.ImageURL} {
			if u == "" {
				continue
			}
			check("media URL", []byte(u))
			full := v.get(u)
			if full.status != http.StatusOK {
				t.Fatalf("GET %s = %d", u, full.status)
			}
			checkResponse("media "+u, full)
			checkResponse("media range "+u, v.get(u, "Range", "bytes=0-99"))
			checkResponse("media HEAD "+u, v.do(http.MethodHead, u, "", nil))
		}
		// Vote on some, so later matchups come from a voter with a history.
		if i%2 == 0 {
			v.vote(m.ID, choicesForTest[i%4])
		}
	}
	return found
}

var choicesForTest = []string{"a", "b", "tie", "both_bad"}

// TestBlind_NothingBeforeTheVoteNamesAModel is the blindness audit.
func TestBlind_NothingBeforeTheVoteNamesAModel(t *testing.T) {
	app := newTestApp(t, "", true)
	if found := blindAudit(t, app, 40); len(found) > 0 {
		t.Fatalf("the voter can tell the models apart before voting:\n%s", strings.Join(found, "\n"))
	}
}

// TestBlind_AuditCatchesALeak proves the audit can fail: with a model's
// name slipped into a header or the matchup JSON, it reports it.
func TestBlind_AuditCatchesALeak(t *testing.T) {
	app := newTestApp(t, "", true)
	ms, _ := app.store.ListModels(context.Background())
	for name, leak := range map[string]echo.MiddlewareFunc{
		"header": func(next echo.HandlerFunc) echo.HandlerFunc {
			return func(c echo.Context) error {
				c.Response().Header().Set("X-Debug", "made by "+ms[0].Name)
				return next(c)
			}
		},
		"cookie": func(next echo.HandlerFunc) echo.HandlerFunc {
			return func(c echo.Context) error {
				c.SetCookie(&http.Cookie{Name: "m", Value: ms[len(ms)-1].Slug})
				return next(c)
			}
		},
	} {
		leaky := newTestApp(t, "", true)
		leaky.srv.echo.Use(leak)
		if found := blindAudit(t, leaky, 2); len(found) == 0 {
			t.Errorf("a model named in a %s went unnoticed", name)
		}
	}
}

// TestBlind_SidesAreBalanced issues thousands of matchups and checks that
// every model lands on side A about half of the times it appears: within
// 4.5 standard deviations of a fair coin, which a fair coin misses about
// once in 150,000 runs per model.
func TestBlind_SidesAreBalanced(t *testing.T) {
	app := newTestApp(t, "", true)
	ctx := context.Background()
	ms, _ := app.store.ListModels(ctx)
	onA := map[uint]int{}
	seen := map[uint]int{}
	const n = 3000
	for i := range n {
		// Many voters, so no voter's history steers the pairs.
		m, err := app.store.IssueMatchup(ctx, fmt.Sprintf("voter%018d", i%200)[:22], models.MatchupFilter{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		onA[m.A.ModelID]++
		seen[m.A.ModelID]++
		seen[m.B.ModelID]++
	}
	if len(seen) != len(ms) {
		t.Fatalf("%d of %d models appeared in %d matchups", len(seen), len(ms), n)
	}
	for _, m := range ms {
		k, total := float64(onA[m.ID]), float64(seen[m.ID])
		if dev := math.Abs(k-total/2) / math.Sqrt(total/4); dev > 4.5 {
			t.Errorf("%s on side A %d times of %d (%.1f standard deviations off half)", m.Slug, onA[m.ID], seen[m.ID], dev)
		}
	}
}
