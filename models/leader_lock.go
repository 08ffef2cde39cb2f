package models

import "context"

// WithLeaderLock runs fn as the one instance doing the named work. SQLite has
// a single writing process, so fn simply runs; the PostgreSQL build replaces
// this with an advisory lock and returns ran false when another instance
// holds it.
func (s *Store) WithLeaderLock(ctx context.Context, name string, fn func() error) (ran bool, err error) {
	return true, fn()
}
