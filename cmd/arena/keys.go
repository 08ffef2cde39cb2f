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
		switch err := writeNewFile(path, []byte(text)); {
		case err == nil:
			return pair, nil
		case !errors.Is(err, os.ErrExist):
			return nil, fmt.Errorf("create %s: %w", path, err)
		}
		// Another process made the file first: both use its keys.
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

// writeNewFile makes path hold data, complete or not at all: the bytes go
// to a temporary file in the same directory, are synced, and the file is
// hard-linked into place, which fails with os.ErrExist when path exists. So
// neither a crash nor a second process starting at the same moment can leave
// an empty or half-written file behind.
func writeNewFile(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Link(tmp, path); err != nil {
		return err
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		_ = d.Sync() // make the new name durable; not every file system can
		d.Close()
	}
	return nil
}
