package handlers

import (
	"strings"
	"testing"

	"github.com/arena-video/arena/models/leaderboard"
)

func TestCharts_EscapeModelNames(t *testing.T) {
	evil := `<script>alert("x")</script>&`
	rows := []PublicStanding{
		{ModelID: 1, Model: PublicModel{Name: evil}, Score: 1050, CILower: 1030, CIUpper: 1070, Rank: 1},
		{ModelID: 2, Model: PublicModel{Name: "plain"}, Score: 950, CILower: 930, CIUpper: 970, Rank: 2},
	}
	half := 0.5
	lb := &leaderboard.Leaderboard{
		Standings: []leaderboard.Standing{{ModelID: 1}, {ModelID: 2}},
		WinRate:   [][]*float64{{nil, &half}, {&half, nil}},
		Battles:   [][]int64{{0, 10}, {10, 0}},
	}
	for name, svg := range map[string]string{
		"score chart": string(newScoreChart(rows).SVG()),
		"heatmap":     string(newHeatmap(lb, rows).SVG()),
	} {
		if strings.Contains(svg, "<script") || strings.Contains(svg, `"x"`) || !strings.Contains(svg, "&lt;script&gt;") {
			t.Errorf("%s does not escape a model name: %s", name, svg)
		}
		if strings.Contains(svg, "style=") || !strings.HasPrefix(svg, "<svg") || !strings.HasSuffix(svg, "</svg>") {
			t.Errorf("%s is not a style-free SVG element", name)
		}
	}
}
