package models

import "unicode/utf8"

// Truncate shortens s to at most n characters, the last of them "…" when
// it had to cut: for quoting user input back in an error, fitting a label
// or a table column, and keeping audit text within its column (which
// PostgreSQL measures in characters too). It never splits a character.
func Truncate(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if len(s) <= n || utf8.RuneCountInString(s) <= n {
		return s
	}
	cut, runes := 0, 0
	for i := range s {
		if runes == n-1 {
			cut = i
			break
		}
		runes++
	}
	return s[:cut] + "…"
}
