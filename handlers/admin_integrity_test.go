package handlers

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/arena-video/arena/models"
	"github.com/arena-video/arena/static"
)

// TestAdminIntegrity_CountsEachInvalidReason: the dashboard and the admin
// API count invalid votes by reason and list the flagged voter.
func TestAdminIntegrity_CountsEachInvalidReason(t *testing.T) {
	a := newAdminApp(t, adminOptions{})
	ctx := context.Background()
	if _, err := static.SeedDemo(ctx, a.store, a.blobs); err != nil {
		t.Fatal(err)
	}
	vote := func(voter, choice string) {
		m, err := a.store.IssueMatchup(ctx, voter, models.MatchupFilter{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.store.RecordVote(ctx, voter, m.ID, choice); err != nil {
			t.Fatal(err)
		}
	}
	clicker, cheat := models.NewID(), models.NewID()
	for range models.PositionBiasMinVotes + 2 { // two votes after the flag
		vote(clicker, models.ChoiceA)
	}
	for range 3 {
		vote(cheat, models.ChoiceTie)
	}
	adm := a.login()
	if r := adm.postForm("/admin/voters/"+cheat+"/invalidate", url.Values{"reason": {"bought votes"}}); r.status != http.StatusSeeOther {
		t.Fatalf("invalidate = %d %s", r.status, r.body)
	}

	page := adm.get("/admin")
	body := string(page.body)
	for _, want := range []string{"Invalid votes", ">position_bias<", ">admin<", clicker, "Most active voters", ">32<"} {
		if !strings.Contains(body, want) {
			t.Errorf("dashboard lacks %q", want)
		}
	}
	var got struct {
		Invalid map[string]int64 `json:"invalid_votes"`
		Flagged []struct {
			ID         string `json:"id"`
			FlagReason string `json:"flag_reason"`
		} `json:"flagged_voters"`
		Active []models.VoterActivity `json:"active_voters"`
	}
	r := a.bare().get("/api/v1/admin/integrity", bearer(a.token())...)
	if r.status != http.StatusOK {
		t.Fatalf("integrity API = %d %s", r.status, r.body)
	}
	r.json(t, &got)
	if got.Invalid[models.ReasonPositionBias] != 2 || got.Invalid[models.ReasonAdmin] != 3 || len(got.Invalid) != 2 {
		t.Fatalf("invalid votes %v: want 2 position_bias and 3 admin", got.Invalid)
	}
	reasons := map[string]string{}
	for _, f := range got.Flagged {
		reasons[f.ID] = f.FlagReason
	}
	if len(reasons) != 2 || reasons[clicker] != models.ReasonPositionBias || reasons[cheat] != models.ReasonAdmin {
		t.Fatalf("flagged voters %+v: want the clicker (position_bias) and the invalidated voter (admin)", got.Flagged)
	}
	// The clicker cast the most votes, all on side A, two of them invalid.
	if len(got.Active) != 2 {
		t.Fatalf("active voters %+v: want the clicker and the invalidated voter", got.Active)
	}
	top := got.Active[0]
	if n := int64(models.PositionBiasMinVotes + 2); top.VoterID != clicker || top.Votes != n || top.Valid != n-2 || top.AVotes != n || top.Issued != n {
		t.Fatalf("most active voter %+v: want the clicker with %d votes on A, 2 invalid", top, n)
	}
	if r := a.bare().get("/api/v1/admin/integrity"); r.status != http.StatusUnauthorized {
		t.Fatalf("integrity without a token = %d, want 401", r.status)
	}
}
