package handlers

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/arena-video/arena/models"
)

// FuzzDecodeVoteRequest feeds arbitrary bodies to the vote decoder and
// validator. It must never panic, must refuse with a 4xx carrying a
// message, and may accept only a single JSON object whose choice is one of
// the four.
func FuzzDecodeVoteRequest(f *testing.F) {
	for _, s := range []string{`{"choice":"a"}`, `{"choice":"both_bad"}`, ` {"choice":"tie"} `, `{"choice":"a","x":1}`, `{"choice":"a"}{}`, `null`, `[]`, `{"choice":"\u0000"}`, "{\"choice\":\"\xff\"}", `{"choice":1e999}`, `{`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var req voteRequest
		err := decodeJSONBody(bytes.NewReader(body), int64(len(body)), &req, false)
		if err == nil && !models.ValidChoice(req.Choice) {
			err = badRequest("bad choice")
		}
		if err != nil {
			assertClientError(t, err)
			return
		}
		var again map[string]any
		if json.Unmarshal(body, &again) != nil {
			t.Fatalf("accepted %q, which is not a JSON object", body)
		}
	})
}

// FuzzDecodeMatchupRequest does the same for the matchup filter.
func FuzzDecodeMatchupRequest(f *testing.F) {
	for _, s := range []string{``, `{}`, `{"pool":"t2v"}`, `{"pool":"i2v-audio","category":"nature"}`, `{"category":"<script>"}`, `{"pool":null}`, `{"sort":"x"}`, `"t2v"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var req matchupRequest
		err := decodeJSONBody(bytes.NewReader(body), int64(len(body)), &req, true)
		if err == nil {
			err = validateMatchupRequest(req)
		}
		if err != nil {
			assertClientError(t, err)
			return
		}
		if req.Pool != "" && !models.ValidPool(req.Pool) {
			t.Fatalf("accepted unknown pool %q", req.Pool)
		}
		if len(req.Category) > 64 || bytes.IndexByte([]byte(req.Category), 0) >= 0 {
			t.Fatalf("accepted category %q", req.Category)
		}
	})
}

func assertClientError(t *testing.T, err error) {
	t.Helper()
	var he *echo.HTTPError
	if !errors.As(err, &he) || he.Code < 400 || he.Code >= 500 {
		t.Fatalf("error %v is not a 4xx", err)
	}
	code, msg := statusOf(err)
	if code != he.Code || msg == "" || msg == http.StatusText(code) && code == http.StatusBadRequest {
		t.Fatalf("error %v maps to %d %q: want a message a person can act on", err, code, msg)
	}
}
