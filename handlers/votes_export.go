package handlers

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/arena-video/arena/models"
)

// The public votes file is written to a temporary file and served from it,
// with an ETag of its contents, Range and conditional requests: a download
// reads a file instead of the whole votes table. It is written again when
// votes have been recorded since, at most every exportFresh, and at least
// every exportMaxAge (admin moderation changes validity without new votes).
const (
	exportFresh  = time.Minute
	exportMaxAge = 10 * time.Minute
)

// voteExport is the current votes file.
type voteExport struct {
	mu    sync.Mutex
	dir   string
	path  string
	etag  string
	votes uint64 // Store.VotesRecorded when it was written
	at    time.Time
}

// current returns the file's path and ETag, writing it again first when it
// is due.
func (x *voteExport) current(c echo.Context, s *Server) (string, string, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	now := s.cfg.Now()
	votes := s.store.VotesRecorded()
	age := now.Sub(x.at)
	if x.path != "" && (age < exportFresh || votes == x.votes && age < exportMaxAge) {
		return x.path, x.etag, nil
	}
	if x.dir != "" {
		if err := os.MkdirAll(x.dir, 0o750); err != nil {
			return "", "", err
		}
	} else {
		dir, err := os.MkdirTemp("", "arena-export-")
		if err != nil {
			return "", "", err
		}
		x.dir = dir
	}
	f, err := os.CreateTemp(x.dir, "votes-*.jsonl")
	if err != nil {
		return "", "", err
	}
	h := sha256.New()
	w := bufio.NewWriterSize(f, 64<<10)
	enc := json.NewEncoder(w)
	err = s.store.ExportVotes(c.Request().Context(), func(v models.BattleVote) error {
		return enc.Encode(v)
	})
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		_, err = f.Seek(0, 0)
	}
	if err == nil {
		_, err = bufio.NewReader(f).WriteTo(h)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", "", fmt.Errorf("write votes file: %w", err)
	}
	// Replacing by rename leaves downloads of the old file reading it.
	path := filepath.Join(x.dir, "votes.jsonl")
	if err := os.Rename(f.Name(), path); err != nil {
		os.Remove(f.Name())
		return "", "", err
	}
	x.path, x.etag, x.votes, x.at = path, `"`+hex.EncodeToString(h.Sum(nil))[:32]+`"`, votes, now
	return x.path, x.etag, nil
}

// handleVotesJSONL serves every valid vote in the public battle format from
// the regenerated file, rate-limited per client address.
func (s *Server) handleVotesJSONL(c echo.Context) error {
	if s.limits != nil {
		l := s.cfg.RateLimit
		if err := s.spend(c, models.Bucket{Key: "export " + clientNet(c), Events: l.Events * ipLimitFactor, Per: l.Per}); err != nil {
			return err
		}
	}
	path, etag, err := s.export.current(c, s)
	if err != nil {
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "application/x-ndjson")
	h.Set("Content-Disposition", `attachment; filename="votes.jsonl"`)
	h.Set("ETag", etag)
	h.Set("Cache-Control", "public, max-age=60")
	http.ServeContent(c.Response(), c.Request(), "", time.Time{}, f)
	return nil
}
