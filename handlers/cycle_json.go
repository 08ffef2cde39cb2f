package handlers

import (
	"net/http"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/arena-video/arena/models/timefmt"
)

// The two answers of a voting cycle, the issued matchup and the vote's
// reveal, are written by hand rather than by encoding/json, whose
// reflection over the structs (and the time's MarshalJSON, whose output it
// then re-validates) was a sizeable share of a voting request's CPU. The
// bytes are exactly what encoding/json writes for the same structs, HTML
// escaping and the encoder's trailing newline included; a test compares
// the two on awkward values.

// respondMatchup sends an issued matchup.
func respondMatchup(c echo.Context, m matchupJSON) error {
	if y := m.ExpiresAt.Year(); y < 0 || y > 9999 || wantsPretty(c) {
		return c.JSON(http.StatusCreated, m) // encoding/json's own answer
	}
	return c.Blob(http.StatusCreated, echo.MIMEApplicationJSON, m.appendJSON(make([]byte, 0, 512)))
}

// respondVote sends a vote's answer.
func respondVote(c echo.Context, v voteJSON) error {
	if wantsPretty(c) {
		return c.JSON(http.StatusOK, v)
	}
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, v.appendJSON(make([]byte, 0, 256)))
}

// wantsPretty is when Echo's JSON indents its output (?pretty, or debug
// mode); those answers are left to it.
func wantsPretty(c echo.Context) bool {
	if c.Echo().Debug {
		return true
	}
	if c.Request().URL.RawQuery == "" {
		return false
	}
	_, pretty := c.QueryParams()["pretty"]
	return pretty
}

// appendJSON appends m as encoding/json's Encoder writes it; the caller
// has checked that ExpiresAt's year is one JSON can carry (0-9999).
func (m matchupJSON) appendJSON(b []byte) []byte {
	b = append(b, `{"id":`...)
	b = appendJSONString(b, m.ID)
	b = append(b, `,"pool":`...)
	b = appendJSONString(b, m.Pool)
	b = append(b, `,"prompt":{"text":`...)
	b = appendJSONString(b, m.Prompt.Text)
	b = append(b, `,"category":`...)
	b = appendJSONString(b, m.Prompt.Category)
	b = append(b, `,"modality":`...)
	b = appendJSONString(b, m.Prompt.Modality)
	if m.Prompt.ImageURL != "" {
		b = append(b, `,"image_url":`...)
		b = appendJSONString(b, m.Prompt.ImageURL)
	}
	b = append(b, `},"a":`...)
	b = m.A.appendJSON(b)
	b = append(b, `,"b":`...)
	b = m.B.appendJSON(b)
	b = append(b, `,"expires_at":"`...)
	if nb, ok := timefmt.AppendRFC3339Nano(b, m.ExpiresAt); ok {
		b = nb
	} else {
		b = m.ExpiresAt.AppendFormat(b, time.RFC3339Nano) // a year RFC 3339 cannot carry
	}
	return append(b, "\"}\n"...)
}

func (c clipJSON) appendJSON(b []byte) []byte {
	b = append(b, `{"video_url":`...)
	b = appendJSONString(b, c.VideoURL)
	if c.PosterURL != "" {
		b = append(b, `,"poster_url":`...)
		b = appendJSONString(b, c.PosterURL)
	}
	b = append(b, `,"duration_ms":`...)
	b = strconv.AppendInt(b, c.DurationMS, 10)
	b = append(b, `,"has_audio":`...)
	b = strconv.AppendBool(b, c.HasAudio)
	return append(b, '}')
}

// appendJSON appends v as encoding/json's Encoder writes it.
func (v voteJSON) appendJSON(b []byte) []byte {
	b = append(b, `{"choice":`...)
	b = appendJSONString(b, v.Choice)
	if v.A != nil {
		b = append(b, `,"a":`...)
		b = v.A.appendJSON(b)
	}
	if v.B != nil {
		b = append(b, `,"b":`...)
		b = v.B.appendJSON(b)
	}
	return append(b, "}\n"...)
}

func (r revealJSON) appendJSON(b []byte) []byte {
	b = append(b, `{"model":{"slug":`...)
	b = appendJSONString(b, r.Model.Slug)
	b = append(b, `,"name":`...)
	b = appendJSONString(b, r.Model.Name)
	b = append(b, `,"organization":`...)
	b = appendJSONString(b, r.Model.Organization)
	b = append(b, '}')
	if r.Rank != 0 {
		b = append(b, `,"rank":`...)
		b = strconv.AppendInt(b, int64(r.Rank), 10)
	}
	return append(b, '}')
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s quoted the way encoding/json quotes strings
// with HTML escaping on: <, > and & as \u003c, \u003e and \u0026, control
// characters escaped, invalid UTF-8 as \ufffd, and U+2028 and U+2029
// escaped for JavaScript.
func appendJSONString(b []byte, s string) []byte { return appendQuoted(b, s, true) }

// appendQuoted appends s as a JSON string: as encoding/json writes it with
// HTML escaping on when asJSON, else as log/slog's JSON handler writes it
// (no HTML escaping, and \b and \f as \u0008 and \u000c).
func appendQuoted(b []byte, s string, asJSON bool) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && (!asJSON || c != '<' && c != '>' && c != '&') {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\b' && asJSON:
				b = append(b, '\\', 'b')
			case c == '\f' && asJSON:
				b = append(b, '\\', 'f')
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c == '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
