package handlers

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/arena-video/arena/static"
)

// TestLogin_AFloodCannotLockTheAdminOut sends 200 concurrent wrong
// passwords for the real admin from one address, then from 200 addresses of
// one IPv6 /64: each time at most loginPairLimit are checked (401), the rest
// are refused before bcrypt (429), and the admin still signs in from
// elsewhere.
func TestLogin_AFloodCannotLockTheAdminOut(t *testing.T) {
	for _, tc := range []struct {
		name string
		addr func(i int) string
	}{
		{"one IPv4 address", func(int) string { return "203.0.113.7" }},
		{"200 addresses in one /64", func(i int) string { return fmt.Sprintf("2001:db8:1:2::%x", i+1) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := newAdminApp(t, adminOptions{proxies: true})
			var (
				wg     sync.WaitGroup
				mu     sync.Mutex
				counts = map[int]int{}
				errs   []string // requests that got no answer (the client gives up after 60 s)
			)
			for i := range 200 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					form := url.Values{"username": {testAdminUser}, "password": {"wrong guess " + fmt.Sprint(i)}}
					r, err := a.bare().send(http.MethodPost, "/admin/login", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()),
						"X-Forwarded-For", tc.addr(i))
					mu.Lock()
					defer mu.Unlock()
					if err != nil {
						errs = append(errs, err.Error())
						return
					}
					counts[r.status]++
				}()
			}
			wg.Wait()
			if len(errs) > 0 {
				t.Fatalf("%d sign-ins got no answer (statuses of the others %v), the first: %s", len(errs), counts, errs[0])
			}
			if counts[http.StatusUnauthorized] > loginPairLimit || counts[http.StatusUnauthorized]+counts[http.StatusTooManyRequests] != 200 {
				t.Fatalf("statuses %v: want at most %d checked (401) and the rest 429", counts, loginPairLimit)
			}
			r := a.bare().postForm("/admin/login", url.Values{"username": {testAdminUser}, "password": {testAdminPassword}},
				"X-Forwarded-For", "198.51.100.20")
			if r.status != http.StatusSeeOther {
				t.Fatalf("the admin from another address: %d, want a sign-in", r.status)
			}
		})
	}
}

func TestLogin_RefusesAnOversizedForm(t *testing.T) {
	a := newAdminApp(t, adminOptions{})
	body := url.Values{"username": {testAdminUser}, "password": {strings.Repeat("x", 20<<10)}}.Encode()
	r := a.bare().do(http.MethodPost, "/admin/login", "application/x-www-form-urlencoded", strings.NewReader(body))
	if r.status != http.StatusRequestEntityTooLarge {
		t.Fatalf("20 KB sign-in form: %d, want 413", r.status)
	}
}

// loopback is the trusted proxy of tests that name the client in
// X-Forwarded-For.
func loopback() []*net.IPNet {
	_, n, _ := net.ParseCIDR("127.0.0.0/8")
	_, n6, _ := net.ParseCIDR("::1/128")
	return []*net.IPNet{n, n6}
}

func TestModeration_AcceptsTheDemoVoter(t *testing.T) {
	a := newAdminApp(t, adminOptions{})
	ctx := t.Context()
	if _, err := static.SeedDemo(ctx, a.store, a.blobs); err != nil {
		t.Fatal(err)
	}
	if err := a.store.SeedDemoVotes(ctx, 40, 1); err != nil {
		t.Fatal(err)
	}
	tok := a.token()
	for _, action := range []string{"invalidate", "restore"} {
		r := a.bare().do(http.MethodPost, "/api/v1/admin/voters/"+url.PathEscape("demo:seed")+"/"+action, "application/json",
			strings.NewReader(`{"reason":"demo data"}`), bearer(tok)...)
		if r.status != http.StatusOK || !strings.Contains(string(r.body), `"changed":40`) {
			t.Fatalf("%s demo:seed = %d %s, want 40 votes changed", action, r.status, r.body)
		}
	}
	adm := a.login()
	if r := adm.postForm("/admin/voters/demo:seed/invalidate", url.Values{"reason": {"demo data"}}); r.status != http.StatusSeeOther {
		t.Fatalf("form invalidate demo:seed = %d %s", r.status, r.body)
	}
}
