package handlers

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/arena-video/arena/models"
)

// adminRoute is one admin route with a concrete path to call it on.
type adminRoute struct {
	method, pattern, path string
}

func (r adminRoute) isAPI() bool { return strings.HasPrefix(r.path, "/api/") }

// adminRoutesTable lists every admin route; TestAdminRoutes_TableCoversEveryRoute
// keeps it complete.
var adminRoutesTable = []adminRoute{
	{"GET", "/admin", "/admin"},
	{"POST", "/admin/logout", "/admin/logout"},
	{"GET", "/admin/models", "/admin/models"},
	{"POST", "/admin/models", "/admin/models"},
	{"GET", "/admin/models/:slug", "/admin/models/alpha"},
	{"POST", "/admin/models/:slug", "/admin/models/alpha"},
	{"GET", "/admin/prompts", "/admin/prompts"},
	{"POST", "/admin/prompts", "/admin/prompts"},
	{"POST", "/admin/prompts/:id", "/admin/prompts/1"},
	{"GET", "/admin/clips", "/admin/clips"},
	{"GET", "/admin/coverage", "/admin/coverage"},
	{"POST", "/admin/clips", "/admin/clips"},
	{"POST", "/admin/clips/:id", "/admin/clips/AAAAAAAAAAAAAAAAAAAAAA"},
	{"GET", "/admin/clips/:id/original", "/admin/clips/AAAAAAAAAAAAAAAAAAAAAA/original"},
	{"POST", "/admin/clips/:id/restore", "/admin/clips/AAAAAAAAAAAAAAAAAAAAAA/restore"},
	{"GET", "/admin/votes", "/admin/votes"},
	{"POST", "/admin/voters/:id/invalidate", "/admin/voters/AAAAAAAAAAAAAAAAAAAAAA/invalidate"},
	{"POST", "/admin/voters/:id/restore", "/admin/voters/AAAAAAAAAAAAAAAAAAAAAA/restore"},
	{"POST", "/admin/recompute", "/admin/recompute"},
	{"GET", "/admin/audit", "/admin/audit"},
	{"GET", "/admin/audit.json", "/admin/audit.json"},
	{"GET", "/api/v1/admin/models", "/api/v1/admin/models"},
	{"POST", "/api/v1/admin/models", "/api/v1/admin/models"},
	{"PATCH", "/api/v1/admin/models/:slug", "/api/v1/admin/models/alpha"},
	{"POST", "/api/v1/admin/prompts", "/api/v1/admin/prompts"},
	{"PATCH", "/api/v1/admin/prompts/:id", "/api/v1/admin/prompts/1"},
	{"GET", "/api/v1/admin/clips", "/api/v1/admin/clips"},
	{"POST", "/api/v1/admin/clips", "/api/v1/admin/clips"},
	{"GET", "/api/v1/admin/coverage", "/api/v1/admin/coverage"},
	{"GET", "/api/v1/admin/coverage/gaps", "/api/v1/admin/coverage/gaps"},
	{"GET", "/api/v1/admin/clips/:id", "/api/v1/admin/clips/AAAAAAAAAAAAAAAAAAAAAA"},
	{"PATCH", "/api/v1/admin/clips/:id", "/api/v1/admin/clips/AAAAAAAAAAAAAAAAAAAAAA"},
	{"GET", "/api/v1/admin/votes", "/api/v1/admin/votes"},
	{"GET", "/api/v1/admin/integrity", "/api/v1/admin/integrity"},
	{"GET", "/api/v1/admin/prompts/health", "/api/v1/admin/prompts/health"},
	{"GET", "/api/v1/admin/prompts/health.csv", "/api/v1/admin/prompts/health.csv"},
	{"GET", "/api/v1/admin/blindness", "/api/v1/admin/blindness"},
	{"POST", "/api/v1/admin/voters/:id/invalidate", "/api/v1/admin/voters/AAAAAAAAAAAAAAAAAAAAAA/invalidate"},
	{"POST", "/api/v1/admin/voters/:id/restore", "/api/v1/admin/voters/AAAAAAAAAAAAAAAAAAAAAA/restore"},
	{"POST", "/api/v1/admin/recompute", "/api/v1/admin/recompute"},
	{"GET", "/api/v1/admin/audit", "/api/v1/admin/audit"},
}

