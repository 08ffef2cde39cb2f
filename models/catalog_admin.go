package models

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"
)

// slugPattern is what a model slug looks like: it appears in URLs and files.
var slugPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)

// ValidSlug reports whether s can be a model slug.
func ValidSlug(s string) bool { return slugPattern.MatchString(s) }

// ValidateModel checks a model's fields and says what to fix.
func ValidateModel(m Model) error {
	var problems []string
	if !ValidSlug(m.Slug) {
		problems = append(problems, "slug must be 1 to 64 lowercase letters, digits or dashes, starting with a letter or digit")
	}
	if n := len(strings.TrimSpace(m.Name)); n == 0 || len(m.Name) > 128 {
		problems = append(problems, "name must have 1 to 128 characters")
	}
	if len(m.Organization) > 128 {
		problems = append(problems, "organization must have at most 128 characters")
	}
	if len(m.Family) > 64 || !printable(m.Family) {
		problems = append(problems, "family must be at most 64 characters of text")
	}
	if len(m.Version) > 32 || !printable(m.Version) {
		problems = append(problems, "version must be at most 32 characters of text")
	}
	if m.ReleaseDate != "" {
		if _, err := time.Parse(time.DateOnly, m.ReleaseDate); err != nil {
			problems = append(problems, "release_date must be a date as YYYY-MM-DD")
		}
	}
	if m.License != "" && m.License != LicenseOpen && m.License != LicenseProprietary {
		problems = append(problems, "license must be open or proprietary")
	}
	if m.Homepage != "" {
		u, err := url.Parse(m.Homepage)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(m.Homepage) > 512 {
			problems = append(problems, "homepage must be an http or https URL")
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: %s", ErrInvalidInput, strings.Join(problems, "; "))
	}
	return nil
}

// ValidatePrompt checks a prompt's fields and says what to fix.
func ValidatePrompt(p Prompt) error {
	var problems []string
	if n := len(strings.TrimSpace(p.Text)); n == 0 || len(p.Text) > 4000 {
		problems = append(problems, "text must have 1 to 4000 characters")
	}
	if len(p.Category) > 64 {
		problems = append(problems, "category must have at most 64 characters")
	}
	if p.Modality != ModalityT2V && p.Modality != ModalityI2V {
		problems = append(problems, "modality must be t2v or i2v")
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: %s", ErrInvalidInput, strings.Join(problems, "; "))
	}
	return nil
}

// ModelPatch changes some fields of a model; nil fields stay as they are.
type ModelPatch struct {
	Name         *string `json:"name"`
	Organization *string `json:"organization"`
	ReleaseDate  *string `json:"release_date"`
	License      *string `json:"license"`
	Homepage     *string `json:"homepage"`
	Family       *string `json:"family"`
	Version      *string `json:"version"`
	Active       *bool   `json:"active"`
}

// UpdateModel applies a patch to the model with the given slug. A
// deactivated model gets no new matchups; its clips and votes stay.
func (s *Store) UpdateModel(ctx context.Context, by Actor, slug string, p ModelPatch) (Model, error) {
	m, err := s.ModelBySlug(ctx, slug)
	if err != nil {
		return Model{}, fmt.Errorf("%w: no model with slug %q", err, slug)
	}
	set(&m.Name, p.Name)
	set(&m.Organization, p.Organization)
	set(&m.ReleaseDate, p.ReleaseDate)
	set(&m.License, p.License)
	set(&m.Homepage, p.Homepage)
	set(&m.Family, p.Family)
	set(&m.Version, p.Version)
	wasActive := m.Active
	set(&m.Active, p.Active)
	if err := ValidateModel(m); err != nil {
		return Model{}, err
	}
	switch {
	case wasActive && !m.Active:
		at := s.now().UTC()
		m.RetiredAt = &at
	case m.Active:
		m.RetiredAt = nil
	}
	err = s.db.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		err := tx.Model(&Model{}).Where("id = ?", m.ID).Updates(map[string]any{
			"name": m.Name, "organization": m.Organization, "release_date": m.ReleaseDate,
			"license": m.License, "homepage": m.Homepage, "family": m.Family, "version": m.Version,
			"active": m.Active, "retired_at": m.RetiredAt,
		}).Error
		if err != nil {
			return err
		}
		if wasActive && !m.Active {
			if err := recordRetirement(tx, m); err != nil {
				return err
			}
		}
		return s.audit(tx, by, "model.update", "model:"+slug, activeDetail(p.Active))
	})
	if err != nil {
		return Model{}, fmt.Errorf("update model %q: %w", slug, err)
	}
	s.invalidate()
	if p.Active != nil {
		s.noteRankingChange()
	}
	return m, nil
}

