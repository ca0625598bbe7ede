package httpx

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net/http"
	"syscall"
	"time"

	"github.com/hashicorp/go-retryablehttp"

	"github.com/authdoctor/authdoctor/internal/redact"
)

// TransportOptions configure the one HTTP stack of a run, shared by gocloak,
// the raw Keycloak calls and the GraphQL probe.
type TransportOptions struct {
	RootCAs    *x509.CertPool    // nil: system roots
	Insecure   bool              // --insecure-skip-tls-verify
	Resolve    map[string]string // --resolve overrides, from ParseResolve
	UserAgent  string
	Transcript io.Writer   // -v: every exchange, redacted; nil for none
	Secrets    *redact.Set // values no output may show; every token an answer carries is added to it
	RetryWait  time.Duration
}

// Transport is the HTTP stack: retries over recording over the transcript
// over a pooled net/http transport.
type Transport struct {
	dialer *dialer
	base   *hostRouter
	client *http.Client // what callers use: retries included
	tlsCfg *tls.Config
	ua     string
	opts   TransportOptions
	// probes, when set, remember each host's TLS probe for the whole
	// shared run (NewSharedTransport); forked is true for a Fork, which
	// does not own the connections.
	probes *probeCache
	forked bool
}

// maxRetries is the retry budget for transient failures (connection refused
// or reset, 502, 503, 504). A 4xx is never retried: Keycloak's brute-force
// protection counts every failed password.
const maxRetries = 2

// NewTransport builds the stack.
func NewTransport(o TransportOptions) *Transport {
	tlsCfg := &tls.Config{RootCAs: o.RootCAs, InsecureSkipVerify: o.Insecure, MinVersion: tls.VersionTLS12} //nolint:gosec // the user asked for it; reported as TLS_VERIFY_DISABLED
	d := newDialer(tlsCfg, o.Resolve)
	base := newHostRouter(d)
	return &Transport{dialer: d, base: base, client: buildClient(base, o), tlsCfg: tlsCfg, ua: userAgentOf(o), opts: o}
}

// buildClient stacks the layers above the pooled connections: what a run
// records, learns and prints is its own even when the connections are
// shared (Fork).
func buildClient(base http.RoundTripper, o TransportOptions) *http.Client {
	var rt http.RoundTripper = bodyTransport{next: base, secrets: o.Secrets}
	if o.Transcript != nil {
		rt = &transcriptTransport{next: rt, out: o.Transcript, secrets: o.Secrets}
	}
	rt = recordingTransport{next: rt, secrets: o.Secrets}

	wait := o.RetryWait
	if wait == 0 {
		wait = 200 * time.Millisecond
	}
	rc := &retryablehttp.Client{
		HTTPClient:   &http.Client{Transport: rt, CheckRedirect: noRedirects},
		RetryWaitMin: wait,
		RetryWaitMax: 4 * wait,
		RetryMax:     maxRetries,
		CheckRetry:   retryTransient,
		Backoff:      retryablehttp.DefaultBackoff,
		ErrorHandler: lastAnswerOrError,
	}
	return &http.Client{Transport: &userAgent{ua: userAgentOf(o), next: &retryablehttp.RoundTripper{Client: rc}}, CheckRedirect: noRedirects}
}

func userAgentOf(o TransportOptions) string {
	if o.UserAgent == "" {
		return "authdoctor"
	}
	return o.UserAgent
}

// Client returns the HTTP client every request of the run goes through.
func (t *Transport) Client() *http.Client { return t.client }

// Close releases idle connections.
func (t *Transport) Close() {
	if t.forked {
		return // the connections are the parent's
	}
	t.base.closeIdle()
	t.dialer.close()
}

// retryTransient retries only what cannot have been evaluated by Keycloak or
// is a gateway's temporary failure.
func retryTransient(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	if err != nil {
		return errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET), nil
	}
	switch resp.StatusCode {
	case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true, nil
	}
	return false, nil
}

// lastAnswerOrError ends a request whose retries are over. With no error it
// returns the last answer, which is classified like any other (a 503 after
// the retries). With an error it returns the error alone, as a RoundTripper
// must: net/http would log "RoundTripper returned a response & error;
// ignoring response" to the process's stderr for a response returned with
// an error, which retryablehttp.PassthroughErrorHandler does when the run's
// deadline ends a request whose answer was still arriving. The recorder has
// that answer either way.
func lastAnswerOrError(resp *http.Response, err error, _ int) (*http.Response, error) {
	if err == nil {
		return resp, nil
	}
	if resp != nil {
		_ = resp.Body.Close()
	}
	return nil, err
}

// noRedirects returns redirects as answers: a redirect from a token endpoint
// is itself a diagnosis (a proxy or login page), and following one would
// resend a password to another URL.
func noRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

type userAgent struct {
	ua   string
	next http.RoundTripper
}

func (u *userAgent) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.Header.Set("User-Agent", u.ua)
	if req.Header.Get("Accept") == "" {
		// Keycloak renders HTML error pages for browser-like requests; the
		// JSON error is what we classify.
		req.Header.Set("Accept", "application/json")
	}
	resp, err := u.next.RoundTrip(req)
	if resp != nil && err != nil {
		// Never both (see lastAnswerOrError): this is the RoundTripper
		// http.Client calls, and it would log the pair to stderr.
		_ = resp.Body.Close()
		resp = nil
	}
	return resp, err
}
