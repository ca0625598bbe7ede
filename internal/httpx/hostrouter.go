package httpx

import (
	"net/http"
	"time"
)

// hostRouter sends each request through one of two pooled transports that
// share the run's dialer.
//
// net/http dials once per waiting request: when the realm check sends two
// requests side by side, the second one starts its own TLS handshake even
// though the first one's connection is about to become a shared HTTP/2
// connection. For a host whose TLS check negotiated HTTP/2 we therefore use a
// transport that dials one connection at a time (MaxConnsPerHost 1): the
// waiting request is handed the HTTP/2 connection instead, and the run costs
// one handshake per host. Hosts that speak HTTP/1.1 keep the unlimited
// transport, because there parallel requests need parallel connections.
type hostRouter struct {
	dialer *dialer
	h1     *http.Transport
	h2     *http.Transport
}

func newHostRouter(d *dialer) *hostRouter {
	build := func(maxConns int) *http.Transport {
		return &http.Transport{
			DialContext:         d.DialContext,
			DialTLSContext:      d.DialTLSContext,
			ForceAttemptHTTP2:   true,
			MaxConnsPerHost:     maxConns,
			MaxIdleConnsPerHost: 4,
			IdleConnTimeout:     30 * time.Second,
		}
	}
	return &hostRouter{dialer: d, h1: build(0), h2: build(1)}
}

func (r *hostRouter) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Scheme == "https" && r.dialer.speaksH2(hostPort(req.URL)) {
		return r.h2.RoundTrip(req)
	}
	return r.h1.RoundTrip(req)
}

func (r *hostRouter) closeIdle() {
	r.h1.CloseIdleConnections()
	r.h2.CloseIdleConnections()
}
