package models

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/arena-video/arena/models/testclock"
	"github.com/arena-video/arena/models/testdb"
)

// openClocked opens a store on a manual clock with one prompt and clips of
// the given durations (one model each).
func openClocked(t *testing.T, opts Options, durationsMS ...int64) (*Store, *testclock.Clock) {
	t.Helper()
	clock := testclock.New(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	opts.DSN = testdb.DSN(t, t.TempDir())
	opts.Now = clock.Now
	s, err := Open(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	ctx := context.Background()
	p := Prompt{Text: "a cat", Modality: ModalityT2V}
	if err := s.CreatePrompt(ctx, &p); err != nil {
		t.Fatal(err)
	}
	for i, d := range durationsMS {
		m := Model{Slug: fmt.Sprintf("m%d", i), Name: fmt.Sprintf("Model %d", i)}
		if err := s.CreateModel(ctx, &m); err != nil {
			t.Fatal(err)
		}
		c := Clip{PromptID: p.ID, ModelID: m.ID, SHA256: fmt.Sprintf("%064d", i), BlobKey: fmt.Sprintf("%064d", i), MIME: "video/mp4", DurationMS: d, Width: 8, Height: 8}
		if err := s.CreateClip(ctx, &c); err != nil {
			t.Fatal(err)
		}
	}
	return s, clock
}

func TestRecordVote_TooFastIsStoredInvalid(t *testing.T) {
	cases := []struct {
		name      string
		minWatch  time.Duration
		durations []int64
		wait      time.Duration
		wantValid bool
	}{
		{"at once", 3 * time.Second, []int64{5000, 6000}, 0, false},
		{"just before", 3 * time.Second, []int64{5000, 6000}, 2999 * time.Millisecond, false},
		{"exactly at the minimum", 3 * time.Second, []int64{5000, 6000}, 3 * time.Second, true},
		{"later", 3 * time.Second, []int64{5000, 6000}, 10 * time.Second, true},
		{"capped at the shorter clip", 3 * time.Second, []int64{2000, 6000}, 2000 * time.Millisecond, true},
		{"shorter clip not yet watched", 3 * time.Second, []int64{2000, 6000}, 1999 * time.Millisecond, false},
		{"no minimum", 0, []int64{5000, 6000}, 0, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, clock := openClocked(t, Options{MinWatch: tc.minWatch}, tc.durations...)
			ctx := context.Background()
			voter := NewID()
			m, err := s.IssueMatchup(ctx, voter, MatchupFilter{}, nil)
			if err != nil {
				t.Fatal(err)
			}
			clock.Advance(tc.wait)
			res, err := s.RecordVote(ctx, voter, m.ID, ChoiceTie)
			if err != nil {
				t.Fatal(err)
			}
			var stored Matchup
			s.db.r.Where("id = ?", m.ID).Take(&stored)
			if res.Valid != tc.wantValid || stored.Valid != tc.wantValid || stored.Choice == nil {
				t.Fatalf("valid = %v (stored %v, choice %v), want %v", res.Valid, stored.Valid, stored.Choice, tc.wantValid)
			}
			wantReason := ""
			if !tc.wantValid {
				wantReason = ReasonTooFast
			}
			if stored.InvalidReason != wantReason || res.InvalidReason != wantReason {
				t.Fatalf("reason %q (result %q), want %q", stored.InvalidReason, res.InvalidReason, wantReason)
			}
		})
	}
}

func TestRecordVote_PositionBiasFlagsTheVoterForLaterVotes(t *testing.T) {
	s, clock := openClocked(t, Options{MinWatch: time.Second}, 4000, 4000)
	ctx := context.Background()
	vote := func(voter, choice string) VoteResult {
		t.Helper()
		m, err := s.IssueMatchup(ctx, voter, MatchupFilter{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		clock.Advance(2 * time.Second)
		res, err := s.RecordVote(ctx, voter, m.ID, choice)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	clicker, honest, fast := NewID(), NewID(), NewID()
	// The clicker picks A 28 times of 30 (93%); the honest voter 26 (87%).
	for i := range PositionBiasMinVotes {
		choice := ChoiceA
		if i%15 == 7 {
			choice = ChoiceB
		}
		if res := vote(clicker, choice); !res.Valid {
			t.Fatalf("vote %d invalid (%s) before the voter reached %d votes", i+1, res.InvalidReason, PositionBiasMinVotes)
		}
		choice = ChoiceA
		if i%7 == 3 {
			choice = ChoiceTie
		}
		vote(honest, choice)
	}
	// Too-fast votes do not count towards the bias counters.
	for range 40 {
		m, _ := s.IssueMatchup(ctx, fast, MatchupFilter{}, nil)
		if res, err := s.RecordVote(ctx, fast, m.ID, ChoiceB); err != nil || res.InvalidReason != ReasonTooFast {
			t.Fatalf("fast vote: %+v %v", res, err)
		}
	}

	for _, tc := range []struct {
		voter       string
		wantFlagged bool
		wantValid   int64
	}{{clicker, true, 30}, {honest, false, 30}, {fast, false, 0}} {
		v, err := s.VoterByID(ctx, tc.voter)
		if err != nil {
			t.Fatal(err)
		}
		if v.Flagged != tc.wantFlagged || v.ValidVotes != tc.wantValid {
			t.Errorf("voter %+v: want flagged %v with %d valid votes", v, tc.wantFlagged, tc.wantValid)
		}
	}
	if res := vote(clicker, ChoiceB); res.Valid || res.InvalidReason != ReasonPositionBias {
		t.Fatalf("vote after the flag: valid %v reason %q, want position_bias", res.Valid, res.InvalidReason)
	}
	if res := vote(honest, ChoiceA); !res.Valid {
		t.Fatalf("honest voter's vote invalid: %s", res.InvalidReason)
	}
	flagged, err := s.FlaggedVoters(ctx, 10)
	if err != nil || len(flagged) != 1 || flagged[0].ID != clicker || flagged[0].FlagReason != ReasonPositionBias {
		t.Fatalf("flagged voters %+v %v, want only the clicker", flagged, err)
	}
	counts, err := s.InvalidVoteCounts(ctx)
	if err != nil || counts[ReasonTooFast] != 40 || counts[ReasonPositionBias] != 1 || len(counts) != 2 {
		t.Fatalf("invalid counts %v %v", counts, err)
	}
	// Votes cast before the flag stay valid: nothing changes silently.
	var valid int64
	s.db.r.Model(&Matchup{}).Where("voter_id = ? AND valid", clicker).Count(&valid)
	if valid != PositionBiasMinVotes {
		t.Fatalf("clicker has %d valid votes, want the %d cast before the flag", valid, PositionBiasMinVotes)
	}
}

func TestIssueMatchup_OldestPendingExpiresBeyondTheLimit(t *testing.T) {
	s, clock := openClocked(t, Options{MaxPending: 3}, 4000, 4000, 4000)
	ctx := context.Background()
	voter, other := NewID(), NewID()
	var ids []string
	for range 5 {
		m, err := s.IssueMatchup(ctx, voter, MatchupFilter{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, m.ID)
		clock.Advance(time.Millisecond)
	}
	if _, err := s.IssueMatchup(ctx, other, MatchupFilter{}, nil); err != nil {
		t.Fatal(err)
	}
	for i, id := range ids {
		_, err := s.RecordVote(ctx, voter, id, ChoiceTie)
		if expired := i < 2; expired != errors.Is(err, ErrExpired) || (!expired && err != nil) {
			t.Errorf("matchup %d of 5: vote err %v, want expired = %v", i+1, err, expired)
		}
	}
	var rows int64
	s.db.r.Model(&Matchup{}).Where("voter_id = ?", voter).Count(&rows)
	if rows != 5 {
		t.Fatalf("%d matchups stored, want all 5 kept", rows)
	}
}

// TestMigrate_VoteValidityUpgradesAnOldDatabase removes what migration
// 0300 adds and opens the database again, as an old database would be.
func TestMigrate_VoteValidityUpgradesAnOldDatabase(t *testing.T) {
	if testdb.Backend() != "sqlite" {
		t.Skip("undoes the migration with SQLite statements")
	}
	dir := t.TempDir()
	s := openTestStore(t, filepath.Join(dir, "a.db"))
	for _, q := range []string{
		`DROP TRIGGER count_valid_votes`,
		`DROP INDEX idx_matchups_pending`,
		`DROP INDEX idx_voters_flagged`,
		`ALTER TABLE matchups DROP COLUMN watch_until`,
		`ALTER TABLE voters DROP COLUMN valid_votes`,
		`ALTER TABLE voters DROP COLUMN a_votes`,
		`ALTER TABLE voters DROP COLUMN b_votes`,
		`DELETE FROM ` + migrationTable + ` WHERE id = '0300_vote_validity'`,
	} {
		if err := s.db.w.Exec(q).Error; err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	s.Close()
	s = openTestStore(t, filepath.Join(dir, "a.db"))
	for _, col := range []string{"watch_until"} {
		if !s.db.w.Migrator().HasColumn(&Matchup{}, col) {
			t.Errorf("matchups.%s missing after upgrade", col)
		}
	}
	for _, col := range []string{"valid_votes", "a_votes", "b_votes"} {
		if !s.db.w.Migrator().HasColumn(&Voter{}, col) {
			t.Errorf("voters.%s missing after upgrade", col)
		}
	}
	var n int64
	s.db.w.Raw(`SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND name = 'count_valid_votes'`).Scan(&n)
	if n != 1 {
		t.Error("vote-counting trigger missing after upgrade")
	}
}

func TestRowCounts_CountsEveryTable(t *testing.T) {
	s, _ := openClocked(t, Options{}, 1000, 1000)
	counts, err := s.RowCounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if counts["models"] != 2 || counts["clips"] != 2 || counts["prompts"] != 1 || counts["matchups"] != 0 {
		t.Fatalf("counts %v", counts)
	}
	if _, ok := counts[migrationTable]; !ok {
		t.Fatalf("counts %v lack %s", counts, migrationTable)
	}
}

func TestModeration_InvalidateFlagsAndRestoreClears(t *testing.T) {
	s, clock := openClocked(t, Options{MinWatch: time.Second}, 4000, 4000)
	ctx := context.Background()
	vote := func(voter, choice string, wait time.Duration) VoteResult {
		t.Helper()
		m, err := s.IssueMatchup(ctx, voter, MatchupFilter{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		clock.Advance(wait)
		res, err := s.RecordVote(ctx, voter, m.ID, choice)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	cheat, clicker := NewID(), NewID()
	vote(cheat, ChoiceTie, 0) // too fast
	vote(cheat, ChoiceA, 2*time.Second)
	if n, err := s.InvalidateVoterVotes(ctx, Actor{Name: "test"}, cheat, "test"); err != nil || n != 1 {
		t.Fatalf("invalidated %d %v, want the one valid vote", n, err)
	}
	if res := vote(cheat, ChoiceB, 2*time.Second); res.Valid || res.InvalidReason != ReasonAdmin {
		t.Fatalf("vote after invalidation: %+v, want invalid by admin", res)
	}
	for range PositionBiasMinVotes + 1 {
		vote(clicker, ChoiceA, 2*time.Second)
	}
	for voter, wantRestored := range map[string]int64{cheat: 2, clicker: 1} {
		n, err := s.RestoreVoterVotes(ctx, Actor{Name: "test"}, voter, "test")
		if err != nil || n != wantRestored {
			t.Fatalf("restored %d %v, want %d", n, err, wantRestored)
		}
		v, _ := s.VoterByID(ctx, voter)
		if v.Flagged || v.ValidVotes != 0 {
			t.Fatalf("voter after restore %+v: want unflagged with fresh counters", v)
		}
		if res := vote(voter, ChoiceA, 2*time.Second); !res.Valid {
			t.Fatalf("vote after restore invalid: %s", res.InvalidReason)
		}
	}
	counts, _ := s.InvalidVoteCounts(ctx)
	if counts[ReasonTooFast] != 1 || len(counts) != 1 {
		t.Fatalf("invalid after restoring %v: only the too-fast vote stays invalid", counts)
	}
}