// PromptPatch changes some fields of a prompt; nil fields stay as they are.
// The modality and source image are fixed: clips were made for them.
type PromptPatch struct {
	Text     *string `json:"text"`
	Category *string `json:"category"`
	Active   *bool   `json:"active"`
}

// UpdatePrompt applies a patch to a prompt.
func (s *Store) UpdatePrompt(ctx context.Context, by Actor, id uint, p PromptPatch) (Prompt, error) {
	var pr Prompt
	err := s.db.r.WithContext(ctx).Where("id = ?", id).Take(&pr).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Prompt{}, fmt.Errorf("%w: no prompt %d", ErrNotFound, id)
	}
	if err != nil {
		return Prompt{}, err
	}
	set(&pr.Text, p.Text)
	set(&pr.Category, p.Category)
	set(&pr.Active, p.Active)
	if err := ValidatePrompt(pr); err != nil {
		return Prompt{}, err
	}
	err = s.db.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		err := tx.Model(&Prompt{}).Where("id = ?", id).
			Updates(map[string]any{"text": pr.Text, "category": pr.Category, "active": pr.Active}).Error
		if err != nil {
			return err
		}
		return s.audit(tx, by, "prompt.update", fmt.Sprintf("prompt:%d", id), activeDetail(p.Active))
	})
	if err != nil {
		return Prompt{}, fmt.Errorf("update prompt %d: %w", id, err)
	}
	s.invalidate()
	if p.Active != nil {
		s.noteRankingChange()
	}
	return pr, nil
}

// SetClipActive activates or deactivates a clip. Votes that showed it stay.
func (s *Store) SetClipActive(ctx context.Context, by Actor, publicID string, active bool) (Clip, error) {
	var c Clip
	if ValidID(publicID) {
		if err := s.db.r.WithContext(ctx).Where("public_id = ?", publicID).Limit(1).Find(&c).Error; err != nil {
			return Clip{}, err
		}
	}
	if c.ID == 0 {
		return Clip{}, fmt.Errorf("%w: no clip %q", ErrNotFound, publicID)
	}
	err := s.db.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Model(&Clip{}).Where("id = ?", c.ID).Update("active", active).Error; err != nil {
			return err
		}
		return s.audit(tx, by, "clip.update", "clip:"+publicID, activeDetail(&active))
	})
	if err != nil {
		return Clip{}, fmt.Errorf("update clip: %w", err)
	}
	c.Active = active
	s.invalidate()
	s.noteRankingChange()
	return c, nil
}

// activeDetail is the audit detail of a change that may switch something on
// or off: "active=true", "active=false", or nothing.
func activeDetail(active *bool) string {
	if active == nil {
		return ""
	}
	return "active=" + strconv.FormatBool(*active)
}

// ListPrompts returns every prompt, active or not, newest first.
func (s *Store) ListPrompts(ctx context.Context) ([]Prompt, error) {
	var ps []Prompt
	err := s.db.r.WithContext(ctx).Order("id DESC").Find(&ps).Error
	return ps, err
}

// ListClips returns clips, newest first, of one prompt when promptID is not 0.
func (s *Store) ListClips(ctx context.Context, promptID uint) ([]Clip, error) {
	q := s.db.r.WithContext(ctx).Order("id DESC")
	if promptID != 0 {
		q = q.Where("prompt_id = ?", promptID)
	}
	var cs []Clip
	err := q.Find(&cs).Error
	return cs, err
}

// ModelByID returns a model by its numeric id.
func (s *Store) ModelByID(ctx context.Context, id uint) (Model, error) {
	var m Model
	err := s.db.r.WithContext(ctx).Where("id = ?", id).Take(&m).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Model{}, ErrNotFound
	}
	return m, err
}

func set[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}
