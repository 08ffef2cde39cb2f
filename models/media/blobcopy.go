package media

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
)

// CopyOutcome is what Copy did with one blob.
type CopyOutcome int

// What Copy can do with a blob.
const (
	// Copied: the blob was sent and read back with the right SHA-256.
	Copied CopyOutcome = iota
	// AlreadyThere: the destination had a blob of that key and size.
	AlreadyThere
	// CopyFailed: see the error reported with it.
	CopyFailed
)

// CopyReport counts what Copy did.
type CopyReport struct {
	Copied, AlreadyThere, Failed int
	CopiedBytes                  int64
}

// Blobs lists every blob in s with its size.
func Blobs(ctx context.Context, s BlobStore) ([]BlobInfo, error) {
	var all []BlobInfo
	err := s.Walk(ctx, func(b BlobInfo) error { all = append(all, b); return nil })
	return all, err
}

// Copy copies the listed blobs from one store to another and verifies each:
// the bytes read from the source must hash to the key, and the copy, read
// back from the destination, must hash to it too; a copy that does not is
// deleted again. A blob the destination already holds with the same size is
// left alone, so Copy can be run again after an interruption and only does
// what is left. done, when set, is called after each blob. Copy stops early
// only when ctx ends; failures of single blobs are reported through done and
// counted.
func Copy(ctx context.Context, from, to BlobStore, blobs []BlobInfo, done func(BlobInfo, CopyOutcome, error)) (CopyReport, error) {
	var r CopyReport
	for _, b := range blobs {
		if err := ctx.Err(); err != nil {
			return r, err
		}
		outcome, err := copyOne(ctx, from, to, b)
		switch outcome {
		case Copied:
			r.Copied++
			r.CopiedBytes += b.Size
		case AlreadyThere:
			r.AlreadyThere++
		default:
			r.Failed++
		}
		if done != nil {
			done(b, outcome, err)
		}
	}
	return r, nil
}

func copyOne(ctx context.Context, from, to BlobStore, b BlobInfo) (CopyOutcome, error) {
	if have, err := to.Stat(ctx, b.Key); err == nil && have.Size == b.Size {
		return AlreadyThere, nil
	} else if err == nil {
		// A copy of the wrong size is left over from something that went
		// wrong; replace it.
		if err := to.Delete(ctx, b.Key); err != nil {
			return CopyFailed, err
		}
	}
	src, err := from.Open(ctx, b.Key)
	if err != nil {
		return CopyFailed, err
	}
	h := sha256.New()
	_, err = to.Put(ctx, b.Key, io.TeeReader(src, h), src.Size())
	src.Close()
	if err != nil {
		return CopyFailed, err
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != b.Key {
		return CopyFailed, errors.Join(fmt.Errorf("the source's bytes hash to %s: the source blob is damaged", got), to.Delete(ctx, b.Key))
	}
	if err := Verify(ctx, to, b.Key); err != nil {
		return CopyFailed, errors.Join(err, to.Delete(ctx, b.Key))
	}
	return Copied, nil
}

// Verify reads the blob under key and checks that its bytes hash to key.
func Verify(ctx context.Context, s BlobStore, key string) error {
	blob, err := s.Open(ctx, key)
	if err != nil {
		return err
	}
	defer blob.Close()
	h := sha256.New()
	if _, err := io.Copy(h, blob); err != nil {
		return fmt.Errorf("verify %s: %w", key, err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != key {
		return fmt.Errorf("verify %s: the stored bytes hash to %s", key, got)
	}
	return nil
}
