package models

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/arena-video/arena/models/media"
)

// Files is the part of the media store that adding clips and source images
// needs; *media.Store has it.
type Files interface {
	PutOriginal(ctx context.Context, r io.Reader, maxBytes int64) (media.Original, error)
	PutImage(ctx context.Context, r io.Reader, maxBytes int64) (media.Stored, error)
	Remove(ctx context.Context, key string) error
}

// AddClip stores the clip read from r (at most maxBytes) for a model and a
// prompt as a private original and records it as processing, with a job
// that renders its canonical rendition (see Transcoder). The model and
// prompt are checked before any byte is read. On any failure nothing is left
// behind: the media store removes its temporary files, and a blob this call
// created is removed unless some row uses it. The same bytes twice is
// ErrConflict naming the first clip.
func (s *Store) AddClip(ctx context.Context, files Files, modelID, promptID uint, r io.Reader, maxBytes int64) (Clip, error) {
	if _, err := s.ModelByID(ctx, modelID); err != nil {
		return Clip{}, fmt.Errorf("%w: no model %d", err, modelID)
	}
	if _, err := s.PromptByID(ctx, promptID); err != nil {
		return Clip{}, fmt.Errorf("%w: no prompt %d", err, promptID)
	}
	o, err := files.PutOriginal(ctx, r, maxBytes)
	if err != nil {
		return Clip{}, err
	}
	st := media.Stored{Key: o.SHA256, Existed: o.Existed}
	if prev, err := s.ClipBySHA256(ctx, o.SHA256); err == nil {
		s.dropBlob(ctx, files, st)
		return Clip{}, fmt.Errorf("%w: the same file is already clip %s", ErrConflict, prev.PublicID)
	} else if !errors.Is(err, ErrNotFound) {
		s.dropBlob(ctx, files, st)
		return Clip{}, err
	}
	c := ClipFromOriginal(o)
	c.ModelID, c.PromptID = modelID, promptID
	if err := s.CreateClip(ctx, &c); err != nil {
		s.dropBlob(ctx, files, st)
		return Clip{}, err
	}
	return c, nil
}

// ClipFromOriginal fills a new clip's fields from a stored original: it is
// processing until its rendition is made, and only its pool, duration and
// audio are known to voters' side of the arena meanwhile.
func ClipFromOriginal(o media.Original) Clip {
	src := o.Source
	return Clip{
		SHA256:       o.SHA256,
		MIME:         media.MIMEMP4,
		DurationMS:   src.DurationMS,
		HasAudio:     src.HasAudio,
		Status:       ClipProcessing,
		OriginalKey:  o.SHA256,
		OriginalMIME: src.MIME,
		OriginalSize: o.Size,
		Source: ClipSource{Codec: src.Codec, Width: src.Width, Height: src.Height, FPS: src.FPS,
			Kbps: src.Kbps, DurationMS: src.DurationMS, HasAudio: src.HasAudio},
	}
}

// CreatePromptWithImage stores a source image read from r (nil for none) and
// creates the prompt that shows it, removing the image again if the prompt
// cannot be created.
func (s *Store) CreatePromptWithImage(ctx context.Context, files Files, p *Prompt, r io.Reader, maxBytes int64) error {
	if err := ValidatePrompt(*p); err != nil {
		return err
	}
	if r == nil && p.Modality == ModalityI2V {
		return fmt.Errorf("%w: an i2v prompt needs its source image", ErrInvalidInput)
	}
	if r != nil && p.Modality != ModalityI2V {
		return fmt.Errorf("%w: only i2v prompts have a source image", ErrInvalidInput)
	}
	var st media.Stored
	if r != nil {
		var err error
		if st, err = files.PutImage(ctx, r, maxBytes); err != nil {
			return err
		}
		p.ImageKey, p.ImageMIME = st.Key, st.Info.MIME
	}
	if err := s.CreatePrompt(ctx, p); err != nil {
		if r != nil {
			s.dropBlob(ctx, files, st)
		}
		return err
	}
	return nil
}

// dropBlob removes a blob a failed call stored, unless it was there before or
// a clip or prompt uses it: content-addressed blobs are shared.
func (s *Store) dropBlob(ctx context.Context, files Files, st media.Stored) {
	if st.Existed || st.Key == "" {
		return
	}
	// The cleanup runs even when the request that failed was cancelled.
	ctx = context.WithoutCancel(ctx)
	var n int64
	db := s.db.w.WithContext(ctx)
	if err := db.Model(&Clip{}).Where("blob_key = ? OR original_key = ? OR poster_key = ?", st.Key, st.Key, st.Key).Count(&n).Error; err != nil || n > 0 {
		return
	}
	if err := db.Model(&Prompt{}).Where("image_key = ?", st.Key).Count(&n).Error; err != nil || n > 0 {
		return
	}
	if err := files.Remove(ctx, st.Key); err != nil {
		s.log.Error("remove unused blob", "key", st.Key, "err", err)
	}
}
