package models

import (
	"strings"
	"testing"
)

func TestParseBattleLine_Style(t *testing.T) {
	const head = `{"model_a":"x","model_b":"y","winner":"model_a"`
	side := func(fields string) string {
		return `{"duration_s":4.5,"motion":12,"brightness":100.5,"saturation":60` + fields + `}`
	}
	good := side(`,"has_audio":1`)
	for _, tc := range []struct {
		name, style string
		want        *BattleStyle
		err         string
	}{
		{"absent", ``, nil, ""},
		{"null", `,"style":null`, nil, ""},
		{"both sides", `,"style":{"a":` + good + `,"b":{"duration_s":0,"motion":0,"brightness":0,"saturation":0,"has_audio":0}}`,
			&BattleStyle{A: StyleFeatures{4.5, 12, 100.5, 60, 1}}, ""},
		{"not an object", `,"style":[1,2]`, nil, "style must be an object"},
		{"side missing", `,"style":{"a":` + good + `}`, nil, "style.b is missing"},
		{"extra side", `,"style":{"a":` + good + `,"b":` + good + `,"c":{}}`, nil, `"c"`},
		{"feature missing", `,"style":{"a":` + good + `,"b":` + side(``) + `}`, nil, "style.b.has_audio is missing"},
		{"unknown feature", `,"style":{"a":` + side(`,"has_audio":0,"loudness":3`) + `,"b":` + good + `}`, nil, `unknown feature "loudness"`},
		{"string value", `,"style":{"a":` + side(`,"has_audio":"1"`) + `,"b":` + good + `}`, nil, "style.a.has_audio must be a number"},
		{"NaN as a string", `,"style":{"a":{"duration_s":"NaN","motion":1,"brightness":1,"saturation":1,"has_audio":0},"b":` + good + `}`, nil, "style.a.duration_s must be a number"},
		{"null value", `,"style":{"a":` + side(`,"has_audio":null`) + `,"b":` + good + `}`, nil, "style.a.has_audio is missing"},
		{"negative", `,"style":{"a":{"duration_s":-1,"motion":1,"brightness":1,"saturation":1,"has_audio":0},"b":` + good + `}`, nil, "style.a.duration_s must not be negative"},
		{"infinite", `,"style":{"a":` + good + `,"b":{"duration_s":1,"motion":1e999,"brightness":1,"saturation":1,"has_audio":0}}`, nil, "style.b.motion must be finite"},
		{"audio neither 0 nor 1", `,"style":{"a":` + side(`,"has_audio":0.5`) + `,"b":` + good + `}`, nil, "has_audio must be 0 or 1"},
		{"side not an object", `,"style":{"a":3,"b":` + good + `}`, nil, "style.a must be an object"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v, err := ParseBattleLine([]byte(head + tc.style + `}`))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want one mentioning %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if (v.Style == nil) != (tc.want == nil) || v.Style != nil && *v.Style != *tc.want {
				t.Fatalf("style %+v, want %+v", v.Style, tc.want)
			}
		})
	}
}
