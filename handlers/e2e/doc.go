// Package e2e holds Arena's end-to-end tests: they run the real server over
// httptest on a demo-seeded SQLite file and drive Debian's Chromium
// (/usr/bin/chromium) with chromedp, as a voter and an admin would.
//
// Every test starts its own Chromium and runs in parallel with the others:
// most of their time is spent watching clips play in real time. The tests
// skip when Chromium is absent or with -short. They save
// screenshots into ARENA_E2E_ARTIFACTS (default: a temp dir per test), and
// ARENA_E2E_SCREENSHOTS=static/screenshots refreshes the pictures README.md
// shows:
//
//	ARENA_E2E_SCREENSHOTS=static/screenshots go test ./handlers/e2e/
package e2e
