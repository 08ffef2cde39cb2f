package handlers

import (
	"strconv"
	"testing"

	"github.com/arena-video/arena/models/leaderboard"
)

func TestBoardPageCache(t *testing.T) {
	lb1, lb2 := &leaderboard.Leaderboard{}, &leaderboard.Leaderboard{}
	at := func(lb *leaderboard.Leaderboard, catalog uint64, cats string) boardStamp {
		return boardStamp{board: lb, catalog: catalog, categories: cats}
	}
	c := newBoardPageCache()
	c.put("pool=t2v", at(lb1, 1, "nature"), []byte("page one"))
	cases := []struct {
		name  string
		query string
		stamp boardStamp
		hit   bool
	}{
		{"same query and stamp", "pool=t2v", at(lb1, 1, "nature"), true},
		{"another query", "pool=i2v", at(lb1, 1, "nature"), false},
		{"newer snapshot", "pool=t2v", at(lb2, 1, "nature"), false},
		{"reloaded catalog", "pool=t2v", at(lb1, 2, "nature"), false},
		{"new category", "pool=t2v", at(lb1, 1, "nature\x00people"), false},
	}
	for _, tc := range cases {
		if _, hit := c.get(tc.query, tc.stamp); hit != tc.hit {
			t.Errorf("%s: hit = %v, want %v", tc.name, hit, tc.hit)
		}
	}

	// Pages for endless min_votes values stay within the byte bound.
	page := make([]byte, 1<<20)
	for i := range 3 * maxCachedBoardBytes / len(page) {
		q := "min_votes=" + strconv.Itoa(i)
		c.put(q, at(lb1, 1, ""), page)
		if c.bytes > maxCachedBoardBytes {
			t.Fatalf("after %d pages the cache holds %d bytes, over %d", i+1, c.bytes, maxCachedBoardBytes)
		}
		if _, hit := c.get(q, at(lb1, 1, "")); !hit {
			t.Fatalf("page %d is gone right after it was kept", i)
		}
	}
	// Replacing a page counts its size once.
	c.put("min_votes=0", at(lb2, 1, ""), page)
	before := c.bytes
	c.put("min_votes=0", at(lb2, 2, ""), page[:len(page)/2])
	if want := before - len(page)/2; c.bytes != want {
		t.Fatalf("replacing a 1 MB page with half of it left %d bytes counted, want %d", c.bytes, want)
	}
}
