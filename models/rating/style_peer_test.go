package rating

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"strconv"
	"testing"
	"time"
)

// styleJSON is a vote in the export format with the features of both clips.
type styleJSON struct {
	ModelA string `json:"model_a"`
	ModelB string `json:"model_b"`
	Winner string `json:"winner"`
	Style  struct {
		A map[string]float64 `json:"a"`
		B map[string]float64 `json:"b"`
	} `json:"style"`
}

var winnerNames = map[Outcome]string{OutcomeA: "model_a", OutcomeB: "model_b", OutcomeTie: "tie", OutcomeBothBad: "tie (bothbad)"}

// TestWriteStyleVotes writes the style benchmark's votes (ARENA_STYLE_PROMPTS
// prompts, default 10) to ARENA_STYLE_VOTES_OUT for the peer; see BENCH.md.
func TestWriteStyleVotes(t *testing.T) {
	path := os.Getenv("ARENA_STYLE_VOTES_OUT")
	if path == "" {
		t.Skip("set ARENA_STYLE_VOTES_OUT to write the style benchmark's votes")
	}
	prompts := 10
	if p := os.Getenv("ARENA_STYLE_PROMPTS"); p != "" {
		var err error
		if prompts, err = strconv.Atoi(p); err != nil {
			t.Fatal(err)
		}
	}
	spec := styleBenchSpec(prompts)
	spec.keep = true
	w := newStyleWorld(spec)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	bw := bufio.NewWriter(f)
	features := VideoStyleFeatures()
	for _, v := range w.votes {
		var s styleJSON
		s.ModelA, s.ModelB, s.Winner = fmt.Sprintf("m%03d", v.a), fmt.Sprintf("m%03d", v.b), winnerNames[v.o]
		s.Style.A, s.Style.B = map[string]float64{}, map[string]float64{}
		for k, feat := range features {
			s.Style.A[feat.Name], s.Style.B[feat.Name] = v.fa[k], v.fb[k]
		}
		line, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		bw.Write(append(line, '\n'))
	}
	if err := bw.Flush(); err != nil {
		t.Fatal(err)
	}
}

// TestStylePeerComparison fits the votes in ARENA_STYLE_PEER_VOTES and
// compares scores, coefficients and time with the output of
// peer/style_peer.py on the same file (ARENA_STYLE_PEER_JSON).
func TestStylePeerComparison(t *testing.T) {
	votesPath, peerPath := os.Getenv("ARENA_STYLE_PEER_VOTES"), os.Getenv("ARENA_STYLE_PEER_JSON")
	if votesPath == "" || peerPath == "" {
		t.Skip("set ARENA_STYLE_PEER_VOTES and ARENA_STYLE_PEER_JSON to compare with the peer")
	}
	f, err := os.Open(votesPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	type vote struct {
		a, b   int
		fa, fb []float64
		o      Outcome
	}
	var votes []vote
	index := map[string]int{}
	var names []string
	outcome := map[string]Outcome{"model_a": OutcomeA, "model_b": OutcomeB, "tie": OutcomeTie, "tie (bothbad)": OutcomeBothBad}
	features := VideoStyleFeatures()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var s styleJSON
		if err := json.Unmarshal(sc.Bytes(), &s); err != nil {
			t.Fatal(err)
		}
		v := vote{o: outcome[s.Winner]}
		for _, m := range []string{s.ModelA, s.ModelB} {
			if _, ok := index[m]; !ok {
				index[m] = len(names)
				names = append(names, m)
			}
		}
		v.a, v.b = index[s.ModelA], index[s.ModelB]
		for _, feat := range features {
			v.fa, v.fb = append(v.fa, s.Style.A[feat.Name]), append(v.fb, s.Style.B[feat.Name])
		}
		votes = append(votes, v)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	c, err := NewStyleCounts(len(names), features)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range votes {
		if err := c.Add(v.a, v.b, v.fa, v.fb, v.o, 1); err != nil {
			t.Fatal(err)
		}
	}
	aggregate := time.Since(start)
	start = time.Now()
	r, err := ComputeStyle(c, DefaultOptions())
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
		Gamma   map[string]float64
		CI      map[string][2]float64
		Seconds struct{ Load, Fit, Bootstrap, Rounds float64 }
	}
	if err := json.Unmarshal(raw, &peer); err != nil {
		t.Fatal(err)
	}
	var maxScore, maxGamma, maxBound float64
	for name, i := range index {
		m := r.Models[i]
		maxScore = max(maxScore, math.Abs(m.Score-peer.Scores[name]))
		if ci, ok := peer.CI[name]; ok {
			maxBound = max(maxBound, math.Abs(m.Lower-ci[0]), math.Abs(m.Upper-ci[1]))
		}
	}
	for _, co := range r.Coefficients {
		maxGamma = max(maxGamma, math.Abs(co.Value-peer.Gamma[co.Name]))
	}
	peerSecs := peer.Seconds.Fit
	if peer.Seconds.Rounds > 0 {
		peerSecs += peer.Seconds.Bootstrap * float64(r.Rounds) / peer.Seconds.Rounds
	}
	t.Logf("%d votes, %d models, %d cells; aggregating them %.2fs (not timed against the peer)", c.Total(), len(names), r.Cells, aggregate.Seconds())
	t.Logf("ours: fit + %d rounds %.3fs; peer: fit %.2fs + %.0f rounds %.2fs, scaled to %d rounds %.1fs; ratio %.0fx",
		r.Rounds, ours.Seconds(), peer.Seconds.Fit, peer.Seconds.Rounds, peer.Seconds.Bootstrap, r.Rounds, peerSecs, peerSecs/ours.Seconds())
	t.Logf("max |score difference| %.4f points; max |γ difference| %.5f; max |interval bound difference| %.2f points (different resamples)", maxScore, maxGamma, maxBound)
	if maxScore > 0.5 || maxGamma > 0.005 {
		t.Errorf("the fit differs from the peer's: scores by up to %.3f points, γ by up to %.4f", maxScore, maxGamma)
	}
}