func TestAdminRoutes_TableCoversEveryRoute(t *testing.T) {
	a := newAdminApp(t, adminOptions{})
	inTable := make(map[string]bool)
	for _, r := range adminRoutesTable {
		inTable[r.method+" "+r.pattern] = true
	}
	for _, r := range a.srv.echo.Routes() {
		if r.Path == "/admin/login" || !(strings.HasPrefix(r.Path, "/admin") || strings.HasPrefix(r.Path, "/api/v1/admin")) {
			continue
		}
		if !inTable[r.Method+" "+r.Path] {
			t.Errorf("admin route %s %s is missing from adminRoutesTable", r.Method, r.Path)
		}
	}
}

func TestAdminRoutes_RefuseTheUnauthenticated(t *testing.T) {
	a := newAdminApp(t, adminOptions{})
	a.seedCatalog()
	revoked := a.token()
	if _, err := a.store.RevokeAdminTokens(context.Background(), models.Actor{Name: "test"}, testAdminUser); err != nil {
		t.Fatal(err)
	}
	good := a.token()
	anon := a.bare()
	for _, r := range adminRoutesTable {
		t.Run(r.method+" "+r.path, func(t *testing.T) {
			for _, cred := range []struct {
				name string
				hdr  []string
			}{
				{"no session", nil},
				{"forged token", bearer("arena_" + strings.Repeat("A", 44))},
				{"revoked token", bearer(revoked)},
				{"not a bearer token", []string{"Authorization", "Basic cm9vdDpwdw=="}},
				{"forged cookie", []string{"Cookie", adminSessionName + "=MTc3fGZvcmdlZA=="}},
			} {
				res := anon.do(r.method, r.path, "application/json", strings.NewReader("{}"), cred.hdr...)
				if r.isAPI() {
					if res.status != http.StatusUnauthorized {
						t.Errorf("%s: status %d, want 401: %s", cred.name, res.status, res.body)
						continue
					}
					res.errorMessage(t)
				} else if res.status != http.StatusSeeOther || res.header.Get("Location") != "/admin/login" {
					t.Errorf("%s: status %d location %q, want a redirect to /admin/login", cred.name, res.status, res.header.Get("Location"))
				}
			}
			// A valid token opens the API but never the pages.
			res := anon.do(r.method, r.path, "application/json", strings.NewReader("{}"), bearer(good)...)
			if r.isAPI() && res.status == http.StatusUnauthorized {
				t.Errorf("valid token: 401 %s", res.body)
			}
			if !r.isAPI() && res.status != http.StatusSeeOther {
				t.Errorf("valid token on a page: status %d, want a redirect to sign in", res.status)
			}
		})
	}
}

func TestAdminRoutes_RefuseCrossOriginWrites(t *testing.T) {
	a := newAdminApp(t, adminOptions{})
	a.seedCatalog()
	browser := a.login()
	tok := a.token()
	for _, r := range adminRoutesTable {
		if r.method == http.MethodGet {
			continue
		}
		t.Run(r.method+" "+r.path, func(t *testing.T) {
			res := browser.do(r.method, r.path, "application/x-www-form-urlencoded", strings.NewReader("active=false&reason=x"), "Sec-Fetch-Site", "cross-site")
			if res.status != http.StatusForbidden {
				t.Errorf("session: status %d, want 403", res.status)
			}
			if r.isAPI() {
				hdr := append(bearer(tok), "Origin", "https://evil.example")
				res := a.bare().do(r.method, r.path, "application/json", strings.NewReader(`{}`), hdr...)
				if res.status != http.StatusForbidden {
					t.Errorf("token from another origin: status %d, want 403", res.status)
				}
			}
		})
	}
	// The cross-origin attempts changed nothing.
	if m, _ := a.store.ModelBySlug(context.Background(), "alpha"); !m.Active {
		t.Error("a cross-origin request deactivated a model")
	}
}

func TestAdminPages_RenderForASignedInAdmin(t *testing.T) {
	a := newAdminApp(t, adminOptions{})
	a.seedCatalog()
	v := a.login()
	for _, p := range []string{"/admin", "/admin/models", "/admin/models/alpha", "/admin/prompts", "/admin/clips", "/admin/clips?prompt=1", "/admin/votes", "/admin/audit"} {
		res := v.get(p)
		if res.status != http.StatusOK {
			t.Errorf("GET %s = %d %s", p, res.status, res.body)
			continue
		}
		if !strings.Contains(string(res.body), "Sign out "+testAdminUser) {
			t.Errorf("GET %s lacks the admin navigation", p)
		}
		if strings.Contains(string(res.body), "style=") || strings.Contains(string(res.body), "<script>") {
			t.Errorf("GET %s has inline style or script", p)
		}
	}
	// Without ffmpeg the clips page must say that clips cannot be ingested.
	noFF := newAdminApp(t, adminOptions{noFFmpeg: true})
	if res := noFF.login().get("/admin/clips"); !strings.Contains(string(res.body), "ffmpeg is not installed") || !strings.Contains(string(res.body), "cannot be ingested") {
		t.Error("the clips page does not say that clips cannot be ingested without ffmpeg")
	}
	// Sign-in itself is a form: another site cannot post it either.
	r := a.client().postForm("/admin/login", url.Values{"username": {testAdminUser}, "password": {testAdminPassword}}, "Sec-Fetch-Site", "cross-site")
	if r.status != http.StatusForbidden || adminCookie(r) != "" {
		t.Errorf("cross-site sign-in = %d, want 403 without a session", r.status)
	}
}

