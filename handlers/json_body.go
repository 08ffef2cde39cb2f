package handlers

import (
	"bufio"
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
func decodeJSONBody(body io.Reader, v any, allowEmpty bool) error {
	br := bufio.NewReader(body)
	first, err := firstNonSpace(br)
	if err == nil && first != '{' {
		return badRequest("send a JSON object in the request body")
	}
	dec := json.NewDecoder(br)
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

// firstNonSpace peeks at the first byte that is not JSON white space.
func firstNonSpace(br *bufio.Reader) (byte, error) {
	for {
		b, err := br.ReadByte()
		if err != nil {
			return 0, err
		}
		if b != ' ' && b != '\t' && b != '\n' && b != '\r' {
			return b, br.UnreadByte()
		}
	}
}
