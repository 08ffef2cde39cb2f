package handlers

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/arena-video/arena/models"
	"github.com/arena-video/arena/models/rating"
	"github.com/arena-video/arena/models/testclock"
)

// The attack simulation: honest voters from 50 addresses vote by known true
// scores while two vote farms push the weakest model, everything through
// the real router with the default limits and budgets, a fake clock and the
// integrity check every two simulated minutes as arena serve runs it.
//
//   - farm 1 runs from one IPv4 address: it knows which model made every
//     clip, asks for matchups as fast as one voter may (60 a minute),
//     downloads both clips of those showing its target, waits out the
//     minimum watch time, votes for the target and skips the rest; it takes
//     a new cookie after 29 votes or as soon as a vote is not counted.
//   - farm 2 does the same from an IPv6 /48, two cookies at a time, each on a
//     /64 of its own.
//
// ARENA_ATTACK_SIM_MINUTES sets the simulated time (default 30 minutes,
// 10 under the race detector, which makes every request several times
// slower); the README's table comes from 180.
func TestAttackSimulation(t *testing.T) {
	if testing.Short() {
		t.Skip("the attack simulation takes a minute")
	}
	minutes := 30
	if raceEnabled {
		minutes = 10
	}
	if v := os.Getenv("ARENA_ATTACK_SIM_MINUTES"); v != "" {
		m, err := strconv.Atoi(v)
		if err != nil || m < 1 {
			t.Fatalf("ARENA_ATTACK_SIM_MINUTES=%q", v)
		}
		minutes = m
	}
	sim := newAttackSim(t)
	ticks := minutes * 6 // of 10 simulated seconds
	for tick := range ticks {
		sim.tick(tick)
	}
	sim.check()
	r := sim.report()
	t.Logf("simulated %d min: honest votes %d (%d wrongly invalidated, %.2f%%); farm votes %d, counted %d (%.2f%%); "+
		"target %s score %.1f with the farms' counted votes, %.1f without: shift %+.1f against a 95%% half-width of %.1f",
		minutes, r.honest, r.honestInvalid, 100*r.honestInvalidShare(), r.farm, r.farmCounted, 100*r.farmCountedShare(),
		sim.target, r.score, r.honestScore, r.score-r.honestScore, r.halfWidth)
	for reason, n := range r.farmReasons {
		t.Logf("farm votes not counted as %s: %d", reason, n)
	}
	if r.farm == 0 || r.honest == 0 {
		t.Fatalf("nothing voted: %+v", r)
	}
	if share := r.farmCountedShare(); share >= 0.05 {
		t.Errorf("%.1f%% of farm votes counted, want under 5%%", 100*share)
	}
	if share := r.honestInvalidShare(); share >= 0.01 {
		t.Errorf("%.2f%% of honest votes invalidated, want under 1%%", 100*share)
	}
	if shift := math.Abs(r.score - r.honestScore); shift >= r.halfWidth {
		t.Errorf("target moved %.1f points, not less than the interval half-width %.1f", shift, r.halfWidth)
	}
}

// trueScores are the honest voters' preferences; the farms push the last.
var trueScores = map[string]float64{
	"demo-aurora": 1150, "demo-basalt": 1080, "demo-cirrus": 1000, "demo-dune": 930, "demo-ember": 840,
}

type attackSim struct {
	t      *testing.T
	app    *testApp
	clock  *testclock.Clock
	rng    *rand.Rand
	target string
	// modelOf maps a clip URL to its model's slug: what the farms learned
	// from reveals before the defences, and what honest voters' taste sees.
	modelOf map[string]string
	honest  []*simVoter
	farms   []*simFarm
	// honestVotes and farmVotes are the matchup ids each side voted on.
	honestVotes, farmVotes map[string]bool
}

// simVoter is one browser: a cookie jar, an address and the clips it has.
type simVoter struct {
	v       *voter
	addr    string
	fetched map[string]bool
}

// simFarm is one farm: its current cookies and how many votes each cast.
type simFarm struct {
	name    string
	addr    func(i int) string // the address of its i-th cookie
	slots   []*simVoter
	votes   []int
	cookies int
}

