package main

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
	"time"
)

// voterClient is one simulated voter: its own cookie jar and its own
// keep-alive connection, speaking HTTP/1.1 directly. net/http's client
// spends about as much CPU per request as the server under test, and on a
// machine that runs both that would measure the client, not Arena; writing
// the request by hand and parsing the response with http.ReadResponse costs
// a fraction of it.
type voterClient struct {
	base    *url.URL
	host    string // Host header
	addr    string // host:port to dial
	tls     *tls.Config
	jar     http.CookieJar
	timeout time.Duration

	conn net.Conn
	br   *bufio.Reader
	bw   *bufio.Writer
	req  bytes.Buffer // request being written
	body bytes.Buffer // response body being read
}

func newVoterClient(base *url.URL) *voterClient {
	jar, _ := cookiejar.New(nil)
	c := &voterClient{base: base, host: base.Host, addr: base.Host, jar: jar, timeout: 30 * time.Second}
	if base.Port() == "" {
		port := "80"
		if base.Scheme == "https" {
			port = "443"
		}
		c.addr = net.JoinHostPort(base.Hostname(), port)
	}
	if base.Scheme == "https" {
		c.tls = &tls.Config{ServerName: base.Hostname()}
	}
	return c
}

func (c *voterClient) dial() error {
	conn, err := net.DialTimeout("tcp", c.addr, 5*time.Second)
	if err != nil {
		return err
	}
	if c.tls != nil {
		conn = tls.Client(conn, c.tls)
	}
	c.conn = conn
	c.br = bufio.NewReaderSize(conn, 8<<10)
	c.bw = bufio.NewWriterSize(conn, 4<<10)
	return nil
}

func (c *voterClient) close() {
	if c.conn != nil {
		c.conn.Close()
		c.conn = nil
	}
}

// post sends a JSON body to path and returns the status and the response
// body, which stays valid until the next call. A failed connection is
// closed and redialled by the next call; the failed request is not retried,
// since a vote must never be sent twice by the load tool.
func (c *voterClient) post(path string, body []byte) (int, []byte, error) {
	if c.conn == nil {
		if err := c.dial(); err != nil {
			return 0, nil, err
		}
	}
	u := c.base.ResolveReference(&url.URL{Path: path})
	c.req.Reset()
	fmt.Fprintf(&c.req, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %s\r\n",
		u.RequestURI(), c.host, strconv.Itoa(len(body)))
	for _, ck := range c.jar.Cookies(u) {
		c.req.WriteString("Cookie: " + ck.String() + "\r\n")
	}
	c.req.WriteString("\r\n")
	c.req.Write(body)
	_ = c.conn.SetDeadline(time.Now().Add(c.timeout))
	if _, err := c.bw.Write(c.req.Bytes()); err != nil {
		c.close()
		return 0, nil, err
	}
	if err := c.bw.Flush(); err != nil {
		c.close()
		return 0, nil, err
	}
	res, err := http.ReadResponse(c.br, nil)
	if err != nil {
		c.close()
		return 0, nil, err
	}
	c.body.Reset()
	_, err = c.body.ReadFrom(res.Body)
	res.Body.Close()
	if err != nil {
		c.close()
		return 0, nil, err
	}
	if cks := res.Cookies(); len(cks) > 0 {
		c.jar.SetCookies(u, cks)
	}
	if res.Close {
		c.close()
	}
	return res.StatusCode, c.body.Bytes(), nil
}
