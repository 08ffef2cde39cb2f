package handlers

import (
	"context"
	"slices"
	"sync"

	"github.com/arena-video/arena/models"
)

// maxCachedModelBytes bounds the model page cache. Only models that exist
// get an entry, two each (page and JSON), about 80 KB for a model with 100
// opponents.
const maxCachedModelBytes = 32 << 20

// modelPageCache keeps each model's rendered page and JSON. Gathering a
// model's report reads every board of both pools, and rendering its chart
// and head-to-head table through html/template takes milliseconds; the
// result changes only with a new board or a reloaded catalog. An entry
// remembers the snapshot id of every board it read and the catalog
// version, and is used only while all of them are still current.
type modelPageCache struct {
	mu      sync.Mutex
	entries map[string]modelPageEntry // by kind and slug
	bytes   int
}

// boardDep is one board a model's report read: its pool and category and
// the id of the snapshot it was (0: none yet).
type boardDep struct {
	pool, category string
	id             uint
}

type modelPageEntry struct {
	catalog uint64
	deps    []boardDep
	body    []byte
}

func newModelPageCache() *modelPageCache {
	return &modelPageCache{entries: make(map[string]modelPageEntry)}
}

func (c *modelPageCache) get(key string) (modelPageEntry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	return e, ok
}

// put keeps e, whose body the cache now owns, under key.
func (c *modelPageCache) put(key string, e modelPageEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.bytes -= len(c.entries[key].body)
	if c.bytes+len(e.body) > maxCachedModelBytes {
		clear(c.entries) // rare, and the next requests fill it again
		c.bytes = 0
	}
	c.entries[key] = e
	c.bytes += len(e.body)
}

// modelBoards lists the boards a model's report reads, each with the id
// of its newest snapshot.
func (s *Server) modelBoards(ctx context.Context) ([]boardDep, error) {
	var deps []boardDep
	for _, pool := range models.Pools {
		cats, err := s.boards.Categories(ctx, pool)
		if err != nil {
			return nil, err
		}
		for _, cat := range append([]string{""}, cats...) {
			d := boardDep{pool: pool, category: cat}
			lb, ok, err := s.boards.Get(ctx, pool, cat)
			if err != nil {
				return nil, err
			}
			if ok {
				d.id = lb.SnapshotID
			}
			deps = append(deps, d)
		}
	}
	return deps, nil
}

// current reports whether every board an entry read is still the newest
// of its key. A new category's board comes with a new board of its pool,
// which the entry read, so checking the boards it read is enough.
func (s *Server) current(ctx context.Context, deps []boardDep) (bool, error) {
	for _, d := range deps {
		lb, ok, err := s.boards.Get(ctx, d.pool, d.category)
		if err != nil {
			return false, err
		}
		id := uint(0)
		if ok {
			id = lb.SnapshotID
		}
		if id != d.id {
			return false, nil
		}
	}
	return true, nil
}

// cachedModel returns a model's page or JSON (kind) from the cache, or
// builds it from the model's report and keeps it. The boards are listed
// before the report is gathered: a board stored meanwhile then makes the
// entry look older than it is, never newer.
func (s *Server) cachedModel(ctx context.Context, kind string, m models.Model, build func(modelReportJSON) ([]byte, error)) ([]byte, error) {
	catalog, err := s.store.CatalogVersion(ctx)
	if err != nil {
		return nil, err
	}
	key := kind + " " + m.Slug
	if e, ok := s.modelPages.get(key); ok && e.catalog == catalog {
		fresh, err := s.current(ctx, e.deps)
		if err != nil {
			return nil, err
		}
		if fresh {
			return e.body, nil
		}
	}
	deps, err := s.modelBoards(ctx)
	if err != nil {
		return nil, err
	}
	rep, err := s.modelReport(ctx, m)
	if err != nil {
		return nil, err
	}
	body, err := build(rep)
	if err != nil {
		return nil, err
	}
	s.modelPages.put(key, modelPageEntry{catalog: catalog, deps: slices.Clip(deps), body: body})
	return body, nil
}
