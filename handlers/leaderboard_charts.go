package handlers

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strconv"
	"strings"

	"github.com/arena-video/arena/models"
	"github.com/arena-video/arena/models/leaderboard"
)

// The charts are SVG drawn by the template from geometry computed here: no
// chart library, no script, and no style attributes (the CSP forbids them),
// only SVG presentation attributes and classes. A viewBox lets them scale to
// any screen.

// scoreChart is a dot for each model's score with a bar for its interval.
type scoreChart struct {
	Width, Height int
	PlotLeft      int
	PlotRight     int
	Rows          []scoreChartRow
	Ticks         []chartTick
}

type scoreChartRow struct {
	Label        string
	Y            int
	X, Lo, Hi    float64
	Score, Minus float64
	Plus         float64
}

type chartTick struct {
	X     float64
	Label string
}

const (
	chartRowHeight = 24
	chartLabelW    = 190
	chartWidth     = 720
	chartTop       = 8
	chartAxis      = 28
)

// newScoreChart lays out the rows in the order given.
func newScoreChart(rows []PublicStanding) *scoreChart {
	if len(rows) == 0 {
		return nil
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, r := range rows {
		lo, hi = math.Min(lo, r.CILower), math.Max(hi, r.CIUpper)
	}
	step := niceStep(hi - lo)
	lo, hi = math.Floor(lo/step)*step, math.Ceil(hi/step)*step
	if hi <= lo {
		lo, hi = lo-step, hi+step
	}
	ch := &scoreChart{Width: chartWidth, PlotLeft: chartLabelW, PlotRight: chartWidth - 16}
	ch.Height = chartTop + len(rows)*chartRowHeight + chartAxis
	x := func(v float64) float64 {
		return math.Round((float64(ch.PlotLeft)+(v-lo)/(hi-lo)*float64(ch.PlotRight-ch.PlotLeft))*10) / 10
	}
	for i, r := range rows {
		ch.Rows = append(ch.Rows, scoreChartRow{
			Label: models.Truncate(r.Model.Name, 26), Y: chartTop + i*chartRowHeight + chartRowHeight/2,
			X: x(r.Score), Lo: x(r.CILower), Hi: x(r.CIUpper),
			Score: r.Score, Minus: r.Score - r.CILower, Plus: r.CIUpper - r.Score,
		})
	}
	for v := lo; v <= hi+step/2; v += step {
		ch.Ticks = append(ch.Ticks, chartTick{X: x(v), Label: fmt.Sprintf("%.0f", v)})
	}
	return ch
}

// niceStep picks a tick spacing of 1, 2 or 5 times a power of ten giving
// about five ticks.
func niceStep(span float64) float64 {
	if span <= 0 {
		return 10
	}
	raw := span / 5
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= raw {
			return m * p
		}
	}
	return 10 * p
}

// heatmap shows how often the row model beat the column model.
type heatmap struct {
	Size   int
	Width  int
	Cell   int
	Offset int
	Labels []heatLabel
	Cells  []heatCell
}

type heatLabel struct {
	Text string
	Pos  int // centre of the row and column
}

type heatCell struct {
	X, Y   int
	Fill   string
	Text   string
	Title  string
	Dark   bool
	Absent bool
}

const (
	heatCellSize = 40
	heatOffset   = 150
	heatMaxSize  = 30 // models; beyond this the heatmap gets unreadable
)

// newHeatmap lays out the observed win rates between the rows' models.
func newHeatmap(lb *leaderboard.Leaderboard, rows []PublicStanding) *heatmap {
	if lb == nil || len(rows) < 2 || lb.WinRate == nil {
		return nil // past boards keep no pairwise data
	}
	if len(rows) > heatMaxSize {
		rows = rows[:heatMaxSize]
	}
	index := make(map[uint]int, len(lb.Standings))
	for i, st := range lb.Standings {
		index[st.ModelID] = i
	}
	h := &heatmap{Cell: heatCellSize, Offset: heatOffset, Size: heatOffset + len(rows)*heatCellSize + 4}
	h.Width = h.Size + 70 // room for the last column label, which leans right
	for i, r := range rows {
		h.Labels = append(h.Labels, heatLabel{Text: models.Truncate(r.Model.Name, 16), Pos: heatOffset + i*heatCellSize + heatCellSize/2})
	}
	for i, r := range rows {
		for j, c := range rows {
			cell := heatCell{X: heatOffset + j*heatCellSize, Y: heatOffset + i*heatCellSize}
			a, okA := index[r.ModelID]
			b, okB := index[c.ModelID]
			var wr *float64
			if okA && okB && a < len(lb.WinRate) && b < len(lb.WinRate[a]) {
				wr = lb.WinRate[a][b]
			}
			if i == j || wr == nil {
				cell.Absent, cell.Fill = true, "none"
				if i != j {
					cell.Title = r.Model.Name + " and " + c.Model.Name + " have not met"
				}
			} else {
				cell.Fill, cell.Dark = winColour(*wr)
				cell.Text = fmt.Sprintf("%.0f", 100**wr)
				cell.Title = fmt.Sprintf("%s beat %s in %.0f%% of %d votes", r.Model.Name, c.Model.Name, 100**wr, lb.Battles[a][b])
			}
			h.Cells = append(h.Cells, cell)
		}
	}
	return h
}

