package rating

import (
	"bufio"
	"encoding/json"
	"math"
	"os"
	"testing"
	"time"
)

// TestPeerComparison fits votes in the public battle format and compares
// the scores and intervals with those of peer/peer_bt.py (the method public
// arenas publish, in Python) on the same file. It runs only when ARENA_PEER_VOTES names the votes (JSON lines) and
// ARENA_PEER_JSON the peer's output; see BENCH.md.
func TestPeerComparison(t *testing.T) {
	votesPath, peerPath := os.Getenv("ARENA_PEER_VOTES"), os.Getenv("ARENA_PEER_JSON")
	if votesPath == "" || peerPath == "" {
		t.Skip("set ARENA_PEER_VOTES and ARENA_PEER_JSON to compare with the peer")
	}
	start := time.Now()
	f, err := os.Open(votesPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	type battle struct{ ModelA, ModelB, Winner string }
	var battles []battle
	index := map[string]int{}
	var names []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var b struct {
			A string `json:"model_a"`
			B string `json:"model_b"`
			W string `json:"winner"`
		}
		if err := json.Unmarshal(sc.Bytes(), &b); err != nil {
			t.Fatal(err)
		}
		for _, m := range []string{b.A, b.B} {
			if _, ok := index[m]; !ok {
				index[m] = len(names)
				names = append(names, m)
			}
		}
		battles = append(battles, battle{b.A, b.B, b.W})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	outcome := map[string]Outcome{"model_a": OutcomeA, "model_b": OutcomeB, "tie": OutcomeTie, "tie (bothbad)": OutcomeBothBad}
	c := NewCounts(len(names))
	for _, b := range battles {
		if err := c.Add(index[b.ModelA], index[b.ModelB], outcome[b.Winner], 1); err != nil {
			t.Fatal(err)
		}
	}
	load := time.Since(start)

	start = time.Now()
	r, err := Compute(c, DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	ours := time.Since(start)

	raw, err := os.ReadFile(peerPath)
	if err != nil {
		t.Fatal(err)
	}
	var peer struct {
		Scores  map[string]float64
		CI      map[string][2]float64
		Seconds struct{ Load, Fit, Bootstrap, Rounds float64 }
	}
	if err := json.Unmarshal(raw, &peer); err != nil {
		t.Fatal(err)
	}
	var maxScore, maxBound float64
	for name, i := range index {
		m := r.Models[i]
		maxScore = max(maxScore, math.Abs(m.Score-peer.Scores[name]))
		if ci, ok := peer.CI[name]; ok {
			maxBound = max(maxBound, math.Abs(m.Lower-ci[0]), math.Abs(m.Upper-ci[1]))
		}
	}
	peerSecs := peer.Seconds.Fit
	if peer.Seconds.Rounds > 0 {
		peerSecs += peer.Seconds.Bootstrap * float64(r.Rounds) / peer.Seconds.Rounds
	}
	t.Logf("%d votes, %d models; our load %.2fs (not timed against the peer)", c.Total(), len(names), load.Seconds())
	t.Logf("ours: fit + %d rounds %.3fs; peer: fit %.2fs + %.0f rounds %.2fs, scaled to %d rounds %.2fs; ratio %.1fx",
		r.Rounds, ours.Seconds(), peer.Seconds.Fit, peer.Seconds.Rounds, peer.Seconds.Bootstrap, r.Rounds, peerSecs, peerSecs/ours.Seconds())
	t.Logf("max |score difference| %.4f points; max |interval bound difference| %.2f points (different resamples)", maxScore, maxBound)
	if maxScore > 0.5 {
		t.Errorf("scores differ from the peer's by up to %.3f points", maxScore)
	}
}
