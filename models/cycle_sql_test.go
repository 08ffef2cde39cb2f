package models

import (
	"testing"

	"github.com/mattn/go-sqlite3"

	"github.com/arena-video/arena/models/timefmt"
)

// TestSQLiteTimes_GoSQLite3sLayout: the cycle's statements bind times as
// the text go-sqlite3 itself would bind, so the stored text is unchanged.
func TestSQLiteTimes_GoSQLite3sLayout(t *testing.T) {
	if got := sqlite3.SQLiteTimestampFormats[0]; got != timefmt.SQLiteLayout {
		t.Fatalf("go-sqlite3 binds times as %q, timefmt.SQLiteLayout is %q", got, timefmt.SQLiteLayout)
	}
}
