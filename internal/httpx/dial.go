package httpx

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"
)

// dialer opens every connection of a run. It applies --resolve overrides and
// keeps the connection of the TLS check for the first request to that host,
// so a run costs one TLS handshake per host, the check's included.
type dialer struct {
	tls     *tls.Config // RootCAs, InsecureSkipVerify; ServerName is set per host
	resolve map[string]string
	mu      sync.Mutex
	idle    map[string][]net.Conn // handshaken connections not yet used, by "scheme|host:port"
	h2      map[string]bool       // https hosts ("host:port") whose TLS check negotiated HTTP/2
	net     net.Dialer
}

func newDialer(tlsConfig *tls.Config, resolve map[string]string) *dialer {
	return &dialer{tls: tlsConfig, resolve: resolve, idle: map[string][]net.Conn{}, h2: map[string]bool{}, net: net.Dialer{KeepAlive: 30 * time.Second}}
}

// target applies a --resolve override: "host:port" → "addr:port".
func (d *dialer) target(addr string) string {
	if to, ok := d.resolve[addr]; ok {
		return to
	}
	return addr
}

// DialContext dials plain TCP (http:// URLs).
func (d *dialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	if c := d.take("http|" + addr); c != nil {
		return c, nil
	}
	return d.net.DialContext(ctx, network, d.target(addr))
}

// DialTLSContext dials and handshakes (https:// URLs).
func (d *dialer) DialTLSContext(ctx context.Context, network, addr string) (net.Conn, error) {
	if c := d.take("https|" + addr); c != nil {
		return c, nil
	}
	conn, _, err := d.handshake(ctx, addr, d.tls)
	return conn, err
}

// handshake dials addr and completes a TLS handshake with cfg (ServerName set
// from addr). It returns the raw TCP dial error or the handshake error as is,
// so callers can classify them with errors.As.
func (d *dialer) handshake(ctx context.Context, addr string, cfg *tls.Config) (*tls.Conn, tls.ConnectionState, error) {
	raw, err := d.net.DialContext(ctx, "tcp", d.target(addr))
	if err != nil {
		return nil, tls.ConnectionState{}, err
	}
	c := cfg.Clone()
	c.ServerName = hostOnly(addr)
	c.NextProtos = []string{"h2", "http/1.1"}
	conn := tls.Client(raw, c)
	if err := conn.HandshakeContext(ctx); err != nil {
		// The state of a failed handshake still names the version and
		// cipher agreed before the certificate was rejected (zero when
		// the failure came earlier): the TLS check reports them.
		state := conn.ConnectionState()
		_ = raw.Close()
		return nil, state, err
	}
	return conn, conn.ConnectionState(), nil
}

// keep stores a connection for the next request to the same scheme and address.
func (d *dialer) keep(scheme, addr string, c net.Conn) {
	d.mu.Lock()
	defer d.mu.Unlock()
	key := scheme + "|" + addr
	d.idle[key] = append(d.idle[key], c)
	if tc, ok := c.(*tls.Conn); ok && tc.ConnectionState().NegotiatedProtocol == "h2" {
		d.h2[addr] = true
	}
}

// speaksH2 reports whether the TLS check negotiated HTTP/2 with addr.
func (d *dialer) speaksH2(addr string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.h2[addr]
}

func (d *dialer) take(key string) net.Conn {
	d.mu.Lock()
	defer d.mu.Unlock()
	conns := d.idle[key]
	if len(conns) == 0 {
		return nil
	}
	c := conns[len(conns)-1]
	d.idle[key] = conns[:len(conns)-1]
	return c
}

// close closes connections that were never used.
func (d *dialer) close() {
	d.mu.Lock()
	defer d.mu.Unlock()
	for k, conns := range d.idle {
		for _, c := range conns {
			_ = c.Close()
		}
		delete(d.idle, k)
	}
}

func hostOnly(addr string) string {
	h, _, err := net.SplitHostPort(addr)
	if err != nil {
		return addr
	}
	return h
}

// ParseResolve parses curl-style "host:port:addr" overrides.
func ParseResolve(entries []string) (map[string]string, error) {
	out := map[string]string{}
	for _, e := range entries {
		parts := strings.SplitN(e, ":", 3)
		if len(parts) != 3 || parts[0] == "" || parts[1] == "" || parts[2] == "" {
			return nil, fmt.Errorf("--resolve %q: want HOST:PORT:ADDRESS, e.g. keycloak.example.com:443:127.0.0.1", e)
		}
		if n, err := strconv.Atoi(parts[1]); err != nil || n < 1 || n > 65535 {
			return nil, fmt.Errorf("--resolve %q: port %q is not between 1 and 65535", e, parts[1])
		}
		addr := strings.Trim(parts[2], "[]")
		if net.ParseIP(addr) == nil {
			return nil, fmt.Errorf("--resolve %q: %q is not an IP address", e, parts[2])
		}
		out[net.JoinHostPort(parts[0], parts[1])] = net.JoinHostPort(addr, parts[1])
	}
	return out, nil
}
