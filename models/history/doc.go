// Package history holds the pure parts of a leaderboard's past: where the
// boards of a rebuilt history fall in time (Boundaries), and what changed
// between two successive boards of a pool (Changes), which is what the rank
// feed publishes. It knows nothing of databases or HTTP; the store feeds it
// counted votes and stored boards.
package history
