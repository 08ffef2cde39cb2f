package handlers

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strings"
	"time"

	"github.com/arena-video/arena/models/leaderboard"
)

// historyChart draws a model's score, with its 95% interval as a band, and
// its rank over time, one above the other on a shared time axis. Its
// viewBox is narrow so that its text stays readable when a phone shrinks
// it to 375 px.
type historyChart struct {
	ID     string // unique on the page, for the title's id
	Label  string // what the chart shows, for screen readers
	points []leaderboard.HistoryPoint
}

const (
	hcWidth      = 420
	hcLeft       = 44 // room for the score and rank labels
	hcRight      = 12
	hcScoreTop   = 28
	hcScoreH     = 170
	hcGap        = 56 // time labels and the rank title between the panels
	hcRankH      = 100
	hcBottom     = 18
	hcHeight     = hcScoreTop + hcScoreH + hcGap + hcRankH + hcBottom
	hcMaxXLabels = 4
)

func newHistoryChart(id, label string, ps []leaderboard.HistoryPoint) *historyChart {
	if len(ps) == 0 {
		return nil
	}
	return &historyChart{ID: id, Label: label, points: ps}
}

// SVG renders the chart.
func (h *historyChart) SVG() template.HTML {
	ps := h.points
	t0, t1 := ps[0].At, ps[len(ps)-1].At
	span := t1.Sub(t0)
	x := func(t time.Time) float64 {
		if span <= 0 {
			return float64(hcLeft+hcWidth-hcRight) / 2
		}
		return float64(hcLeft) + float64(t.Sub(t0))/float64(span)*float64(hcWidth-hcLeft-hcRight)
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	maxRank := 1
	for _, p := range ps {
		lo, hi = math.Min(lo, p.CILower), math.Max(hi, p.CIUpper)
		maxRank = max(maxRank, p.Rank)
	}
	step := niceStep(hi - lo)
	lo, hi = math.Floor(lo/step)*step, math.Ceil(hi/step)*step
	if hi <= lo {
		lo, hi = lo-step, hi+step
	}
	ys := func(v float64) float64 { return hcScoreTop + (hi-v)/(hi-lo)*hcScoreH }
	rankTop := float64(hcScoreTop + hcScoreH + hcGap)
	yr := func(r int) float64 {
		if maxRank == 1 {
			return rankTop + hcRankH/2
		}
		return rankTop + float64(r-1)/float64(maxRank-1)*hcRankH
	}

	var b strings.Builder
	fmt.Fprintf(&b, `<svg viewBox="0 0 %d %d" role="img" aria-labelledby="%s-title" class="history-chart">`, hcWidth, hcHeight, h.ID)
	fmt.Fprintf(&b, `<title id="%s-title">%s</title>`, h.ID, html.EscapeString(h.Label))
	// Score panel: grid, band, line.
	for v := lo; v <= hi+step/2; v += step {
		fmt.Fprintf(&b, `<line x1="%d" x2="%d" y1="%s" y2="%s" class="grid"/><text x="%d" dx="-4" y="%s" dy="4" text-anchor="end" class="tick">%.0f</text>`,
			hcLeft, hcWidth-hcRight, num(ys(v)), num(ys(v)), hcLeft, num(ys(v)), v)
	}
	fmt.Fprintf(&b, `<text x="%d" y="12" class="axis-label">Score and 95%% interval</text>`, hcLeft)
	var band, line strings.Builder
	for i, p := range ps {
		fmt.Fprintf(&band, "%s%s,%s ", map[bool]string{true: "M", false: "L"}[i == 0], num(x(p.At)), num(ys(p.CIUpper)))
		fmt.Fprintf(&line, "%s%s,%s ", map[bool]string{true: "M", false: "L"}[i == 0], num(x(p.At)), num(ys(p.Score)))
	}
	for i := len(ps) - 1; i >= 0; i-- {
		fmt.Fprintf(&band, "L%s,%s ", num(x(ps[i].At)), num(ys(ps[i].CILower)))
	}
	band.WriteString("Z")
	fmt.Fprintf(&b, `<path d="%s" class="band"/>`, band.String())
	fmt.Fprintf(&b, `<path d="%s" class="score-line"/>`, strings.TrimSpace(line.String()))
	last := ps[len(ps)-1]
	fmt.Fprintf(&b, `<circle cx="%s" cy="%s" r="3.5" class="dot"><title>%s: %.0f (%.0f to %.0f)</title></circle>`,
		num(x(last.At)), num(ys(last.Score)), last.At.Format("2 Jan 2006 15:04 MST"), last.Score, last.CILower, last.CIUpper)
	// Time labels between the panels.
	ticks := timeTicks(t0, t1, hcMaxXLabels)
	for i, t := range ticks {
		anchor := "middle" // the outer labels lean inwards, to stay in the box
		switch {
		case len(ticks) == 1:
		case i == 0:
			anchor = "start"
		case i == len(ticks)-1:
			anchor = "end"
		}
		fmt.Fprintf(&b, `<text x="%s" y="%d" text-anchor="%s" class="tick">%s</text>`,
			num(x(t)), hcScoreTop+hcScoreH+16, anchor, html.EscapeString(t.Format(tickLayout(span))))
	}
	// Rank panel: No. 1 at the top.
	fmt.Fprintf(&b, `<text x="%d" y="%s" class="axis-label">Rank</text>`, hcLeft, num(rankTop-12))
	for _, r := range rankTicks(maxRank) {
		fmt.Fprintf(&b, `<line x1="%d" x2="%d" y1="%s" y2="%s" class="grid"/><text x="%d" dx="-4" y="%s" dy="4" text-anchor="end" class="tick">%d</text>`,
			hcLeft, hcWidth-hcRight, num(yr(r)), num(yr(r)), hcLeft, num(yr(r)), r)
	}
	var steps strings.Builder
	for i, p := range ps {
		if i == 0 {
			fmt.Fprintf(&steps, "M%s,%s", num(x(p.At)), num(yr(p.Rank)))
			continue
		}
		fmt.Fprintf(&steps, " H%s V%s", num(x(p.At)), num(yr(p.Rank)))
	}
	fmt.Fprintf(&b, `<path d="%s" class="rank-line"/>`, steps.String())
	fmt.Fprintf(&b, `<circle cx="%s" cy="%s" r="3.5" class="dot"><title>No. %d on %s</title></circle>`,
		num(x(last.At)), num(yr(last.Rank)), last.Rank, last.At.Format("2 Jan 2006 15:04 MST"))
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // #nosec: built from escaped text and numbers
}

// timeTicks picks up to n evenly spread times from t0 to t1.
func timeTicks(t0, t1 time.Time, n int) []time.Time {
	if !t1.After(t0) {
		return []time.Time{t0}
	}
	out := make([]time.Time, 0, n)
	for i := range n {
		out = append(out, t0.Add(time.Duration(float64(t1.Sub(t0))*float64(i)/float64(n-1))))
	}
	return out
}

func tickLayout(span time.Duration) string {
	if span < 48*time.Hour {
		return "2 Jan 15:04"
	}
	return "2 Jan"
}

// rankTicks labels rank 1, the worst rank, and one between when there is room.
func rankTicks(worst int) []int {
	switch {
	case worst <= 1:
		return []int{1}
	case worst <= 3:
		out := make([]int, 0, worst)
		for r := 1; r <= worst; r++ {
			out = append(out, r)
		}
		return out
	}
	return []int{1, (1 + worst) / 2, worst}
}
