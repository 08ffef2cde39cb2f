package gencache

import "testing"

func TestCache_KeepsTwoGenerationsAndMovesOldHitsBack(t *testing.T) {
	c := New[int, string](2)
	c.Put(1, "a")
	c.Put(2, "b")
	c.Put(3, "c") // {1,2} become old
	if v, ok := c.Get(1); !ok || v != "a" {
		t.Fatalf("Get(1) = %q, %v; want the old generation's a", v, ok)
	}
	// 1 moved back: cur = {3,1}. The next insertion retires {3,1} and
	// drops {2}.
	c.Put(4, "d")
	if _, ok := c.Peek(2); ok {
		t.Fatal("2 outlived two generations")
	}
	for _, k := range []int{1, 3, 4} {
		if _, ok := c.Peek(k); !ok {
			t.Errorf("%d was dropped too early", k)
		}
	}
	made := 0
	add := func() string { made++; return "new" }
	if v := c.GetOrAdd(4, add); v != "d" || made != 0 {
		t.Fatalf("GetOrAdd of a cached key = %q, made %d", v, made)
	}
	if v := c.GetOrAdd(9, add); v != "new" || made != 1 {
		t.Fatalf("GetOrAdd of a new key = %q, made %d", v, made)
	}
	if v, ok := c.Peek(9); !ok || v != "new" {
		t.Fatal("GetOrAdd did not store what it made")
	}
}
