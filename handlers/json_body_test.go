package handlers

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// slowDecode is decodeJSONBody without its fast path: what encoding/json
// makes of body.
func slowDecode(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errMore
	}
	return nil
}

var errMore = badRequest("more")

var stringFieldBodies = []string{
	`{}`, ` { } `, "\t{\r\n}\n", `{"choice":"a"}`, `{ "choice" : "tie" , "choice":"b" }`,
	`{"pool":"t2v","category":"nature"}`, `{"pool":"t2v","category":"<b>&é日本"}`,
	`{"Choice":"a"}`, `{"CHOICE":"a"}`, `{"choice":"\u0061"}`, "{\"choice\":\"\xff\"}", "{\"choice\":\"a\x01\"}",
	`{"choice":1}`, `{"choice":null}`, `{"choice":"a",}`, `{"choice":"a"}{}`, `{"choice":"a"}}`, `{"choice":"a"} x`,
	`{"x":"a"}`, `{"pool":"a","pool":"b","pool":"c","pool":"d","pool":"e"}`, `{"choice"}`, `{"choice":}`, `{"choice":"a"`,
	`{`, `}`, `[]`, `null`, `""`,
}

// TestStringFieldsDecodeLikeEncodingJSON checks the fast path against
// encoding/json: whatever it accepts, encoding/json accepts with the same
// result, and the cases it leaves alone are the ones that need the decoder.
func TestStringFieldsDecodeLikeEncodingJSON(t *testing.T) {
	fast := 0
	for _, body := range stringFieldBodies {
		if checkStringFieldsDecode(t, []byte(body)) {
			fast++
		}
	}
	if fast < 6 {
		t.Fatalf("the fast path took %d of the plain bodies", fast)
	}
}

func FuzzStringFieldsDecodeLikeEncodingJSON(f *testing.F) {
	for _, body := range stringFieldBodies {
		f.Add([]byte(body))
	}
	f.Fuzz(func(t *testing.T, body []byte) { checkStringFieldsDecode(t, body) })
}

func checkStringFieldsDecode(t *testing.T, body []byte) bool {
	t.Helper()
	var vFast, vSlow voteRequest
	var mFast, mSlow matchupRequest
	tookV := decodeStringFields(body, &vFast)
	tookM := decodeStringFields(body, &mFast)
	if tookV {
		if err := slowDecode(body, &vSlow); err != nil || vSlow != vFast {
			t.Fatalf("%q: fast path decoded %+v, encoding/json %+v (%v)", body, vFast, vSlow, err)
		}
	} else if vFast != (voteRequest{}) {
		t.Fatalf("%q: fast path refused but changed the request to %+v", body, vFast)
	}
	if tookM {
		if err := slowDecode(body, &mSlow); err != nil || mSlow != mFast {
			t.Fatalf("%q: fast path decoded %+v, encoding/json %+v (%v)", body, mFast, mSlow, err)
		}
	} else if mFast != (matchupRequest{}) {
		t.Fatalf("%q: fast path refused but changed the request to %+v", body, mFast)
	}
	return tookV || tookM
}

// TestReadBody_DeclaredLength: a body is read whole whether or not its
// length is declared, and one shorter than declared is an error, never a
// silently shortened body.
func TestReadBody_DeclaredLength(t *testing.T) {
	for _, tc := range []struct {
		name    string
		body    string
		size    int64
		want    string
		wantErr bool
	}{
		{"declared", `{"choice":"a"}`, 14, `{"choice":"a"}`, false},
		{"unknown length", `{"choice":"a"}`, -1, `{"choice":"a"}`, false},
		{"empty", ``, 0, ``, false},
		{"shorter than declared", `{"choice"`, 14, `{"choice"`, true},
		{"declared beyond the limit is read as it comes", `{}`, maxDeclaredBody + 1, `{}`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := readBody(strings.NewReader(tc.body), tc.size)
			if string(b) != tc.want || (err != nil) != tc.wantErr {
				t.Errorf("readBody = %q, %v; want %q, error %v", b, err, tc.want, tc.wantErr)
			}
		})
	}
}
