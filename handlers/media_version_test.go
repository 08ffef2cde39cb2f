package handlers

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
)

// A re-rendered clip keeps its public id but gets a new URL. The old
// rendition's URL was cached as immutable, so serving new bytes behind it
// would leave browsers and CDNs playing the old rendition for a year.
func TestMedia_ReRenderedClipGetsANewURL(t *testing.T) {
	needFFmpeg(t)
	a := newAdminApp(t, adminOptions{})
	_, _, p := a.seedCatalog()
	mp4 := readTestdata(t, "clip.mp4")
	a.uploadReady("alpha", p.ID, withFreeBox(mp4, 1, 8))
	a.uploadReady("beta", p.ID, withFreeBox(mp4, 2, 8))
	v := a.newVoter()
	old := v.matchup().A
	id := publicIDOf(old.VideoURL)
	oldClip := v.get(old.VideoURL)
	if oldClip.status != http.StatusOK || !strings.Contains(oldClip.header.Get("Cache-Control"), "immutable") {
		t.Fatalf("GET %s = %d, Cache-Control %q: want 200, immutable", old.VideoURL, oldClip.status, oldClip.header.Get("Cache-Control"))
	}

	// The operator changes the profile and re-renders, as `arena media
	// reprocess` does.
	small := testProfile()
	small.Kbps = 300
	a.profile.Store(&small)
	ids, err := a.store.ReprocessClips(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	a.waitJobs(ids)

	var cur clipJSON
	for range 20 {
		m := v.matchup()
		for _, c := range []clipJSON{m.A, m.B} {
			if publicIDOf(c.VideoURL) == id {
				cur = c
			}
		}
		if cur.VideoURL != "" {
			break
		}
	}
	if cur.VideoURL == "" {
		t.Fatalf("clip %s is in no matchup after its re-render", id)
	}
	// The poster may stay the same (a new bitrate leaves the middle frame
	// alone); the clip may not.
	if cur.VideoURL == old.VideoURL || !strings.Contains(cur.PosterURL, "?v=") {
		t.Fatalf("after the re-render the clip is at %s (poster %s), before at %s: want a new versioned URL",
			cur.VideoURL, cur.PosterURL, old.VideoURL)
	}
	fresh := v.get(cur.VideoURL)
	if fresh.status != http.StatusOK || bytes.Equal(fresh.body, oldClip.body) {
		t.Fatalf("GET %s = %d with the old bytes %t, want the new rendition", cur.VideoURL, fresh.status, bytes.Equal(fresh.body, oldClip.body))
	}
	if cc := fresh.header.Get("Cache-Control"); !strings.Contains(cc, "immutable") {
		t.Errorf("new rendition Cache-Control %q, want immutable", cc)
	}
	if fresh.header.Get("ETag") == oldClip.header.Get("ETag") {
		t.Errorf("the new rendition has the old ETag %s", fresh.header.Get("ETag"))
	}

	// What is not the current version (the old URL, or the id alone, as
	// the admin page links it) serves the current bytes and must be
	// revalidated, so nothing keeps the old rendition.
	for _, u := range []string{old.VideoURL, "/media/" + id, "/media/" + id + "/poster"} {
		r := v.get(u)
		if r.status != http.StatusOK {
			t.Fatalf("GET %s = %d", u, r.status)
		}
		if cc := r.header.Get("Cache-Control"); strings.Contains(cc, "immutable") || !strings.Contains(cc, "no-cache") {
			t.Errorf("GET %s: Cache-Control %q, want no-cache", u, cc)
		}
		if strings.HasPrefix(u, old.VideoURL) && !bytes.Equal(r.body, fresh.body) {
			t.Errorf("GET %s serves other bytes than the current rendition", u)
		}
		if r := v.get(u, "If-None-Match", oldClip.header.Get("ETag")); r.status == http.StatusNotModified {
			t.Errorf("GET %s with the old rendition's ETag = 304, want the new bytes", u)
		}
	}
}
