package httpx

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/textproto"
	"strings"
	"syscall"
	"time"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/internal/redact"
)

// Problem is a classified failure: a registry code, what was observed (in the
// server's own words where it said any), and a hint specific to this case
// that the registry's general fix does not already say.
type Problem struct {
	Code    *codes.Code
	Message string
	Hint    string
	Details map[string]any
	// ServerTime is the Date of the answer that was classified (the
	// server's clock), zero when there was none.
	ServerTime time.Time
}

func (p *Problem) Error() string { return p.Code.ID + ": " + p.Message }

// Scrubbed returns p with the secrets scrubbed from its message, hint and
// details. A classifier returns its problem through it, with the secrets
// of the exchange it read, so that a server echoing a password or a token
// never puts it in a problem (checks.Diagnose scrubs the whole report once
// more, with the secrets known by then).
func (p *Problem) Scrubbed(secrets *redact.Set) *Problem {
	if p == nil || secrets == nil {
		return p
	}
	out := *p
	out.Message, out.Hint = secrets.Scrub(p.Message), secrets.Scrub(p.Hint)
	if p.Details != nil {
		out.Details = make(map[string]any, len(p.Details))
		for k, v := range p.Details {
			switch t := v.(type) {
			case string:
				v = secrets.Scrub(t)
			case []string:
				list := make([]string, len(t))
				for i, s := range t {
					list[i] = secrets.Scrub(s)
				}
				v = list
			}
			out.Details[k] = v
		}
	}
	return &out
}

// ClassifyExchange names the failure of a request that got no HTTP answer.
// A request that was written in full and then timed out reached the server:
// that is ANSWER_TIMEOUT (the server is slow or stuck), not UNREACHABLE.
func ClassifyExchange(ex Exchange) *Problem {
	var netErr net.Error
	timedOut := errors.Is(ex.Err, context.DeadlineExceeded) || (errors.As(ex.Err, &netErr) && netErr.Timeout())
	if malformedAnswer(ex.Err) {
		// The server answered, but not in HTTP: control characters in a
		// header, a garbled status line. Go refuses such an answer.
		return &Problem{Code: codes.UnexpectedAnswer,
			Message: fmt.Sprintf("%s %s: the answer is not valid HTTP (%s)", ex.Method, ex.URL, malformedReason(ex.Err)),
			Details: map[string]any{"cause": "malformed answer"}}
	}
	if !ex.Sent || !timedOut {
		return ClassifyTransport(hostOf(ex.URL), ex.Err)
	}
	return &Problem{
		Code:    codes.AnswerTimeout,
		Message: fmt.Sprintf("%s %s: the request was sent, but no answer came before the run's deadline (--timeout); waited %s", ex.Method, ex.URL, ex.Duration.Round(time.Millisecond)),
		Hint:    slowEndpointHint(ex.URL),
		Details: map[string]any{"cause": "no answer", "waited_ms": ex.Duration.Milliseconds()},
	}
}

// malformedAnswer reports whether err is net/http refusing an answer that
// is not HTTP: a header line it cannot parse (textproto.ProtocolError), or
// a status line that is not one.
func malformedAnswer(err error) bool {
	var pe textproto.ProtocolError
	return err != nil && (errors.As(err, &pe) || strings.Contains(err.Error(), "malformed HTTP "))
}

// malformedReason is what net/http found wrong, without its prefixes.
func malformedReason(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, "malformed "); i >= 0 {
		return msg[i:]
	}
	return msg
}

// slowEndpointHint names what usually makes this endpoint slow.
func slowEndpointHint(rawURL string) string {
	switch {
	case strings.HasSuffix(rawURL, "/protocol/openid-connect/token"):
		return "The token endpoint checks the password (hashing is CPU-heavy under load) and, with user federation, asks LDAP/Kerberos: an unreachable LDAP server makes every login wait for its connection timeout. Look at Keycloak's log for this request."
	case strings.Contains(rawURL, "/realms/"):
		return "Keycloak answered the connection but not the request: it may still be starting, or its database is slow. Look at Keycloak's log and its /health/ready endpoint (management port 9000 on Keycloak 25+)."
	}
	return "The GraphQL server accepted the request but did not answer: look at its log, and at its database, which answers every query."
}

