package handlers

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/arena-video/arena/models"
	"github.com/arena-video/arena/models/testclock"
)

// TestBudgets_NewVotersPerAddressPerHour: a client address (IPv4, or an
// IPv6 /64) gets a fixed number of new cookies an hour; another address is
// not affected, and the next hour brings new ones. Runs on both databases.
func TestBudgets_NewVotersPerAddressPerHour(t *testing.T) {
	clock := testclock.New(time.Date(2026, 3, 1, 12, 30, 0, 0, time.UTC))
	a := newConfiguredApp(t, "", true, func(c *Config) {
		c.Budgets = c.Store.Budgets(models.BudgetLimits{NewVotersPerHour: 3})
		c.TrustedProxies = loopback()
		c.Now = clock.Now
	}, withClock(clock.Now))
	fresh := func(addr string) response { // a client without a cookie
		return (&voter{t: t, app: a, client: &http.Client{}}).get("/", "X-Forwarded-For", addr)
	}
	for i := range 3 {
		if r := fresh(fmt.Sprintf("2001:db8:5:6::%d", i+1)); r.status != http.StatusOK {
			t.Fatalf("new voter %d: %d", i+1, r.status)
		}
	}
	r := fresh("2001:db8:5:6::99") // the same /64
	if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") != "1800" {
		t.Fatalf("fourth new voter in the /64: %d Retry-After %q, want 429 for the 30 minutes left", r.status, r.header.Get("Retry-After"))
	}
	if r := (&voter{t: t, app: a, client: &http.Client{}}).postJSON("/api/v1/matchups", "", "X-Forwarded-For", "2001:db8:5:6::98"); r.status != http.StatusTooManyRequests {
		t.Errorf("API matchup for a fourth new voter: %d, want 429", r.status)
	}
	if r := fresh("2001:db8:5:7::1"); r.status != http.StatusOK {
		t.Errorf("another /64: %d", r.status)
	}
	clock.Advance(30 * time.Minute)
	if r := fresh("2001:db8:5:6::99"); r.status != http.StatusOK {
		t.Errorf("the next hour: %d", r.status)
	}
}

// TestBudgets_ValidVotesPerAddressPerDay: past the day's budget votes are
// stored invalid (address_budget) and reveal nothing; a vote that does not
// count for another reason spends nothing.
func TestBudgets_ValidVotesPerAddressPerDay(t *testing.T) {
	clock := testclock.New(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	a := newConfiguredApp(t, "", true, func(c *Config) {
		c.Budgets = c.Store.Budgets(models.BudgetLimits{VotesPerDay: 2})
		c.Now = clock.Now
	}, withClock(clock.Now), withMinWatch(time.Second))
	v := a.newVoter()
	vote := func(wait time.Duration) voteJSON {
		m := v.matchup()
		clock.Advance(wait)
		r := v.vote(m.ID, "a")
		if r.status != http.StatusOK {
			t.Fatalf("vote = %d %s", r.status, r.body)
		}
		var res voteJSON
		r.json(t, &res)
		return res
	}
	if res := vote(0); res.A != nil { // too fast: reveals nothing, spends nothing
		t.Errorf("a too-fast vote revealed %+v", res.A)
	}
	for i := range 2 {
		if res := vote(2 * time.Second); res.A == nil || res.B == nil {
			t.Fatalf("counted vote %d revealed nothing", i+1)
		}
	}
	r := vote(2 * time.Second)
	if r.A != nil || r.B != nil {
		t.Errorf("a vote over the budget revealed the models")
	}
	rows, _ := a.store.RecentVotes(t.Context(), "", 10)
	reasons := map[string]int{}
	for _, row := range rows {
		reasons[row.InvalidReason]++
	}
	if reasons[""] != 2 || reasons[models.ReasonTooFast] != 1 || reasons[models.ReasonAddressBudget] != 1 {
		t.Errorf("stored reasons %v, want 2 valid, 1 too_fast, 1 address_budget", reasons)
	}
	clock.Advance(24 * time.Hour)
	if res := vote(2 * time.Second); res.A == nil {
		t.Error("the next day's first vote did not count")
	}
}

// TestReveal_JSONOmitsModelsForUncountedVotes checks the wire format: no
// model name, slug or organization in the answer to a vote that does not
// count.
func TestReveal_JSONOmitsModelsForUncountedVotes(t *testing.T) {
	a := newTestApp(t, "", true, withMinWatch(time.Hour))
	v := a.newVoter()
	m := v.matchup()
	r := v.vote(m.ID, "b")
	var raw map[string]json.RawMessage
	r.json(t, &raw)
	if r.status != http.StatusOK || len(raw) != 1 || string(raw["choice"]) != `"b"` {
		t.Fatalf("too-fast vote answered %d %s, want only the choice", r.status, r.body)
	}
	// The plain form shows no names either.
	page := v.do(http.MethodPost, "/matchups/"+v.matchup().ID+"/vote", "application/x-www-form-urlencoded", strings.NewReader("choice=a"))
	if page.status != http.StatusOK || strings.Contains(string(page.body), `class="model-name"`) || !strings.Contains(string(page.body), "Your vote is recorded") {
		t.Errorf("form reveal of a too-fast vote: %d, names shown or no notice", page.status)
	}
}
