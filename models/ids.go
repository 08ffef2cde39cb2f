package models

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"strings"
)

// NewID returns a random 128-bit identifier, URL-safe and 22 characters long.
// It carries no information: clip ids in media URLs must not hint at a model.
func NewID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// ValidID reports whether s has the shape of an id made by NewID. Checking the
// shape first keeps junk (NUL bytes, path fragments, huge strings) away from
// the database.
func ValidID(s string) bool {
	if len(s) != 22 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// ValidVoterID reports whether s names a voter: a browser's id (ValidID),
// the demo's seeded voter (DemoVoter) or the voter of an imported file
// ("import:" and 16 hex digits). Moderation accepts all three.
func ValidVoterID(s string) bool {
	if ValidID(s) || s == DemoVoter {
		return true
	}
	hexPart, ok := strings.CutPrefix(s, importVoterPrefix)
	if !ok || len(hexPart) != 16 {
		return false
	}
	_, err := hex.DecodeString(hexPart)
	return err == nil && strings.ToLower(hexPart) == hexPart
}
