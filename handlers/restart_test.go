package handlers

import (
	"net/http"
	"testing"
)

// TestRestart_KeepsSessionsAndVotes stops the app and starts a new one on
// the same data dir: the voter's cookie still names them, their pending
// matchup still takes a vote, and earlier votes are still there.
func TestRestart_KeepsSessionsAndVotes(t *testing.T) {
	dir := t.TempDir()
	first := newTestApp(t, dir, true)
	v := first.newVoter()
	voted := v.matchup()
	if r := v.vote(voted.ID, "a"); r.status != http.StatusOK {
		t.Fatal(r.status)
	}
	pending := v.matchup()
	first.close()

	second := newTestApp(t, dir, true) // seeding a non-empty database does nothing
	v.app = second
	if r := v.vote(pending.ID, "b"); r.status != http.StatusOK {
		t.Fatalf("vote after restart = %d %s: the session or the matchup was lost", r.status, r.body)
	}
	if r := v.vote(voted.ID, "b"); r.status != http.StatusConflict {
		t.Fatalf("re-vote after restart = %d, want 409: the first vote was lost", r.status)
	}
}
