package handlers

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/arena-video/arena/models"
)

func withPasswordCost(c int) appOption { return func(o *models.Options) { o.PasswordCost = c } }

// TestCookies_HostPrefixOverHTTPS: behind an https public URL the voter's
// and the admin's cookies are __Host- cookies (Secure, Path=/, no Domain),
// and they work when sent back; over plain http the names stay as they
// were. Runs on both databases.
func TestCookies_HostPrefixOverHTTPS(t *testing.T) {
	for _, tc := range []struct {
		publicURL, voter, admin string
	}{
		{"https://arena.example.org", "__Host-arena", "__Host-arena_admin"},
		{"", "arena", "arena_admin"},
	} {
		a := newConfiguredApp(t, "", true, func(c *Config) { c.PublicURL = tc.publicURL }, withPasswordCost(bcrypt.MinCost))
		if _, err := a.store.CreateAdmin(context.Background(), models.Actor{Name: "test"}, testAdminUser, testAdminPassword); err != nil {
			t.Fatal(err)
		}
		v := a.newVoter()
		r := v.get("/")
		set := cookieHeader(r, tc.voter)
		if set == "" {
			t.Fatalf("%q: no %s cookie in %q", tc.publicURL, tc.voter, r.header.Values("Set-Cookie"))
		}
		if tc.publicURL != "" {
			for _, want := range []string{"Secure", "Path=/", "HttpOnly"} {
				if !strings.Contains(set, want) {
					t.Errorf("voter cookie %q lacks %s", set, want)
				}
			}
			if strings.Contains(set, "Domain=") {
				t.Errorf("voter cookie %q names a domain", set)
			}
		}
		// Sent back by hand (the jar keeps Secure cookies from http), it
		// names the same voter: no new cookie is set.
		value := strings.SplitN(strings.SplitN(set, ";", 2)[0], "=", 2)[1]
		bare := &voter{t: t, app: a, client: &http.Client{
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}}
		r = bare.postJSON("/api/v1/matchups", "", "Cookie", tc.voter+"="+value)
		if r.status != http.StatusCreated || cookieHeader(r, tc.voter) != "" {
			t.Errorf("%q: matchup with the cookie = %d, new cookie %q", tc.publicURL, r.status, cookieHeader(r, tc.voter))
		}
		r = bare.do(http.MethodPost, "/admin/login", "application/x-www-form-urlencoded",
			strings.NewReader(url.Values{"username": {testAdminUser}, "password": {testAdminPassword}}.Encode()))
		if cookieHeader(r, tc.admin) == "" {
			t.Errorf("%q: admin sign-in set %q, want a %s cookie", tc.publicURL, r.header.Values("Set-Cookie"), tc.admin)
		}
	}
}

// cookieHeader returns the Set-Cookie line of the named cookie, or "".
func cookieHeader(r response, name string) string {
	for _, h := range r.header.Values("Set-Cookie") {
		if strings.HasPrefix(h, name+"=") {
			return h
		}
	}
	return ""
}

// TestCookieValue_AsNetHTTPReadsIt: the voter cookie cache is looked up
// with the value net/http would read, or with one it would not read at
// all (then the caller asks net/http).
func TestCookieValue_AsNetHTTPReadsIt(t *testing.T) {
	for _, tc := range []struct {
		name    string
		headers []string
		want    string
	}{
		{"alone", []string{"arena=MTIz"}, "MTIz"},
		{"among others", []string{"theme=dark; arena=MTIz; x=1"}, "MTIz"},
		{"spaces", []string{"theme=dark;   arena=MTIz  ;x=1"}, "MTIz"},
		{"second header", []string{"theme=dark", "arena=MTIz"}, "MTIz"},
		{"first of two", []string{"arena=MTIz; arena=NDU2"}, "MTIz"},
		{"longer name", []string{"xarena=NDU2; arena_x=1; arena=MTIz"}, "MTIz"},
		{"host prefix is another name", []string{"__Host-arena=NDU2"}, ""},
		{"no value", []string{"arena"}, ""},
		{"empty value", []string{"arena="}, ""},
		{"none", nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			for _, h := range tc.headers {
				r.Header.Add("Cookie", h)
			}
			got := cookieValue(r.Header, "arena")
			if got != tc.want {
				t.Errorf("cookieValue = %q, want %q", got, tc.want)
			}
			if ck, err := r.Cookie("arena"); err == nil && ck.Value != got {
				t.Errorf("net/http reads %q, cookieValue %q", ck.Value, got)
			}
		})
	}
}
