package handlers

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/arena-video/arena/models"
)

// decodeJSON reads one JSON object, refusing unknown fields and trailing
// data. With allowEmpty, an empty body decodes as the zero value.
func decodeJSON(c echo.Context, v any, allowEmpty bool) error {
	return decodeJSONBody(c.Request().Body, v, allowEmpty)
}

// decodeJSONBody is decodeJSON on any reader; the fuzz tests call it. Only
// an object is accepted: null, arrays and bare values would otherwise
// decode as an empty request.
//
// The body is read whole first (BodyLimit bounds it): voting bodies are a
// few bytes, and a bufio.Reader and a decoder reading from the connection
// allocated 4.5 KB per request, the largest allocation of a voting cycle.
func decodeJSONBody(body io.Reader, v any, allowEmpty bool) error {
	b, err := io.ReadAll(body)
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
	if dec.More() {
		return badRequest("malformed JSON: send exactly one object")
	}
	return nil
}
