package models

import "testing"

func TestDialectBind(t *testing.T) {
	q := `UPDATE t SET a = ?, b = ? WHERE id = ? AND c = '' RETURNING a`
	for _, tc := range []struct {
		d    dialect
		want string
	}{
		{DialectSQLite, q},
		{DialectPostgres, `UPDATE t SET a = $1, b = $2 WHERE id = $3 AND c = '' RETURNING a`},
	} {
		if got := tc.d.bind(q); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.d, got, tc.want)
		}
	}
	// Every cycle statement has as many placeholders as its call sites pass.
	for name, tc := range map[string]struct {
		q    string
		args int
	}{
		"insertVoter":   {newCycleSQL(DialectPostgres, false).insertVoter, 2},
		"insertMatchup": {newCycleSQL(DialectPostgres, false).insertMatchup, 13},
		"recordVote":    {newCycleSQL(DialectPostgres, true).recordVote, 9},
	} {
		for n := 1; n <= tc.args; n++ {
			if !containsPlaceholder(tc.q, n) {
				t.Errorf("%s lacks $%d", name, n)
			}
		}
		if containsPlaceholder(tc.q, tc.args+1) {
			t.Errorf("%s has more than %d placeholders", name, tc.args)
		}
	}
}

func containsPlaceholder(q string, n int) bool {
	p := dialect(DialectPostgres).placeholder(n)
	for i := 0; i+len(p) <= len(q); i++ {
		if q[i:i+len(p)] == p && (i+len(p) == len(q) || q[i+len(p)] < '0' || q[i+len(p)] > '9') {
			return true
		}
	}
	return false
}
