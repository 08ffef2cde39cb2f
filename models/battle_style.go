package models

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
)

// styleFeatureNames are the keys of one side of a battle's "style", in the
// order of ClipStyle.
var styleFeatureNames = [len(ClipStyle{})]string{"duration_s", "motion", "brightness", "saturation", "has_audio"}

// parseBattleStyle reads the optional "style" of a battle line: an object
// with "a" and "b", each holding every feature as a finite, non-negative
// JSON number (has_audio 0 or 1). Absent or null, the vote has no style
// and counts on the raw board only.
func parseBattleStyle(raw json.RawMessage) (*BattleStyle, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var sides map[string]json.RawMessage
	if raw[0] != '{' || json.Unmarshal(raw, &sides) != nil {
		return nil, errors.New(`style must be an object {"a": {...}, "b": {...}}`)
	}
	for k := range sides {
		if k != "a" && k != "b" {
			return nil, fmt.Errorf("style has %q; only \"a\" and \"b\" are allowed", Truncate(k, 40))
		}
	}
	a, err := parseStyleSide("a", sides["a"])
	if err != nil {
		return nil, err
	}
	b, err := parseStyleSide("b", sides["b"])
	if err != nil {
		return nil, err
	}
	return &BattleStyle{A: styleFeaturesOf(a), B: styleFeaturesOf(b)}, nil
}

// parseStyleSide reads one side's features.
func parseStyleSide(side string, raw json.RawMessage) (ClipStyle, error) {
	var c ClipStyle
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return c, fmt.Errorf("style.%s is missing", side)
	}
	var vals map[string]json.RawMessage
	if raw[0] != '{' || json.Unmarshal(raw, &vals) != nil {
		return c, fmt.Errorf("style.%s must be an object of features", side)
	}
	unknown := make([]string, 0)
	for k := range vals {
		if !knownStyleFeature(k) {
			unknown = append(unknown, Truncate(k, 40))
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return c, fmt.Errorf("style.%s has unknown feature %q (known: %s)", side, unknown[0], strings.Join(styleFeatureNames[:], ", "))
	}
	for f, name := range styleFeatureNames {
		v, ok := vals[name]
		if !ok {
			return c, fmt.Errorf("style.%s.%s is missing", side, name)
		}
		x, err := styleNumber(v)
		if err != nil {
			return c, fmt.Errorf("style.%s.%s %s", side, name, err)
		}
		if name == "has_audio" && x != 0 && x != 1 {
			return c, fmt.Errorf("style.%s.has_audio must be 0 or 1, not %v", side, x)
		}
		c[f] = x
	}
	return c, nil
}

func knownStyleFeature(name string) bool {
	for _, n := range styleFeatureNames {
		if n == name {
			return true
		}
	}
	return false
}

// styleNumber reads a feature value: a JSON number, finite and not
// negative. Strings, even of digits, are refused: the export writes numbers.
func styleNumber(raw json.RawMessage) (float64, error) {
	s := string(bytes.TrimSpace(raw))
	if s == "" || s == "null" {
		return 0, errors.New("is missing")
	}
	if c := s[0]; c != '-' && (c < '0' || c > '9') {
		return 0, fmt.Errorf("must be a number, not %s", Truncate(s, 40))
	}
	x, err := strconv.ParseFloat(s, 64)
	switch {
	case err != nil && !errors.Is(err, strconv.ErrRange):
		return 0, fmt.Errorf("must be a number, not %s", Truncate(s, 40))
	case math.IsInf(x, 0) || math.IsNaN(x):
		return 0, fmt.Errorf("must be finite, not %s", Truncate(s, 40))
	case x < 0:
		return 0, fmt.Errorf("must not be negative (%s)", Truncate(s, 40))
	}
	return x, nil
}
