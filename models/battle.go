package models

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Winners in the public battle format, the JSON lines public video and
// chat arenas publish their votes in.
const (
	WinnerA       = "model_a"
	WinnerB       = "model_b"
	WinnerTie     = "tie"
	WinnerBothBad = "tie (bothbad)"
)

// BattleVote is one vote in the public battle format. It names models by
// slug and carries nothing about the voter.
type BattleVote struct {
	ModelA   string `json:"model_a"`
	ModelB   string `json:"model_b"`
	Winner   string `json:"winner"`
	PromptID uint   `json:"prompt_id"`
	Category string `json:"category"`
	Pool     string `json:"pool"`
	Tstamp   int64  `json:"tstamp"` // unix seconds; 0 when the line had none
	// Style holds the measured features of both clips, so that anyone can
	// refit the style-controlled board; nil when either clip is unmeasured
	// or the vote was imported without them.
	Style *BattleStyle `json:"style,omitempty"`
}

// BattleStyle is the style features of the clips on side A and side B.
type BattleStyle struct {
	A StyleFeatures `json:"a"`
	B StyleFeatures `json:"b"`
}

// StyleFeatures are one clip's style features as exported: duration in
// seconds, motion, brightness and saturation (0–255 scales, see
// media.Features), and has_audio 0 or 1.
type StyleFeatures struct {
	DurationS  float64 `json:"duration_s"`
	Motion     float64 `json:"motion"`
	Brightness float64 `json:"brightness"`
	Saturation float64 `json:"saturation"`
	HasAudio   float64 `json:"has_audio"`
}

// styleFeaturesOf spells out a clip's features for export.
func styleFeaturesOf(c ClipStyle) StyleFeatures {
	return StyleFeatures{DurationS: c[0], Motion: c[1], Brightness: c[2], Saturation: c[3], HasAudio: c[4]}
}

// winnerOf maps a stored choice to the public winner.
func winnerOf(choice string) string {
	switch choice {
	case ChoiceA:
		return WinnerA
	case ChoiceB:
		return WinnerB
	case ChoiceTie:
		return WinnerTie
	}
	return WinnerBothBad
}

// choiceOf maps a public winner to a stored choice.
func choiceOf(winner string) (string, bool) {
	switch winner {
	case WinnerA:
		return ChoiceA, true
	case WinnerB:
		return ChoiceB, true
	case WinnerTie:
		return ChoiceTie, true
	case WinnerBothBad:
		return ChoiceBothBad, true
	}
	return "", false
}

// maxTstamp is the year 3000: anything later is a unit mistake (milliseconds).
const maxTstamp = 32503680000

// ParseBattleLine reads one line of the public battle format: model_a,
// model_b and winner are required; prompt_id, category, pool (or modality,
// its older name), tstamp and style (both clips' features) are optional, and
// the pool defaults to t2v.
// Other fields are ignored, as public files carry more than Arena keeps. It
// is pure, so that the importer's rules can be fuzzed.
func ParseBattleLine(line []byte) (BattleVote, error) {
	var raw struct {
		ModelA   *string         `json:"model_a"`
		ModelB   *string         `json:"model_b"`
		Winner   *string         `json:"winner"`
		PromptID json.RawMessage `json:"prompt_id"`
		Category *string         `json:"category"`
		Pool     *string         `json:"pool"`
		Modality *string         `json:"modality"`
		Tstamp   json.RawMessage `json:"tstamp"`
		Style    json.RawMessage `json:"style"`
	}
	line = bytes.TrimSpace(line)
	if len(line) == 0 || line[0] != '{' {
		return BattleVote{}, errors.New("not a JSON object")
	}
	if err := json.Unmarshal(line, &raw); err != nil {
		return BattleVote{}, fmt.Errorf("malformed JSON: %w", err)
	}
	var v BattleVote
	var err error
	if v.ModelA, err = slugField("model_a", raw.ModelA); err != nil {
		return BattleVote{}, err
	}
	if v.ModelB, err = slugField("model_b", raw.ModelB); err != nil {
		return BattleVote{}, err
	}
	if v.ModelA == v.ModelB {
		return BattleVote{}, fmt.Errorf("model_a and model_b are both %q: a model cannot meet itself", v.ModelA)
	}
	if raw.Winner == nil {
		return BattleVote{}, errors.New("winner is missing")
	}
	if _, ok := choiceOf(*raw.Winner); !ok {
		return BattleVote{}, fmt.Errorf("winner %q must be model_a, model_b, tie or \"tie (bothbad)\"", Truncate(*raw.Winner, 40))
	}
	v.Winner = *raw.Winner
	id, err := wholeNumber("prompt_id", raw.PromptID, math.MaxUint32)
	if err != nil {
		return BattleVote{}, err
	}
	v.PromptID = uint(id)
	if raw.Category != nil {
		c := *raw.Category
		if len(c) > 64 || !printable(c) {
			return BattleVote{}, errors.New("category must be at most 64 printable characters")
		}
		v.Category = c
	}
	v.Pool = PoolT2V
	switch {
	case raw.Pool != nil && *raw.Pool != "":
		v.Pool = *raw.Pool
	case raw.Modality != nil && *raw.Modality != "":
		v.Pool = *raw.Modality
	}
	if !ValidPool(v.Pool) {
		return BattleVote{}, fmt.Errorf("pool %q must be one of %s", Truncate(v.Pool, 40), strings.Join(Pools, ", "))
	}
	if v.Tstamp, err = wholeNumber("tstamp", raw.Tstamp, maxTstamp); err != nil {
		return BattleVote{}, err
	}
	if v.Style, err = parseBattleStyle(raw.Style); err != nil {
		return BattleVote{}, err
	}
	return v, nil
}

func slugField(name string, v *string) (string, error) {
	if v == nil || *v == "" {
		return "", fmt.Errorf("%s is missing", name)
	}
	if len(*v) > 64 || !printable(*v) {
		return "", fmt.Errorf("%s must be at most 64 printable characters", name)
	}
	return *v, nil
}

// wholeNumber reads an optional non-negative number (a JSON number, possibly
// with a fraction, which is dropped, or a string of digits) up to limit.
func wholeNumber(name string, raw json.RawMessage, limit float64) (int64, error) {
	s := string(bytes.TrimSpace(raw))
	if s == "" || s == "null" || s == `""` {
		return 0, nil
	}
	if strings.HasPrefix(s, `"`) {
		if err := json.Unmarshal(raw, &s); err != nil {
			return 0, fmt.Errorf("%s is not a number", name)
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || f < 0 || f > limit {
		return 0, fmt.Errorf("%s %q must be a whole number from 0 to %.0f", name, Truncate(s, 40), limit)
	}
	return int64(f), nil
}

func printable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}
