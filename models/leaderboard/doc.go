// Package leaderboard keeps Arena's rankings: it fits a leaderboard per pool
// and category from the valid votes (with the pure math of models/rating),
// stores each as a snapshot, keeps the newest ones parsed in memory, answers
// rank look-ups and pair weights from them, fills in the 7-day rank change,
// thins the snapshot history, ranks one voter's own votes and schedules the
// background recompute.
//
// It reads vote tallies and reads and writes snapshots through Source, an
// interface *models.Store satisfies, so it can be tested without HTTP and
// never builds SQL. Source is three narrower ones (see source.go), one per
// consumer: BoardSource for the current boards, HistorySource for history
// and rank events, RecomputeSource for the Recomputer. The wire formats (the public JSON and CSV) belong to
// the handlers package.
package leaderboard
