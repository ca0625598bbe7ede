package httpx

import (
	"context"
	"crypto/tls"
	"io"
	"maps"
	"net/url"
	"sync"
	"time"

	"github.com/authdoctor/authdoctor/internal/redact"
)

// NewSharedTransport builds the connections of a run over many tenants
// (check --tenants): every tenant's requests go through one pool, so a host
// costs one TLS handshake for the whole run when it speaks HTTP/2 (one
// multiplexed connection), and resumed sessions, not full handshakes, for
// the parallel connections of an HTTP/1.1 host. Each host's TLS probe is
// made once and its result given to every tenant. idlePerHost is how many
// idle connections a host keeps: about the number of requests in flight,
// so HTTP/1.1 connections are reused instead of re-dialled.
//
// Each tenant gets its own Fork (its secrets, its transcript); Close the
// shared transport once, after the last tenant.
func NewSharedTransport(o TransportOptions, idlePerHost int) *Transport {
	t := NewTransport(o)
	t.tlsCfg.ClientSessionCache = tls.NewLRUClientSessionCache(0)
	if idlePerHost > 0 {
		t.base.h1.MaxIdleConnsPerHost = idlePerHost
		t.base.h1.MaxIdleConns = 0 // no limit across hosts beyond the per-host one
	}
	t.probes = &probeCache{done: map[string]*probeEntry{}}
	return t
}

// Fork returns a Transport over t's connections (pool, dialer, TLS probe
// results) that learns tokens into secrets and writes its transcript to
// transcript (nil: none): one tenant's view of a shared run. Closing a
// fork does nothing.
func (t *Transport) Fork(secrets *redact.Set, transcript io.Writer) *Transport {
	o := t.opts
	o.Secrets, o.Transcript = secrets, transcript
	return &Transport{dialer: t.dialer, base: t.base, client: buildClient(t.base, o), tlsCfg: t.tlsCfg, ua: t.ua, opts: o, probes: t.probes, forked: true}
}

// probeCache holds each host's TLS probe of a shared run: the first tenant
// to reach a host probes it (one handshake, whose connection the next
// request uses); the others wait for that result.
type probeCache struct {
	mu   sync.Mutex
	done map[string]*probeEntry // by scheme|host:port
}

type probeEntry struct {
	once  sync.Once
	probe TLSProbe
}

func (c *probeCache) probe(ctx context.Context, t *Transport, rawURL string, now time.Time) TLSProbe {
	u, err := url.Parse(rawURL)
	if err != nil {
		return t.probeTLS(ctx, rawURL, now)
	}
	key := u.Scheme + "|" + hostPort(u)
	c.mu.Lock()
	e := c.done[key]
	if e == nil {
		e = &probeEntry{}
		c.done[key] = e
	}
	c.mu.Unlock()
	e.once.Do(func() { e.probe = t.probeTLS(ctx, rawURL, now) })
	// Each tenant's report owns its copy of the evidence.
	p := e.probe
	p.URL = rawURL
	p.Details = maps.Clone(p.Details)
	return p
}
