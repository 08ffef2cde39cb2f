package handlers

import (
	"net"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

// MaxURLBytes is the longest request target (path and query) Arena reads.
// Every Arena URL is far shorter; a longer one is junk or an attack on a
// parser, and is answered 414 before any routing.
const MaxURLBytes = 8 << 10

// limitURL answers 414 to an over-long request target.
func limitURL(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if len(c.Request().RequestURI) > MaxURLBytes || len(c.Request().URL.RawQuery) > MaxURLBytes {
			return echo.NewHTTPError(http.StatusRequestURITooLong, "the address is too long")
		}
		return next(c)
	}
}

// ipExtractor decides where a request comes from. With no trusted proxies it is
// the socket's peer: a client cannot choose its own address by sending
// X-Forwarded-For. With trusted proxies it is the right-most address in
// X-Forwarded-For that is not one of them, as long as the peer itself is one.
// Echo's own default trusts private and loopback networks; Arena trusts only
// what the operator lists.
func ipExtractor(trusted []*net.IPNet) echo.IPExtractor {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, n := range trusted {
		opts = append(opts, echo.TrustIPRange(n))
	}
	return echo.ExtractIPFromXFFHeader(opts...)
}

// allowSlowBody lifts the server's read deadline for one request, for routes
// whose bodies are legitimately slow (clip uploads): the server's
// ReadTimeout protects every other route from clients that trickle bytes.
func allowSlowBody(d time.Duration) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			rc := http.NewResponseController(c.Response())
			// An error means the connection does not support deadlines
			// (httptest's recorder); there is nothing to lift then.
			_ = rc.SetReadDeadline(time.Now().Add(d))
			_ = rc.SetWriteDeadline(time.Now().Add(d))
			return next(c)
		}
	}
}
