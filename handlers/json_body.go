package handlers

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/arena-video/arena/models"
)

// decodeJSON reads one JSON object, refusing unknown fields and trailing
// data. With allowEmpty, an empty body decodes as the zero value.
func decodeJSON(c echo.Context, v any, allowEmpty bool) error {
	r := c.Request()
	return decodeJSONBody(r.Body, r.ContentLength, v, allowEmpty)
}

// decodeJSONBody is decodeJSON on any reader, whose length is size or
// unknown when size is -1; the fuzz tests call it. Only
// an object is accepted: null, arrays and bare values would otherwise
// decode as an empty request.
//
// The body is read whole first (BodyLimit bounds it): voting bodies are a
// few bytes, and a bufio.Reader and a decoder reading from the connection
// allocated 4.5 KB per request, the largest allocation of a voting cycle.
func decodeJSONBody(body io.Reader, size int64, v any, allowEmpty bool) error {
	b, err := readBody(body, size)
	if err != nil {
		if isTooLarge(err) {
			return echo.NewHTTPError(http.StatusRequestEntityTooLarge, "the request body is larger than 64 KB")
		}
		return badRequest("malformed JSON: %s", models.Truncate(err.Error(), 200))
	}
	b = bytes.TrimLeft(b, " \t\n\r")
	if len(b) == 0 {
		err = io.EOF
	} else if b[0] != '{' {
		return badRequest("send a JSON object in the request body")
	}
	if sf, ok := v.(stringFields); ok && decodeStringFields(b, sf) {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err == nil {
		err = dec.Decode(v)
	}
	switch {
	case errors.Is(err, io.EOF):
		if allowEmpty {
			return nil
		}
		return badRequest("send a JSON object in the request body")
	case isTooLarge(err):
		return echo.NewHTTPError(http.StatusRequestEntityTooLarge, "the request body is larger than 64 KB")
	case err != nil:
		return badRequest("malformed JSON: %s", models.Truncate(err.Error(), 200))
	}
	// Only white space may follow the object. dec.More is not enough: it
	// reports false for a stray '}' or ']', so {"choice":"a"}} passed.
	if skipJSONSpace(b, int(dec.InputOffset())) != len(b) {
		return badRequest("malformed JSON: send exactly one object")
	}
	return nil
}

// maxDeclaredBody is the largest declared length readBody allocates at
// once; BodyLimit refuses larger bodies before a handler runs.
const maxDeclaredBody = 64 << 10

// readBody reads a body whole. When its length is declared it reads into a
// slice of exactly that length: io.ReadAll starts with 512 bytes, for
// voting bodies of 2 to 20 bytes, twice a cycle.
func readBody(body io.Reader, size int64) ([]byte, error) {
	if size <= 0 || size > maxDeclaredBody {
		return io.ReadAll(body)
	}
	b := make([]byte, size)
	n, err := io.ReadFull(body, b)
	return b[:n], err
}

// stringFields is a request whose fields are all strings, such as the two
// voting requests. Their bodies are a few bytes like {} or
// {"choice":"a"}, and encoding/json's decoder cost more than the rest of
// reading them; decodeStringFields reads the plain cases directly.
type stringFields interface {
	// stringField is the field whose JSON name is exactly name, nil when
	// there is none.
	stringField(name string) *string
}

func (r *matchupRequest) stringField(name string) *string {
	switch name {
	case "pool":
		return &r.Pool
	case "category":
		return &r.Category
	}
	return nil
}

func (r *voteRequest) stringField(name string) *string {
	if name == "choice" {
		return &r.Choice
	}
	return nil
}

// decodeStringFields decodes b into v when b is one object of at most four
// members, each named exactly as a field of v and holding a string of
// valid UTF-8 with no escapes or control characters, followed by nothing
// but white space. It reports false, leaving v untouched, for anything
// else, which encoding/json then decodes or refuses as before: the fast
// path accepts only bodies whose meaning is beyond doubt, and sets what
// encoding/json would set (a repeated member's last value wins there too).
func decodeStringFields(b []byte, v stringFields) bool {
	var members [4][2]string
	n := 0
	i := skipJSONSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return false
	}
	i = skipJSONSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		return skipJSONSpace(b, i+1) == len(b)
	}
	for {
		if n == len(members) {
			return false
		}
		var key, val string
		var ok bool
		if key, i, ok = plainJSONString(b, i); !ok {
			return false
		}
		i = skipJSONSpace(b, i)
		if i >= len(b) || b[i] != ':' {
			return false
		}
		if val, i, ok = plainJSONString(b, skipJSONSpace(b, i+1)); !ok {
			return false
		}
		members[n] = [2]string{key, val}
		n++
		i = skipJSONSpace(b, i)
		if i >= len(b) {
			return false
		}
		if b[i] == '}' {
			break
		}
		if b[i] != ',' {
			return false
		}
		i = skipJSONSpace(b, i+1)
	}
	if skipJSONSpace(b, i+1) != len(b) {
		return false
	}
	var fields [len(members)]*string
	for k, m := range members[:n] {
		if fields[k] = v.stringField(m[0]); fields[k] == nil {
			return false
		}
	}
	for k, m := range members[:n] {
		*fields[k] = m[1]
	}
	return true
}

// plainJSONString reads the string starting at b[i] when it has no escapes
// and no control characters and is valid UTF-8, and returns it and the
// index after its closing quote.
func plainJSONString(b []byte, i int) (string, int, bool) {
	if i >= len(b) || b[i] != '"' {
		return "", i, false
	}
	for j := i + 1; j < len(b); j++ {
		switch c := b[j]; {
		case c == '"':
			s := b[i+1 : j]
			if !utf8.Valid(s) {
				return "", i, false
			}
			return string(s), j + 1, true
		case c == '\\' || c < 0x20:
			return "", i, false
		}
	}
	return "", i, false
}

// skipJSONSpace returns the index of the first byte at or after i that is
// not JSON white space.
func skipJSONSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}
