package httpx

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/internal/sanitize"
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
	var p TLSProbe
	if t.probes != nil {
		p = t.probes.probe(ctx, t, rawURL, now)
	} else {
		p = t.probeTLS(ctx, rawURL, now)
	}
	t.transcribeProbe(p)
	return p
}

// transcribeProbe writes what the probe learned to the -v transcript: the
// certificate and session of an https host, or why there is none.
func (t *Transport) transcribeProbe(p TLSProbe) {
	out := t.opts.Transcript
	if out == nil || p.Addr == "" {
		return
	}
	line := "* " + p.Addr + ": "
	switch desc := DescribeTLS(p.Details); {
	case p.Problem != nil:
		line += p.Problem.Code.ID + ": " + p.Problem.Message
	case desc != "":
		line += desc
	default:
		line += "plain HTTP (no TLS)"
	}
	// Certificate names come from the server: scrubbed and sanitised like
	// every other line of its text.
	_, _ = io.WriteString(out, sanitize.Line(t.opts.Secrets.Scrub(line))+"\n\n")
}

func (t *Transport) probeTLS(ctx context.Context, rawURL string, now time.Time) TLSProbe {
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
		// A rejected certificate is described in the message, so that the
		// table says what was presented and by whom, and in the details.
		addSessionDetails(p.Details, state)
		if _, ok := p.Problem.Details["not_after"]; ok {
			for k, v := range p.Problem.Details {
				p.Details[k] = v
			}
			addDaysLeft(p.Details, now)
			p.Problem.Message += "; " + DescribeTLS(p.Details)
		}
		return p
	}
	p.Details["handshake_ms"] = time.Since(start).Milliseconds()
	addSessionDetails(p.Details, state)
	t.dialer.keep("https", addr, conn)

	if len(state.PeerCertificates) == 0 {
		return p
	}
	leaf := state.PeerCertificates[0]
	for k, v := range certDetails(leaf) {
		p.Details[k] = v
	}
	addDaysLeft(p.Details, now)
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
			Message: fmt.Sprintf("%s: certificate expires in %s (on %s); %s", addr, humanDays(left), leaf.NotAfter.UTC().Format("2006-01-02 15:04 MST"), DescribeTLS(p.Details))})
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

// addSessionDetails records what the handshake agreed: version, cipher
// suite and ALPN protocol (nothing when it failed before the server's
// hello).
func addSessionDetails(d map[string]any, state tls.ConnectionState) {
	if state.Version == 0 {
		return
	}
	d["tls_version"] = tlsVersionName(state.Version)
	d["cipher_suite"] = tls.CipherSuiteName(state.CipherSuite)
	d["alpn"] = state.NegotiatedProtocol
}

// addDaysLeft adds the whole days from now to the certificate's not_after
// (negative once it has passed: -1 is "expired a day ago"), and expired
// when it has passed.
func addDaysLeft(d map[string]any, now time.Time) {
	na, _ := d["not_after"].(string)
	end, err := time.Parse("2006-01-02T15:04:05Z", na)
	if err != nil {
		return
	}
	left := end.Sub(now)
	d["days_left"] = int(left.Hours() / 24) // whole days, toward zero
	if left < 0 {
		d["expired"] = true
	}
}

// maxNamesShown is how many subject alternative names a message lists.
const maxNamesShown = 8

// DescribeTLS is one line about a host's certificate and session, from the
// details of its probe: who it is for, who issued it, until when, and the
// TLS version, e.g.
//
//	certificate for sso.example.com, www.example.com (CN=sso.example.com), issued by CN=R11,O=Let's Encrypt,C=US, valid until 2026-03-01 09:12 UTC (96 days left); TLS 1.3, TLS_AES_128_GCM_SHA256, ALPN h2
//
// "" when the probe saw no certificate.
func DescribeTLS(d map[string]any) string {
	var parts []string
	if na, ok := d["not_after"].(string); ok {
		cert := "certificate"
		if names := stringsOf(d["names"]); len(names) > 0 {
			// A certificate may carry hundreds of names: the first few
			// say enough, the details hold them all.
			if len(names) > maxNamesShown {
				names = append(names[:maxNamesShown:maxNamesShown], fmt.Sprintf("and %d more", len(names)-maxNamesShown))
			}
			cert += " for " + strings.Join(names, ", ")
			if subj, _ := d["subject"].(string); subj != "" {
				cert += " (" + subj + ")"
			}
		} else if subj, _ := d["subject"].(string); subj != "" {
			cert += " for " + subj + " (no subject alternative names)"
		}
		if iss, _ := d["issuer"].(string); iss != "" {
			cert += ", issued by " + iss
		}
		until := na
		if t, err := time.Parse("2006-01-02T15:04:05Z", na); err == nil {
			until = t.Format("2006-01-02 15:04 UTC")
		}
		cert += ", valid until " + until
		if days, ok := d["days_left"].(int); ok {
			expired, _ := d["expired"].(bool)
			switch {
			case expired && days == 0:
				cert += " (expired less than a day ago)"
			case expired:
				cert += fmt.Sprintf(" (expired %s ago)", count(-days, "day"))
			case days == 0:
				cert += " (less than a day left)"
			default:
				cert += fmt.Sprintf(" (%s left)", count(days, "day"))
			}
		}
		parts = append(parts, cert)
	}
	if v, ok := d["tls_version"].(string); ok {
		session := v
		if c, _ := d["cipher_suite"].(string); c != "" {
			session += ", " + c
		}
		if a, _ := d["alpn"].(string); a != "" {
			session += ", ALPN " + a
		}
		parts = append(parts, session)
	}
	return strings.Join(parts, "; ")
}

func stringsOf(v any) []string {
	switch t := v.(type) {
	case []string:
		return t
	case []any:
		var out []string
		for _, x := range t {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}
