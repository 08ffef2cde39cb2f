package models

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"time"
)

// NewID returns a random 128-bit identifier, URL-safe and 22 characters long.
// It carries no information: clip ids in media URLs must not hint at a model.
func NewID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// sortedDigits is base64url's alphabet in ASCII order: numbers written
// with it sort as strings the way they sort as numbers.
const sortedDigits = "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"

// NewMatchupID returns an id of NewID's shape (ValidID accepts it) whose
// first seven characters are the issue time in milliseconds, written with
// sortedDigits, and whose other fifteen are random (90 bits, still beyond
// guessing). Matchup ids key the matchups table: random ones put each new
// matchup on a random page of its primary index, a page every commit then
// wrote again, while ids that grow with time fill the index's last page.
// The time tells the voter nothing new (they asked for the matchup then),
// and clips, whose ids are in media URLs, keep fully random ones.
func NewMatchupID(now time.Time) string {
	var b [22]byte
	ms := uint64(max(now.UnixMilli(), 0))
	for i := 6; i >= 0; i-- {
		b[i] = sortedDigits[ms&63]
		ms >>= 6
	}
	var r [12]byte
	_, _ = rand.Read(r[:])
	var enc [16]byte
	base64.RawURLEncoding.Encode(enc[:], r[:])
	copy(b[7:], enc[:15])
	return string(b[:])
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
