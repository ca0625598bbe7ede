package httpx

import (
	"context"
	"crypto/x509"
	"fmt"
	"net"
	"net/url"
	"time"

	"github.com/authdoctor/authdoctor/checks/codes"
)

// ExpiryWarning is how close to its end a certificate draws a warning.
const ExpiryWarning = 14 * 24 * time.Hour

// TLSProbe is what the TLS check learned about one host.
type TLSProbe struct {
	URL      string
	Addr     string   // host:port
	Problem  *Problem // a failure; nil when the host is usable
	Warnings []*Problem
	Details  map[string]any
}

// ProbeTLS connects to the host of rawURL (TCP, then TLS for https) the way
// every later request will, and keeps the connection for the first of them.
// now is the clock used for certificate expiry.
func (t *Transport) ProbeTLS(ctx context.Context, rawURL string, now time.Time) TLSProbe {
	u, err := url.Parse(rawURL)
	if err != nil {
		return TLSProbe{URL: rawURL, Problem: &Problem{Code: codes.Unreachable, Message: err.Error()}}
	}
	addr := hostPort(u)
	p := TLSProbe{URL: rawURL, Addr: addr, Details: map[string]any{"address": addr}}
	if to := t.dialer.target(addr); to != addr {
		p.Details["resolved_to"] = to
	}

	if u.Scheme == "http" {
		conn, err := t.dialer.net.DialContext(ctx, "tcp", t.dialer.target(addr))
		if err != nil {
			p.Problem = ClassifyTransport(addr, err)
			return p
		}
		t.dialer.keep("http", addr, conn)
		if !IsLoopback(u.Hostname()) {
			p.Warnings = append(p.Warnings, &Problem{Code: codes.PlainHTTP,
				Message: fmt.Sprintf("%s uses plain http:// to a host that is not this machine: tokens and passwords cross the network unencrypted", u.Host)})
		}
		return p
	}

	start := time.Now()
	conn, state, err := t.dialer.handshake(ctx, addr, t.tlsCfg)
	if err != nil {
		p.Problem = ClassifyTransport(addr, err)
		return p
	}
	p.Details["handshake_ms"] = time.Since(start).Milliseconds()
	p.Details["tls_version"] = tlsVersionName(state.Version)
	p.Details["alpn"] = state.NegotiatedProtocol
	t.dialer.keep("https", addr, conn)

	if len(state.PeerCertificates) == 0 {
		return p
	}
	leaf := state.PeerCertificates[0]
	for k, v := range certDetails(leaf) {
		p.Details[k] = v
	}
	if t.tlsCfg.InsecureSkipVerify {
		msg := "certificate verification is disabled (--insecure-skip-tls-verify)"
		if verr := verifyChain(state.PeerCertificates, u.Hostname(), t.tlsCfg.RootCAs, now); verr != nil {
			msg += "; with verification on this would fail: " + ClassifyTransport(addr, verr).Message
		} else {
			msg += "; the certificate would verify anyway, so the flag can go"
		}
		p.Warnings = append(p.Warnings, &Problem{Code: codes.TLSVerifyDisabled, Message: msg})
	}
	if left := leaf.NotAfter.Sub(now); left < ExpiryWarning && left > 0 {
		p.Warnings = append(p.Warnings, &Problem{Code: codes.TLSExpiringSoon,
			Message: fmt.Sprintf("%s: certificate expires in %s (on %s)", addr, humanDays(left), leaf.NotAfter.UTC().Format("2006-01-02 15:04 MST"))})
	}
	return p
}

func verifyChain(certs []*x509.Certificate, host string, roots *x509.CertPool, now time.Time) error {
	inter := x509.NewCertPool()
	for _, c := range certs[1:] {
		inter.AddCert(c)
	}
	_, err := certs[0].Verify(x509.VerifyOptions{DNSName: host, Roots: roots, Intermediates: inter, CurrentTime: now})
	return err
}

func hostPort(u *url.URL) string {
	if u.Port() != "" {
		return u.Host
	}
	if u.Scheme == "https" {
		return net.JoinHostPort(u.Hostname(), "443")
	}
	return net.JoinHostPort(u.Hostname(), "80")
}

func humanDays(d time.Duration) string {
	days := int(d.Hours() / 24)
	if days >= 1 {
		return count(days, "day")
	}
	return count(int(d.Hours()), "hour")
}

// count reads "1 day", "2 days", "0 hours".
func count(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

func tlsVersionName(v uint16) string {
	switch v {
	case 0x0304:
		return "TLS 1.3"
	case 0x0303:
		return "TLS 1.2"
	}
	return fmt.Sprintf("0x%04x", v)
}