// ClassifyTransport names a transport failure: DNS, refused, timeout, reset,
// or one of the TLS verification failures. errors.As works here because the
// error comes from our own transport, not through gocloak's strings.
func ClassifyTransport(addr string, err error) *Problem {
	var (
		dnsErr  *net.DNSError
		unknown x509.UnknownAuthorityError
		host    x509.HostnameError
		invalid x509.CertificateInvalidError
		record  tls.RecordHeaderError
		netErr  net.Error
	)
	switch {
	case errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &netErr) && netErr.Timeout()):
		return &Problem{Code: codes.Unreachable, Message: fmt.Sprintf("timeout: no answer from %s before the deadline", addr), Details: map[string]any{"cause": "timeout"}}
	case errors.As(err, &dnsErr):
		return &Problem{Code: codes.Unreachable, Message: fmt.Sprintf("DNS: cannot resolve %s (%s)", dnsErr.Name, dnsErr.Err), Details: map[string]any{"cause": "dns"}}
	case errors.Is(err, syscall.ECONNREFUSED):
		return &Problem{Code: codes.Unreachable, Message: fmt.Sprintf("connection refused by %s: nothing listens on that port", addr), Details: map[string]any{"cause": "refused"}}
	case errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return &Problem{Code: codes.Unreachable, Message: fmt.Sprintf("connection reset by %s (a proxy or firewall closed it)", addr), Details: map[string]any{"cause": "reset"}}
	case errors.As(err, &unknown):
		return &Problem{Code: codes.TLSUntrusted, Message: fmt.Sprintf("%s: %v", addr, unknown), Details: certDetails(unknown.Cert)}
	case errors.As(err, &host):
		return &Problem{Code: codes.TLSHostnameMismatch, Message: fmt.Sprintf("%s: %v", addr, host), Details: certDetails(host.Certificate)}
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		return &Problem{Code: codes.TLSExpired, Message: fmt.Sprintf("%s: %v", addr, invalid), Details: certDetails(invalid.Cert)}
	case errors.As(err, &record) || errors.Is(err, http.ErrSchemeMismatch):
		return &Problem{Code: codes.TLSHandshakeFailed, Message: fmt.Sprintf("%s does not speak TLS (%v)", addr, err), Hint: "The port answers plain HTTP: use http:// for this port, or the HTTPS port (often 443 or 8443)."}
	case strings.Contains(err.Error(), "certificate is not trusted"):
		// macOS verifier: "x509: “host” certificate is not trusted" is not a typed error.
		return &Problem{Code: codes.TLSUntrusted, Message: fmt.Sprintf("%s: %v", addr, err)}
	}
	var certErr *tls.CertificateVerificationError
	if errors.As(err, &certErr) {
		return &Problem{Code: codes.TLSHandshakeFailed, Message: fmt.Sprintf("%s: %v", addr, certErr)}
	}
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Op == "dial" {
		return &Problem{Code: codes.Unreachable, Message: fmt.Sprintf("cannot connect to %s: %v", addr, opErr.Err)}
	}
	if strings.HasPrefix(err.Error(), "tls:") || strings.Contains(err.Error(), "remote error: tls") {
		return &Problem{Code: codes.TLSHandshakeFailed, Message: fmt.Sprintf("%s: %v", addr, err)}
	}
	return &Problem{Code: codes.Unreachable, Message: fmt.Sprintf("%s: %v", addr, err)}
}

func certDetails(c *x509.Certificate) map[string]any {
	if c == nil {
		return nil
	}
	d := map[string]any{
		"subject":   c.Subject.String(),
		"issuer":    c.Issuer.String(),
		"not_after": c.NotAfter.UTC().Format("2006-01-02T15:04:05Z"),
	}
	if names := certNames(c); len(names) > 0 {
		d["names"] = names
	}
	return d
}

func certNames(c *x509.Certificate) []string {
	names := append([]string(nil), c.DNSNames...)
	for _, ip := range c.IPAddresses {
		names = append(names, ip.String())
	}
	return names
}

// IsLoopback reports whether host (no port) is this machine: plain http to
// it never leaves the machine.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}
