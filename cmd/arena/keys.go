package main

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

const sessionKeysFile = "session.keys"

// sessionKeys returns the cookie keys: from ARENA_SESSION_KEYS when set,
// otherwise from a file in the data dir, made once, so a restart keeps every
// voter's session.
func sessionKeys(e env, dataDir string) ([][]byte, error) {
	if v := e.getenv("ARENA_SESSION_KEYS"); v != "" {
		keys, err := parseKeys(v)
		if err != nil {
			return nil, fmt.Errorf("ARENA_SESSION_KEYS: %w", err)
		}
		return keys, nil
	}
	path := filepath.Join(dataDir, sessionKeysFile)
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		pair := make([][]byte, 2)
		for i := range pair {
			pair[i] = make([]byte, 32)
			_, _ = rand.Read(pair[i])
		}
		text := hex.EncodeToString(pair[0]) + "," + hex.EncodeToString(pair[1]) + "\n"
		// O_EXCL: if two processes start at once, one writes and both read it.
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err == nil {
			_, err = f.WriteString(text)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return nil, fmt.Errorf("write %s: %w", path, err)
			}
			return pair, nil
		}
		if !errors.Is(err, os.ErrExist) {
			return nil, fmt.Errorf("create %s: %w", path, err)
		}
		b, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	keys, err := parseKeys(strings.TrimSpace(string(b)))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return keys, nil
}

// parseKeys reads comma-separated 32-byte keys, hex or base64, in pairs of
// hash key and encryption key.
func parseKeys(s string) ([][]byte, error) {
	parts := strings.Split(s, ",")
	if len(parts)%2 != 0 {
		return nil, errors.New("give pairs of keys: a hash key and an encryption key, comma-separated")
	}
	keys := make([][]byte, 0, len(parts))
	for i, p := range parts {
		p = strings.TrimSpace(p)
		k, err := hex.DecodeString(p)
		if err != nil {
			k, err = base64.StdEncoding.DecodeString(p)
		}
		if err != nil {
			k, err = base64.RawURLEncoding.DecodeString(p)
		}
		if err != nil || len(k) != 32 {
			return nil, fmt.Errorf("key %d is not 32 bytes in hex or base64 (make one with: openssl rand -hex 32)", i+1)
		}
		keys = append(keys, k)
	}
	return keys, nil
}
