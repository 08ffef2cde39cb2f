package models

import (
	"context"
	"fmt"
	"sort"
	"sync/atomic"
	"time"
)

// catalog is an in-memory copy of what matchups are made of: every model,
// and the active clips of active models and prompts, grouped by pool and
// prompt. Issuing a matchup reads it instead of scanning the clips table. It
// is rebuilt after every admin change made through this Store, and at least
// every CatalogMaxAge so changes made by another process show up too.
type catalog struct {
	loadedAt time.Time
	version  uint64 // see CatalogVersion
	models   map[uint]Model
	prompts  map[uint]Prompt
	clips    map[uint]Clip
	// byPublicID finds a clip (active or not) for the media route.
	byPublicID map[string]Clip
	// pools maps a pool to its prompts with clips from at least two active models.
	pools map[string][]catalogPrompt
	// changes is the database's change counter read before the load, and
	// checkedAt (unix nanoseconds) when it was last found unchanged.
	changes   int64
	checkedAt atomic.Int64
	// derived is computed from the above when first asked for.
	derived catalogDerived
}

type catalogPrompt struct {
	prompt Prompt
	clips  []Clip // active clips of active models, ordered by id
}

// CatalogVersion numbers the catalog in use: it changes whenever the
// catalog is loaded again (after an admin change, and at least every
// CatalogMaxAge), so whatever was derived from the models, prompts and clips
// under one version can be kept until the version changes.
func (s *Store) CatalogVersion(ctx context.Context) (uint64, error) {
	c, err := s.catalog(ctx)
	if err != nil {
		return 0, err
	}
	return c.version, nil
}

// invalidate drops the catalog so the next reader rebuilds it.
func (s *Store) invalidate() { s.cat.cur.Store(nil) }

// catalog returns a fresh enough catalog. One older than CatalogMaxAge is
// kept when the database's change counter has not moved since it was
// loaded (another process may have changed the tables), and reloaded
// otherwise.
func (s *Store) catalog(ctx context.Context) (*catalog, error) {
	if c := s.cat.cur.Load(); c != nil && s.now().Sub(c.checked()) < s.cat.maxAge {
		return c, nil
	}
	s.cat.mu.Lock()
	defer s.cat.mu.Unlock()
	c := s.cat.cur.Load()
	if c != nil && s.now().Sub(c.checked()) < s.cat.maxAge {
		return c, nil
	}
	// The counter is read before the tables, so a change made while they
	// are read moves it past the value kept, and the next check reloads.
	var changes []int64
	if err := s.db.r.WithContext(ctx).Raw(`SELECT n FROM catalog_changes WHERE id = 1`).Scan(&changes).Error; err != nil {
		return nil, fmt.Errorf("read catalog changes: %w", err)
	}
	if c != nil && len(changes) == 1 && changes[0] == c.changes {
		c.checkedAt.Store(s.now().UnixNano())
		return c, nil
	}
	c, err := s.loadCatalog(ctx)
	if err != nil {
		return nil, err
	}
	if len(changes) == 1 {
		c.changes = changes[0]
	}
	s.cat.cur.Store(c)
	return c, nil
}

// checked is when the catalog was last known to match the database.
func (c *catalog) checked() time.Time {
	if t := c.checkedAt.Load(); t > 0 {
		return time.Unix(0, t)
	}
	return c.loadedAt
}