// winColour runs from red (always lost) through grey (even) to blue (always
// won); dark says the text on it should be light.
func winColour(p float64) (fill string, dark bool) {
	p = math.Max(0, math.Min(1, p))
	mix := func(a, b float64, t float64) int { return int(math.Round(a + (b-a)*t)) }
	var r, g, b int
	if p < 0.5 {
		t := p / 0.5
		r, g, b = mix(200, 225, t), mix(40, 225, t), mix(40, 225, t)
	} else {
		t := (p - 0.5) / 0.5
		r, g, b = mix(225, 30, t), mix(225, 80, t), mix(225, 200, t)
	}
	return fmt.Sprintf("#%02x%02x%02x", r, g, b), math.Abs(p-0.5) > 0.3
}

// The SVGs are written here rather than in the template: html/template's
// reflective escaping of a thousand heatmap cells took most of a page's
// time. Every piece of text goes through html.EscapeString; everything else
// is a number or a constant.

func num(x float64) string { return strconv.FormatFloat(x, 'f', -1, 64) }

// SVG renders the score chart.
func (ch *scoreChart) SVG() template.HTML {
	var b strings.Builder
	fmt.Fprintf(&b, `<svg viewBox="0 0 %d %d" role="img" aria-labelledby="score-chart-title" class="score-chart">`, ch.Width, ch.Height)
	b.WriteString(`<title id="score-chart-title">Each model's score (dot) and 95% interval (bar)</title>`)
	for _, t := range ch.Ticks {
		fmt.Fprintf(&b, `<line x1="%s" x2="%s" y1="0" y2="%d" class="grid"/><text x="%s" y="%d" dy="-6" text-anchor="middle" class="tick">%s</text>`,
			num(t.X), num(t.X), ch.Height, num(t.X), ch.Height, html.EscapeString(t.Label))
	}
	for _, r := range ch.Rows {
		label := html.EscapeString(r.Label)
		fmt.Fprintf(&b, `<g><title>%s: %.0f (−%.0f / +%.0f)</title>`, label, r.Score, r.Minus, r.Plus)
		fmt.Fprintf(&b, `<text x="%d" dx="-8" y="%d" dy="4" text-anchor="end" class="label">%s</text>`, ch.PlotLeft, r.Y, label)
		fmt.Fprintf(&b, `<line x1="%s" x2="%s" y1="%d" y2="%d" class="interval" stroke-width="3"/>`, num(r.Lo), num(r.Hi), r.Y, r.Y)
		fmt.Fprintf(&b, `<circle cx="%s" cy="%d" r="5" class="dot"/></g>`, num(r.X), r.Y)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // #nosec: built from escaped text and numbers
}

// SVG renders the heatmap.
func (h *heatmap) SVG() template.HTML {
	var b strings.Builder
	fmt.Fprintf(&b, `<svg viewBox="0 0 %d %d" width="%d" role="img" aria-labelledby="heatmap-title" class="heatmap">`, h.Width, h.Size, h.Width)
	b.WriteString(`<title id="heatmap-title">Share of votes the row model won against the column model, in percent</title>`)
	for _, l := range h.Labels {
		text := html.EscapeString(l.Text)
		fmt.Fprintf(&b, `<text x="%d" dx="-6" y="%d" dy="4" text-anchor="end" class="label">%s</text>`, h.Offset, l.Pos, text)
		fmt.Fprintf(&b, `<text x="%d" y="%d" dy="-6" transform="rotate(-45 %d %d)" class="label">%s</text>`, l.Pos, h.Offset, l.Pos, h.Offset, text)
	}
	for _, c := range h.Cells {
		b.WriteString(`<g>`)
		if c.Title != "" {
			fmt.Fprintf(&b, `<title>%s</title>`, html.EscapeString(c.Title))
		}
		class := "cell"
		if c.Absent {
			class = "cell absent"
		}
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="%s" class="%s"/>`, c.X, c.Y, h.Cell, h.Cell, html.EscapeString(c.Fill), class)
		if c.Text != "" {
			tc := "value"
			if c.Dark {
				tc = "value light"
			}
			fmt.Fprintf(&b, `<text x="%d" y="%d" dx="%d" dy="%d" text-anchor="middle" class="%s">%s</text>`, c.X, c.Y, h.Cell/2, h.Cell/2+5, tc, html.EscapeString(c.Text))
		}
		b.WriteString(`</g>`)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // #nosec: built from escaped text and numbers
}
