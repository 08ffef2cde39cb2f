package handlers

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/arena-video/arena/models"
	"github.com/arena-video/arena/models/history"
)

// feedSize is how many of the newest events the feed and the API list.
const feedSize = 100

// eventJSON is one rank change in GET /api/v1/events; the Atom feed says the
// same in its entries.
type eventJSON struct {
	ID          string    `json:"id"` // the Atom entry id: stable, never reused
	Kind        string    `json:"kind"`
	Pool        string    `json:"pool,omitempty"` // empty for a retirement: every pool's
	Model       modelRef  `json:"model"`
	Rank        int       `json:"rank,omitempty"`
	PrevRank    int       `json:"previous_rank,omitempty"`
	At          time.Time `json:"at"`
	SnapshotID  uint      `json:"snapshot_id,omitempty"`
	Title       string    `json:"title"`
	ModelURL    string    `json:"model_url"`
	SnapshotURL string    `json:"snapshot_url,omitempty"`
}

// modelRef names a model in another object.
type modelRef struct {
	Slug string `json:"slug"`
	Name string `json:"name"`
}

// feedPool reads the optional pool filter of the feed and the events API.
func feedPool(c echo.Context) (string, error) {
	pool := c.QueryParam("pool")
	if pool != "" && !models.ValidPool(pool) {
		return "", badRequest("unknown pool %q: use one of %s, or none for every pool", models.Truncate(pool, 40), strings.Join(models.Pools, ", "))
	}
	return pool, nil
}

// events loads the newest events of the pool the request names (every
// pool when none) and words them, for the feed and the events API.
func (s *Server) events(c echo.Context) (pool string, out []eventJSON, err error) {
	if pool, err = feedPool(c); err != nil {
		return "", nil, err
	}
	ctx := c.Request().Context()
	evs, err := s.store.RankEvents(ctx, pool, feedSize)
	if err != nil {
		return "", nil, err
	}
	ms, err := s.store.CatalogModels(ctx)
	if err != nil {
		return "", nil, err
	}
	base := s.baseURL(c)
	out = make([]eventJSON, 0, len(evs))
	for _, ev := range evs {
		m := ms[ev.ModelID]
		e := eventJSON{
			ID: entryID(ev.EventKey), Kind: ev.Kind, Pool: ev.Pool, Model: modelRef{Slug: m.Slug, Name: m.Name},
			Rank: ev.Rank, PrevRank: ev.PrevRank, At: ev.At.UTC(), SnapshotID: ev.SnapshotID,
			Title: eventTitle(ev, m.Name), ModelURL: base + "/models/" + m.Slug,
		}
		if ev.SnapshotID != 0 {
			e.SnapshotURL = base + snapshotPath(ev.Pool, ev.SnapshotID)
		}
		out = append(out, e)
	}
	return pool, out, nil
}

// eventTitle says what happened, in the words of a headline.
func eventTitle(ev models.RankEvent, name string) string {
	in := poolLabels[ev.Pool]
	switch history.Kind(ev.Kind) {
	case history.Entered:
		return fmt.Sprintf("%s entered %s at No. %d", name, in, ev.Rank)
	case history.Up:
		return fmt.Sprintf("%s climbed to No. %d in %s (was No. %d)", name, ev.Rank, in, ev.PrevRank)
	case history.Down:
		return fmt.Sprintf("%s fell to No. %d in %s (was No. %d)", name, ev.Rank, in, ev.PrevRank)
	case history.Retired:
		return fmt.Sprintf("%s was retired", name)
	}
	return name + ": " + ev.Kind
}

// entryID turns an event's key into a URN: the same event always gets the
// same id, whatever address the feed is fetched at.
func entryID(key string) string { return uuidURN("arena:event:" + key) }

// uuidURN makes a name-based UUID (version 5 layout over SHA-256) URN.
func uuidURN(name string) string {
	sum := sha256.Sum256([]byte(name))
	b := sum[:16]
	b[6] = b[6]&0x0f | 0x50
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b)
	return "urn:uuid:" + h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// handleEventsJSON lists the newest rank changes, newest first.
func (s *Server) handleEventsJSON(c echo.Context) error {
	_, evs, err := s.events(c)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "public, max-age=60")
	return c.JSON(http.StatusOK, map[string]any{"events": evs})
}

// Atom 1.0 (RFC 4287) elements the feed uses.
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Author  atomPerson  `xml:"author"`
	Links   []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomEntry struct {
	Title   string     `xml:"title"`
	ID      string     `xml:"id"`
	Updated string     `xml:"updated"`
	Links   []atomLink `xml:"link"`
	Summary string     `xml:"summary"`
}

// handleFeed serves the rank changes as an Atom feed, newest first.
func (s *Server) handleFeed(c echo.Context) error {
	pool, evs, err := s.events(c)
	if err != nil {
		return err
	}
	base := s.baseURL(c)
	title, self, alt := "Arena: rank changes", base+"/leaderboard.atom", base+"/leaderboard"
	if pool != "" {
		title += " in " + poolLabels[pool]
		self += "?pool=" + pool
		alt += "?pool=" + pool
	}
	f := atomFeed{
		Title: title, ID: uuidURN("arena:feed:" + pool), Author: atomPerson{Name: "Arena"},
		Links: []atomLink{{Rel: "self", Type: "application/atom+xml", Href: self}, {Rel: "alternate", Type: "text/html", Href: alt}},
	}
	// updated is the newest entry's time, so an unchanged feed is byte for
	// byte the same; a feed without entries dates from the Unix epoch.
	f.Updated = time.Unix(0, 0).UTC().Format(time.RFC3339)
	if len(evs) > 0 {
		f.Updated = evs[0].At.Format(time.RFC3339)
	}
	for _, e := range evs {
		en := atomEntry{Title: e.Title, ID: e.ID, Updated: e.At.Format(time.RFC3339), Links: []atomLink{{Rel: "alternate", Type: "text/html", Href: e.ModelURL}}}
		en.Summary = e.Title + "."
		if e.SnapshotURL != "" {
			en.Links = append(en.Links, atomLink{Rel: "related", Type: "text/html", Href: e.SnapshotURL})
			en.Summary += fmt.Sprintf(" The board: snapshot %d, %s.", e.SnapshotID, e.SnapshotURL)
		}
		f.Entries = append(f.Entries, en)
	}
	body, err := xml.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "public, max-age=60")
	return c.Blob(http.StatusOK, "application/atom+xml; charset=utf-8", append([]byte(xml.Header), body...))
}