func (s *Store) loadCatalog(ctx context.Context) (*catalog, error) {
	db := s.db.r.WithContext(ctx)
	var (
		models  []Model
		prompts []Prompt
		clips   []Clip
	)
	if err := db.Order("id").Find(&models).Error; err != nil {
		return nil, fmt.Errorf("load models: %w", err)
	}
	if err := db.Order("id").Find(&prompts).Error; err != nil {
		return nil, fmt.Errorf("load prompts: %w", err)
	}
	if err := db.Order("id").Find(&clips).Error; err != nil {
		return nil, fmt.Errorf("load clips: %w", err)
	}
	c := &catalog{
		loadedAt:   s.now(),
		version:    s.cat.loads.Add(1),
		models:     make(map[uint]Model, len(models)),
		prompts:    make(map[uint]Prompt, len(prompts)),
		clips:      make(map[uint]Clip, len(clips)),
		byPublicID: make(map[string]Clip, len(clips)),
		pools:      make(map[string][]catalogPrompt),
	}
	for _, m := range models {
		c.models[m.ID] = m
	}
	for _, p := range prompts {
		c.prompts[p.ID] = p
	}
	type key struct {
		pool   string
		prompt uint
	}
	groups := make(map[key][]Clip)
	var order []key
	for _, cl := range clips {
		c.clips[cl.ID] = cl
		c.byPublicID[cl.PublicID] = cl
		p, okP := c.prompts[cl.PromptID]
		m, okM := c.models[cl.ModelID]
		// Only clips with a rendition enter matchups: a processing or failed
		// clip would show voters a dead box, and so does one voters keep
		// reporting broken.
		if !cl.Active || cl.Status != ClipReady || cl.Withdrawn || !okP || !p.Active || !okM || !m.Active {
			continue
		}
		k := key{cl.Pool, cl.PromptID}
		if _, seen := groups[k]; !seen {
			order = append(order, k)
		}
		groups[k] = append(groups[k], cl)
	}
	for _, k := range order {
		cs := groups[k]
		if distinctModels(cs) < 2 {
			continue
		}
		c.pools[k.pool] = append(c.pools[k.pool], catalogPrompt{prompt: c.prompts[k.prompt], clips: cs})
	}
	return c, nil
}

// hasCategory reports whether any prompt has the category, so a filter that
// names none can be told apart from one that just has no matchup yet.
func (c *catalog) hasCategory(cat string) bool {
	for _, p := range c.prompts {
		if p.Category == cat {
			return true
		}
	}
	return false
}

func distinctModels(cs []Clip) int {
	seen := make(map[uint]bool, len(cs))
	for _, c := range cs {
		seen[c.ModelID] = true
	}
	return len(seen)
}

// PromptCategories lists the categories of the prompts with clips from two
// active models in a pool (in every pool when pool is empty), sorted.
func (s *Store) PromptCategories(ctx context.Context, pool string) ([]string, error) {
	cat, err := s.catalog(ctx)
	if err != nil {
		return nil, err
	}
	seen := make(map[string]bool)
	for p, prompts := range cat.pools {
		if pool != "" && p != pool {
			continue
		}
		for _, cp := range prompts {
			if cp.prompt.Category != "" {
				seen[cp.prompt.Category] = true
			}
		}
	}
	out := make([]string, 0, len(seen))
	for c := range seen {
		out = append(out, c)
	}
	sort.Strings(out)
	return out, nil
}

// errNoClip answers a public id that names no clip.
var errNoClip = fmt.Errorf("%w: no clip with this id", ErrNotFound)

// ClipByPublicID returns the clip with the given public id, active or not.
func (s *Store) ClipByPublicID(ctx context.Context, publicID string) (Clip, error) {
	if !ValidID(publicID) {
		return Clip{}, errNoClip
	}
	c, err := s.catalog(ctx)
	if err != nil {
		return Clip{}, err
	}
	if cl, ok := c.byPublicID[publicID]; ok && cl.Status == ClipReady {
		return cl, nil
	}
	// A clip added by another process since the catalog was loaded, or one
	// the catalog holds as not ready that another process may have rendered
	// since: read the row, so an instance serves a clip as soon as any
	// instance has rendered it, not after its next reload. Only clips not
	// yet ready pay for the read.
	var cl Clip
	err = s.db.r.WithContext(ctx).Where("public_id = ?", publicID).Limit(1).Find(&cl).Error
	if err != nil {
		return Clip{}, err
	}
	if cl.ID == 0 {
		return Clip{}, errNoClip
	}
	return cl, nil
}

// PromptByID returns a prompt, active or not.
func (s *Store) PromptByID(ctx context.Context, id uint) (Prompt, error) {
	c, err := s.catalog(ctx)
	if err != nil {
		return Prompt{}, err
	}
	if p, ok := c.prompts[id]; ok {
		return p, nil
	}
	var p Prompt
	if err := s.db.r.WithContext(ctx).Where("id = ?", id).Limit(1).Find(&p).Error; err != nil {
		return Prompt{}, err
	}
	if p.ID == 0 {
		return Prompt{}, fmt.Errorf("%w: no prompt with this id", ErrNotFound)
	}
	return p, nil
}
