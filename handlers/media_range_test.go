package handlers

import "testing"

func TestSingleRange(t *testing.T) {
	cases := []struct {
		header      string
		start, last int64
		ok          bool
	}{
		{"bytes=0-99", 0, 99, true},
		{"bytes=0-", 0, -1, true},
		{"bytes=500-", 500, -1, true},
		{"bytes=7-7", 7, 7, true},
		{" bytes=0-1", 0, 0, false},
		{"", 0, 0, false},
		{"bytes=-10", 0, 0, false},
		{"bytes=0-9,20-29", 0, 0, false},
		{"bytes=10-9", 0, 0, false},
		{"bytes=a-9", 0, 0, false},
		{"bytes=0-b", 0, 0, false},
		{"items=0-9", 0, 0, false},
		{"bytes=99999999999999999999-", 0, 0, false},
	}
	for _, tc := range cases {
		start, last, ok := singleRange(tc.header)
		if ok != tc.ok || ok && (start != tc.start || last != tc.last) {
			t.Errorf("singleRange(%q) = %d, %d, %v; want %d, %d, %v", tc.header, start, last, ok, tc.start, tc.last, tc.ok)
		}
	}
}
