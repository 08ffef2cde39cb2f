package handlers

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/arena-video/arena/models"
	"github.com/arena-video/arena/models/media"
	"github.com/arena-video/arena/models/testdb"
)

// TestLogin_ThrottleHoldsAcrossInstances runs two servers, each with its own
// Store, on one PostgreSQL database: wrong passwords for one username from
// one address, spread over both, are limited once for the deployment.
func TestLogin_ThrottleHoldsAcrossInstances(t *testing.T) {
	if testdb.Backend() != "postgres" {
		t.Skip("the sign-in throttle is shared through PostgreSQL; SQLite runs one instance")
	}
	ctx := context.Background()
	dir := t.TempDir()
	dsn := testdb.DSN(t, dir)
	blobs, err := media.NewStore(dir, media.StoreOptions{DisableFFmpeg: true})
	if err != nil {
		t.Fatal(err)
	}
	var urls []string
	for i := range 2 {
		store, err := models.Open(ctx, models.Options{DSN: dsn, Logger: slog.New(slog.DiscardHandler), PasswordCost: bcrypt.MinCost})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { store.Close() })
		if i == 0 {
			if _, err := store.CreateAdmin(ctx, models.Actor{Name: "test"}, testAdminUser, testAdminPassword); err != nil {
				t.Fatal(err)
			}
		}
		srv, err := New(Config{Store: store, Blobs: blobs, SessionKeys: testKeys(), Logger: slog.New(slog.DiscardHandler), SharedLimits: store.SharedLimits()})
		if err != nil {
			t.Fatal(err)
		}
		ts := httptest.NewServer(srv)
		t.Cleanup(ts.Close)
		urls = append(urls, ts.URL)
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	login := func(instance int, password string) int {
		t.Helper()
		res, err := client.PostForm(urls[instance]+"/admin/login", url.Values{"username": {testAdminUser}, "password": {password}})
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if got := login(1, testAdminPassword); got != http.StatusSeeOther {
		t.Fatalf("right password = %d, want 303", got)
	}
	for i := range loginPairLimit {
		if got := login(i%2, "wrong"+strings.Repeat("!", i)); got != http.StatusUnauthorized {
			t.Fatalf("wrong password %d = %d, want 401", i+1, got)
		}
	}
	for instance := range 2 {
		if got := login(instance, testAdminPassword); got != http.StatusTooManyRequests {
			t.Errorf("after %d failures spread over both instances, instance %d answered %d, want 429", loginPairLimit, instance+1, got)
		}
	}
}