func TestLogin_SucceedsWithASecureCookie(t *testing.T) {
	a := newAdminApp(t, adminOptions{})
	v := a.client()
	if r := v.get("/admin/login"); r.status != http.StatusOK || !strings.Contains(string(r.body), `name="password"`) {
		t.Fatalf("login page = %d", r.status)
	}
	r := v.postForm("/admin/login", url.Values{"username": {testAdminUser}, "password": {testAdminPassword}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/admin" {
		t.Fatalf("login = %d %s", r.status, r.body)
	}
	var set string
	for _, h := range r.header.Values("Set-Cookie") {
		if strings.HasPrefix(h, adminSessionName+"=") {
			set = h
		}
	}
	for _, want := range []string{"HttpOnly", "SameSite=Strict", "Path=/", "Max-Age="} {
		if !strings.Contains(set, want) {
			t.Errorf("admin cookie %q lacks %s", set, want)
		}
	}
	if r := v.get("/admin"); r.status != http.StatusOK {
		t.Fatalf("dashboard after login = %d", r.status)
	}
	if r := v.get("/admin/login"); r.status != http.StatusSeeOther {
		t.Errorf("login page for a signed-in admin = %d, want a redirect to the dashboard", r.status)
	}
}

func TestLogin_WrongCredentialsAre401(t *testing.T) {
	a := newAdminApp(t, adminOptions{})
	for _, tc := range []struct{ user, pw string }{
		{testAdminUser, "wrong password!!"},
		{"nobody", testAdminPassword},
		{"", ""},
	} {
		r := a.client().postForm("/admin/login", url.Values{"username": {tc.user}, "password": {tc.pw}})
		if r.status != http.StatusUnauthorized || adminCookie(r) != "" {
			t.Errorf("%q/%q: status %d cookie %q, want 401 and no cookie", tc.user, tc.pw, r.status, adminCookie(r))
		}
	}
	es := webAudit(t, a.store)
	if len(es) != 3 || es[0].Action != "login.failed" {
		t.Errorf("audit log = %+v, want three failed sign-ins", es)
	}
}

func TestLogin_ThrottlesRepeatedFailures(t *testing.T) {
	a := newAdminApp(t, adminOptions{})
	v := a.client()
	try := func(user, pw string) response {
		return v.postForm("/admin/login", url.Values{"username": {user}, "password": {pw}})
	}
	for i := range loginPairLimit {
		if r := try(testAdminUser, "not the password"); r.status != http.StatusUnauthorized {
			t.Fatalf("failure %d: status %d", i+1, r.status)
		}
	}
	// Now even the right password is refused for this name from this
	// address; another name from the same address is still checked.
	r := try(testAdminUser, testAdminPassword)
	if r.status != http.StatusTooManyRequests {
		t.Fatalf("after %d failures: status %d, want 429", loginPairLimit, r.status)
	}
	secs, err := strconv.Atoi(r.header.Get("Retry-After"))
	if err != nil || secs <= 0 || secs > int(loginFailureWindow/time.Second) {
		t.Errorf("Retry-After = %q", r.header.Get("Retry-After"))
	}
	if r := try("someone-else", "not the password"); r.status != http.StatusUnauthorized {
		t.Errorf("another name from the address: status %d, want 401 (checked)", r.status)
	}
	a.clock.Advance(loginFailureWindow + time.Second)
	if r := try(testAdminUser, testAdminPassword); r.status != http.StatusSeeOther {
		t.Errorf("after the window: status %d, want a successful sign-in", r.status)
	}
}

func TestLoginThrottle_ReservesBeforeTheCheck(t *testing.T) {
	th := newLoginThrottle(time.Minute, false)
	now := time.Unix(1e9, 0)
	keys := loginKeys("192.0.2.1", "root")
	var held []*loginAttempt
	for range loginPairLimit {
		at, wait := th.reserve(now, keys)
		if at == nil {
			t.Fatalf("attempt refused (wait %v) with %d in flight", wait, len(held))
		}
		held = append(held, at)
	}
	// Five attempts in flight and none decided: the sixth waits.
	if at, wait := th.reserve(now, keys); at != nil || wait != loginBusyRetry {
		t.Fatalf("sixth concurrent attempt: %v, wait %v; want refused for %v", at, wait, loginBusyRetry)
	}
	for _, at := range held {
		at.failed(now)
	}
	if _, wait := th.reserve(now.Add(30*time.Second), keys); wait != 30*time.Second {
		t.Errorf("wait = %v, want 30s until the first failure leaves the window", wait)
	}
	// The same name from another address, and another name from this one,
	// are not locked.
	if at, _ := th.reserve(now, loginKeys("192.0.2.2", "root")); at == nil {
		t.Error("the name is locked for every address")
	}
	alice, _ := th.reserve(now, loginKeys("192.0.2.1", "alice"))
	if alice == nil {
		t.Fatal("another name from the address is locked")
	}
	alice.failed(now)
	// A cancelled attempt counts nothing.
	k2 := loginKeys("192.0.2.9", "root")
	for range 2 * loginPairLimit {
		at, _ := th.reserve(now, k2)
		at.cancel()
	}
	// The address limit holds across names.
	for i := range loginAddressLimit - loginPairLimit - 1 { // spent above on root and alice
		at, wait := th.reserve(now, loginKeys("192.0.2.1", "name"+strconv.Itoa(i)))
		if at == nil {
			t.Fatalf("name %d refused early (wait %v)", i, wait)
		}
		at.failed(now)
	}
	if at, _ := th.reserve(now, loginKeys("192.0.2.1", "yet-another")); at != nil {
		t.Errorf("address past its %d failures still gets checks", loginAddressLimit)
	}
}

func TestLogin_RenewsTheSession(t *testing.T) {
	a := newAdminApp(t, adminOptions{})
	v := a.client()
	first := v.postForm("/admin/login", url.Values{"username": {testAdminUser}, "password": {testAdminPassword}})
	second := v.postForm("/admin/login", url.Values{"username": {testAdminUser}, "password": {testAdminPassword}})
	c1, c2 := adminCookie(first), adminCookie(second)
	if c1 == "" || c2 == "" || c1 == c2 {
		t.Fatalf("cookies %q and %q: want two different values", c1, c2)
	}
	if r := a.bare().get("/admin", "Cookie", adminSessionName+"="+c1); r.status != http.StatusSeeOther {
		t.Errorf("the cookie from before the new sign-in still opens the dashboard: %d", r.status)
	}
	if r := a.bare().get("/admin", "Cookie", adminSessionName+"="+c2); r.status != http.StatusOK {
		t.Errorf("the new cookie does not open the dashboard: %d", r.status)
	}
}

func TestLogout_EndsTheSessionForGood(t *testing.T) {
	a := newAdminApp(t, adminOptions{})
	v := a.client()
	c := adminCookie(v.postForm("/admin/login", url.Values{"username": {testAdminUser}, "password": {testAdminPassword}}))
	if r := v.postForm("/admin/logout", nil); r.status != http.StatusSeeOther || r.header.Get("Location") != "/admin/login" {
		t.Fatalf("logout = %d", r.status)
	}
	if r := a.bare().get("/admin", "Cookie", adminSessionName+"="+c); r.status != http.StatusSeeOther {
		t.Errorf("a replayed cookie opens the dashboard after logout: %d", r.status)
	}
}

func TestAdminSession_ExpiresWhenIdleAndAtItsEnd(t *testing.T) {
	a := newAdminApp(t, adminOptions{})
	idle := a.login()
	a.clock.Advance(adminIdle + time.Second)
	if r := idle.get("/admin"); r.status != http.StatusSeeOther {
		t.Errorf("after %v idle: status %d, want a redirect to sign in", adminIdle, r.status)
	}

	busy := a.login()
	for elapsed := time.Duration(0); elapsed < adminMaxAge-time.Hour; elapsed += time.Hour {
		a.clock.Advance(time.Hour)
		if r := busy.get("/admin"); r.status != http.StatusOK {
			t.Fatalf("active session refused after %v: %d", elapsed+time.Hour, r.status)
		}
	}
	a.clock.Advance(time.Hour)
	if r := busy.get("/admin"); r.status != http.StatusSeeOther {
		t.Errorf("after %v a busy session still works: %d", adminMaxAge, r.status)
	}
}