func newAttackSim(t *testing.T) *attackSim {
	clock := testclock.New(time.Date(2026, 3, 2, 6, 0, 0, 0, time.UTC))
	app := newConfiguredApp(t, "", true, func(c *Config) {
		c.RateLimit = RateLimit{Events: 60, Per: time.Minute}
		c.Budgets = models.NewMemoryBudgets(models.BudgetLimits{
			NewVotersPerHour: models.DefaultNewVotersPerHour, VotesPerDay: models.DefaultVotesPerDay})
		c.TrustedProxies = loopback()
		c.Now = clock.Now
	}, withClock(clock.Now), withMinWatch(3*time.Second), withClipFetch())
	sim := &attackSim{t: t, app: app, clock: clock, rng: rand.New(rand.NewPCG(16, 17)), target: "demo-ember",
		modelOf: map[string]string{}, honestVotes: map[string]bool{}, farmVotes: map[string]bool{}}
	ctx := context.Background()
	ms, err := app.store.ListModels(ctx)
	if err != nil {
		t.Fatal(err)
	}
	slug := map[uint]string{}
	for _, m := range ms {
		slug[m.ID] = m.Slug
	}
	clips, err := app.store.ListClips(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range clips {
		sim.modelOf[mediaURL(c)] = slug[c.ModelID]
	}
	for i := range 50 {
		sim.honest = append(sim.honest, sim.newVoter(fmt.Sprintf("198.51.%d.%d", 100+i/200, 1+i%200)))
	}
	sim.farms = []*simFarm{
		{name: "ipv4", addr: func(int) string { return "203.0.113.7" }, slots: make([]*simVoter, 1), votes: make([]int, 1)},
		{name: "ipv6-48", addr: func(i int) string { return fmt.Sprintf("2001:db8:bad:%x::1", i) }, slots: make([]*simVoter, 2), votes: make([]int, 2)},
	}
	return sim
}

func (s *attackSim) newVoter(addr string) *simVoter {
	jar, _ := cookiejar.New(nil)
	return &simVoter{addr: addr, fetched: map[string]bool{},
		v: &voter{t: s.t, app: s.app, client: &http.Client{Jar: jar, Timeout: 30 * time.Second}}}
}

// matchup asks for a matchup; ok is false on 429.
func (v *simVoter) matchup(t *testing.T) (matchupJSON, bool) {
	r := v.v.postJSON("/api/v1/matchups", "", "X-Forwarded-For", v.addr)
	if r.status == http.StatusTooManyRequests {
		return matchupJSON{}, false
	}
	if r.status != http.StatusCreated {
		t.Fatalf("matchup = %d %s", r.status, r.body)
	}
	var m matchupJSON
	r.json(t, &m)
	return m, true
}

// fetch downloads the clips of m the voter does not have yet.
func (v *simVoter) fetch(t *testing.T, m matchupJSON) {
	for _, u := range []string{m.A.VideoURL, m.B.VideoURL} {
		if v.fetched[u] {
			continue
		}
		if r := v.v.get(u, "X-Forwarded-For", v.addr); r.status != http.StatusOK {
			t.Fatalf("GET %s = %d", u, r.status)
		}
		v.fetched[u] = true
	}
}

// vote votes and reports whether the vote was counted (the reveal came).
func (v *simVoter) vote(t *testing.T, id, choice string) bool {
	r := v.v.postJSON("/api/v1/matchups/"+id+"/vote", `{"choice":"`+choice+`"}`, "X-Forwarded-For", v.addr)
	if r.status != http.StatusOK {
		t.Fatalf("vote = %d %s", r.status, r.body)
	}
	var res voteJSON
	r.json(t, &res)
	return res.A != nil
}

// tick plays 10 simulated seconds: a sixth of the honest voters take a
// matchup (each votes about once a minute, skipping one in ten), each farm
// cookie asks for 10 matchups (its 60 a minute), then 5 seconds later the
// votes go in.
func (s *attackSim) tick(n int) {
	t := s.t
	type pending struct {
		sv     *simVoter
		m      matchupJSON
		farm   *simFarm
		slot   int
		choice string
	}
	var todo []pending
	for i, h := range s.honest {
		if i%6 != n%6 {
			continue
		}
		m, ok := h.matchup(t)
		if !ok || s.rng.Float64() < 0.1 {
			continue // refused, or skipped
		}
		h.fetch(t, m)
		todo = append(todo, pending{sv: h, m: m, choice: s.honestChoice(m)})
	}
	for _, f := range s.farms {
		for slot := range f.slots {
			for range 10 {
				if f.slots[slot] == nil {
					f.slots[slot] = s.newVoter(f.addr(f.cookies))
					f.votes[slot] = 0
					f.cookies++
				}
				sv := f.slots[slot]
				m, ok := sv.matchup(t)
				if !ok {
					if !sv.hasCookie() {
						f.slots[slot] = nil // no new voter allowed now
					}
					break
				}
				choice := ""
				switch s.target {
				case s.modelOf[m.A.VideoURL]:
					choice = "a"
				case s.modelOf[m.B.VideoURL]:
					choice = "b"
				}
				if choice == "" {
					continue // not the target: skip
				}
				sv.fetch(t, m)
				todo = append(todo, pending{sv: sv, m: m, farm: f, slot: slot, choice: choice})
			}
		}
	}
	s.clock.Advance(5 * time.Second)
	for _, p := range todo {
		counted := p.sv.vote(t, p.m.ID, p.choice)
		if p.farm == nil {
			s.honestVotes[p.m.ID] = true
			continue
		}
		s.farmVotes[p.m.ID] = true
		if p.farm.slots[p.slot] != p.sv {
			continue // the cookie was already dropped
		}
		p.farm.votes[p.slot]++
		if !counted || p.farm.votes[p.slot] >= 29 {
			p.farm.slots[p.slot] = nil // a fresh cookie next time
		}
	}
	s.clock.Advance(5 * time.Second)
	if n%12 == 11 {
		s.check()
	}
}

// hasCookie reports whether the server ever gave this voter a cookie.
func (v *simVoter) hasCookie() bool {
	u := v.v.app.ts.URL
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	return len(v.v.client.Jar.Cookies(req.URL)) > 0
}

// honestChoice votes by the true scores, with a tie one time in ten.
func (s *attackSim) honestChoice(m matchupJSON) string {
	if s.rng.Float64() < 0.1 {
		return "tie"
	}
	p := rating.WinProbability(trueScores[s.modelOf[m.A.VideoURL]], trueScores[s.modelOf[m.B.VideoURL]])
	if s.rng.Float64() < p {
		return "a"
	}
	return "b"
}

// check runs what arena serve runs every two minutes.
func (s *attackSim) check() {
	ctx := context.Background()
	if _, err := s.app.store.CheckIntegrity(ctx, s.app.srv.boards.Scores(ctx)); err != nil {
		s.t.Fatal(err)
	}
	if _, err := s.app.srv.boards.Recompute(ctx, true); err != nil {
		s.t.Fatal(err)
	}
}

type simReport struct {
	honest, honestInvalid, farm, farmCounted int
	farmReasons                              map[string]int
	score, honestScore, halfWidth            float64
}

func (r simReport) farmCountedShare() float64 {
	return float64(r.farmCounted) / float64(max(r.farm, 1))
}
func (r simReport) honestInvalidShare() float64 {
	return float64(r.honestInvalid) / float64(max(r.honest, 1))
}

// report counts the votes and fits the t2v board twice: on every counted
// vote, and on the honest voters' counted votes alone.
func (s *attackSim) report() simReport {
	rows, err := s.app.store.RecentVotes(context.Background(), "", 1<<30)
	if err != nil {
		s.t.Fatal(err)
	}
	r := simReport{farmReasons: map[string]int{}}
	index := map[string]int{}
	for slug := range trueScores {
		index[slug] = len(index)
	}
	all, honest := rating.NewCounts(len(index)), rating.NewCounts(len(index))
	outcome := map[string]rating.Outcome{"a": rating.OutcomeA, "b": rating.OutcomeB, "tie": rating.OutcomeTie, "both_bad": rating.OutcomeBothBad}
	for _, v := range rows {
		isHonest, isFarm := s.honestVotes[v.MatchupID], s.farmVotes[v.MatchupID]
		switch {
		case isHonest:
			r.honest++
			if !v.Valid {
				r.honestInvalid++
			}
		case isFarm:
			r.farm++
			if v.Valid {
				r.farmCounted++
			} else {
				r.farmReasons[v.InvalidReason]++
			}
		}
		if !v.Valid || v.Pool != models.PoolT2V || (!isHonest && !isFarm) {
			continue
		}
		all.Add(index[v.ModelA], index[v.ModelB], outcome[v.Choice], 1)
		if isHonest {
			honest.Add(index[v.ModelA], index[v.ModelB], outcome[v.Choice], 1)
		}
	}
	opts := rating.DefaultOptions()
	withFarm, err := rating.Compute(all, opts)
	if err != nil {
		s.t.Fatal(err)
	}
	without, err := rating.Compute(honest, opts)
	if err != nil {
		s.t.Fatal(err)
	}
	i := index[s.target]
	r.score, r.honestScore = withFarm.Models[i].Score, without.Models[i].Score
	r.halfWidth = (withFarm.Models[i].Upper - withFarm.Models[i].Lower) / 2
	return r
}
