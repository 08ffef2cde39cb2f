package models

import (
	"strings"
	"testing"
)

func TestParseBattleLine(t *testing.T) {
	for _, tc := range []struct {
		name, line string
		want       BattleVote
		err        string
	}{
		{"minimal", `{"model_a":"x","model_b":"y","winner":"model_a"}`, BattleVote{ModelA: "x", ModelB: "y", Winner: WinnerA, Pool: PoolT2V}, ""},
		{"full", `{"model_a":"x","model_b":"y","winner":"tie (bothbad)","prompt_id":7,"category":"people","pool":"i2v-audio","tstamp":1700000000.5}`,
			BattleVote{ModelA: "x", ModelB: "y", Winner: WinnerBothBad, PromptID: 7, Category: "people", Pool: PoolI2VAudio, Tstamp: 1700000000}, ""},
		{"modality names the pool", `{"model_a":"x","model_b":"y","winner":"tie","modality":"i2v"}`, BattleVote{ModelA: "x", ModelB: "y", Winner: WinnerTie, Pool: PoolI2V}, ""},
		{"string numbers and extra fields", `{"model_a":"x","model_b":"y","winner":"model_b","prompt_id":"12","tstamp":"5","judge":"abc"}`,
			BattleVote{ModelA: "x", ModelB: "y", Winner: WinnerB, PromptID: 12, Pool: PoolT2V, Tstamp: 5}, ""},
		{"not JSON", `model_a,model_b`, BattleVote{}, "not a JSON object"},
		{"truncated", `{"model_a":"x"`, BattleVote{}, "malformed JSON"},
		{"missing model", `{"model_a":"x","winner":"tie"}`, BattleVote{}, "model_b is missing"},
		{"same model", `{"model_a":"x","model_b":"x","winner":"tie"}`, BattleVote{}, "cannot meet itself"},
		{"bad winner", `{"model_a":"x","model_b":"y","winner":"a"}`, BattleVote{}, "winner"},
		{"missing winner", `{"model_a":"x","model_b":"y"}`, BattleVote{}, "winner is missing"},
		{"bad pool", `{"model_a":"x","model_b":"y","winner":"tie","pool":"radio"}`, BattleVote{}, "pool"},
		{"negative prompt", `{"model_a":"x","model_b":"y","winner":"tie","prompt_id":-1}`, BattleVote{}, "prompt_id"},
		{"milliseconds", `{"model_a":"x","model_b":"y","winner":"tie","tstamp":1700000000000}`, BattleVote{}, "tstamp"},
		{"control character", "{\"model_a\":\"x\\u0000\",\"model_b\":\"y\",\"winner\":\"tie\"}", BattleVote{}, "printable"},
		{"long slug", `{"model_a":"` + strings.Repeat("x", 65) + `","model_b":"y","winner":"tie"}`, BattleVote{}, "64"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseBattleLine([]byte(tc.line))
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want one mentioning %q", err, tc.err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("got %+v, %v; want %+v", got, err, tc.want)
			}
		})
	}
}

// FuzzVotesLine checks that no line makes the parser panic, and that what it
// accepts obeys the importer's rules and survives a round trip through the
// export format.
func FuzzVotesLine(f *testing.F) {
	for _, s := range []string{
		`{"model_a":"x","model_b":"y","winner":"model_a"}`,
		`{"model_a":"x","model_b":"y","winner":"tie (bothbad)","prompt_id":7,"category":"c","modality":"t2v","tstamp":1700000000}`,
		`{"model_a":"x","model_b":"y","winner":"tie","prompt_id":"1e3","tstamp":null}`,
		`{}`, `[]`, `{"model_a":1}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		v, err := ParseBattleLine(line)
		if err != nil {
			return
		}
		if v.ModelA == "" || v.ModelB == "" || v.ModelA == v.ModelB || len(v.ModelA) > 64 || len(v.ModelB) > 64 {
			t.Fatalf("accepted bad models: %+v", v)
		}
		if _, ok := choiceOf(v.Winner); !ok || !ValidPool(v.Pool) || v.Tstamp < 0 || v.Tstamp > maxTstamp || len(v.Category) > 64 {
			t.Fatalf("accepted bad fields: %+v", v)
		}
		choice, _ := choiceOf(v.Winner)
		if winnerOf(choice) != v.Winner {
			t.Fatalf("winner %q does not round-trip", v.Winner)
		}
	})
}
