package handlers

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"
)

// encodingJSON is what Echo's JSON answer would have sent for v.
func encodingJSON(t *testing.T, v any) string {
	t.Helper()
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// awkwardStrings are the strings encoding/json escapes or replaces.
var awkwardStrings = []string{
	"",
	"plain text",
	`quote " and backslash \ and slash /`,
	"<script>alert('x') & more</script>",
	"controls \x00 \x01 \b \f \n \r \t \x1f \x7f",
	"line and paragraph separators \u2028 \u2029",
	"invalid UTF-8 \xff \xc3 \xed\xa0\x80 end",
	"unicode: é, 日本語, 🎬",
}

func TestMatchupJSONIsWhatEncodingJSONWrites(t *testing.T) {
	times := []time.Time{
		time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		time.Date(2026, 1, 2, 3, 4, 5, 120000000, time.UTC),
		time.Date(2026, 1, 2, 3, 4, 5, 123456789, time.FixedZone("x", 3600)),
	}
	for i, s := range awkwardStrings {
		m := matchupJSON{
			ID:   s,
			Pool: s,
			Prompt: promptJSON{
				Text: s, Category: s, Modality: s,
				ImageURL: awkwardStrings[(i+1)%len(awkwardStrings)],
			},
			A:         clipJSON{VideoURL: s, PosterURL: s, DurationMS: int64(i) * -1000, HasAudio: i%2 == 0},
			B:         clipJSON{VideoURL: s, DurationMS: 1 << 40},
			ExpiresAt: times[i%len(times)],
		}
		if got, want := string(m.appendJSON(nil)), encodingJSON(t, m); got != want {
			t.Errorf("string %q:\n got %s\nwant %s", s, got, want)
		}
	}
}

func TestVoteJSONIsWhatEncodingJSONWrites(t *testing.T) {
	for i, s := range awkwardStrings {
		for _, v := range []voteJSON{
			{Choice: s},
			{Choice: s, A: &revealJSON{Model: modelJSON{Slug: s, Name: s, Organization: s}, Rank: i},
				B: &revealJSON{Model: modelJSON{Slug: s, Name: s, Organization: s}, Rank: -i}},
			{Choice: s, B: &revealJSON{}},
		} {
			if got, want := string(v.appendJSON(nil)), encodingJSON(t, v); got != want {
				t.Errorf("string %q:\n got %s\nwant %s", s, got, want)
			}
		}
	}
}

func FuzzJSONStringIsWhatEncodingJSONWrites(f *testing.F) {
	for _, s := range awkwardStrings {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendJSONString(nil, s); !bytes.Equal(got, want) {
			t.Fatalf("%q: got %s, want %s", s, got, want)
		}
	})
}
