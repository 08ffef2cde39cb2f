package handlers

import "github.com/arena-video/arena/models/gencache"

// cookieCacheSize bounds how many decoded voter cookies are remembered per
// generation (at most twice as many are held).
const cookieCacheSize = 50_000

// newCookieCache remembers which voter id a session cookie value decoded
// to. Decoding means an HMAC check, AES decryption and a gob decoder built
// from scratch, the largest cost of a voting request after the database; a
// voter sends the same cookie value on every request, and the same value
// always decodes to the same id under the same keys, so the result can be
// reused. Only values that decoded successfully are stored.
func newCookieCache() *gencache.Cache[string, string] {
	return gencache.New[string, string](cookieCacheSize)
}
