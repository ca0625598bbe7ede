package httpx

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/fixtures"
	"github.com/authdoctor/authdoctor/internal/redact"
)

// tlsServer serves 200 over HTTPS with a certificate from ca for hosts,
// valid until notAfter, and counts the connections it accepts.
type tlsServer struct {
	*httptest.Server
	leaf  *x509.Certificate
	conns atomic.Int32
}

func startTLS(t *testing.T, ca *fixtures.CA, hosts []string, notAfter time.Time, configure func(*httptest.Server)) *tlsServer {
	t.Helper()
	cert, err := ca.Issue(hosts, time.Now().Add(-48*time.Hour), notAfter)
	if err != nil {
		t.Fatal(err)
	}
	s := &tlsServer{leaf: cert.Leaf}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	s.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			s.conns.Add(1)
		}
	}
	s.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	s.Config.ErrorLog = log.New(io.Discard, "", 0) // the failed handshakes are the point
	if configure != nil {
		configure(s.Server)
	}
	s.StartTLS()
	t.Cleanup(s.Close)
	return s
}

func newCA(t *testing.T) (*fixtures.CA, *x509.CertPool) {
	t.Helper()
	ca, err := fixtures.NewCA()
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(ca.CertPEM())
	return ca, pool
}

func probeTransport(pool *x509.CertPool, insecure bool, resolve map[string]string) *Transport {
	return NewTransport(TransportOptions{RootCAs: pool, Insecure: insecure, Resolve: resolve, Secrets: redact.NewSet(), RetryWait: time.Millisecond})
}

var loopbackHosts = []string{"127.0.0.1", "localhost"}

// The expiry warning starts strictly inside ExpiryWarning (14 days) and
// ends when the certificate does: exactly 14 days left is fine, and an
// expired one is the handshake's failure, not this warning.
func TestProbeTLSExpiryThreshold(t *testing.T) {
	ca, pool := newCA(t)
	srv := startTLS(t, ca, loopbackHosts, time.Now().Add(90*24*time.Hour), nil)
	end := srv.leaf.NotAfter
	tests := []struct {
		name     string
		left     time.Duration
		wantWarn bool
		wantIn   string
	}{
		{"15 days left", 15 * 24 * time.Hour, false, ""},
		{"exactly 14 days left", ExpiryWarning, false, ""},
		{"a second under 14 days", ExpiryWarning - time.Second, true, "expires in 13 days"},
		{"13 days left", 13 * 24 * time.Hour, true, "expires in 13 days"},
		{"8 days left", 8 * 24 * time.Hour, true, "expires in 8 days"},
		{"36 hours left", 36 * time.Hour, true, "expires in 1 day ("},
		{"exactly a day left", 24 * time.Hour, true, "expires in 1 day ("},
		{"23 hours left", 23 * time.Hour, true, "expires in 23 hours"},
		{"a second left", time.Second, true, "expires in 0 hours"},
		{"none left", 0, false, ""},
		{"expired an hour ago", -time.Hour, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := probeTransport(pool, false, nil)
			defer tr.Close()
			p := tr.ProbeTLS(context.Background(), srv.URL, end.Add(-tt.left))
			if p.Problem != nil {
				t.Fatalf("problem %s", p.Problem.Message)
			}
			if got := len(p.Warnings) > 0; got != tt.wantWarn {
				t.Fatalf("warned %v, want %v: %+v", got, tt.wantWarn, p.Warnings)
			}
			if tt.wantWarn {
				w := p.Warnings[0]
				if w.Code != codes.TLSExpiringSoon || !strings.Contains(w.Message, tt.wantIn) || !strings.Contains(w.Message, end.UTC().Format("2006-01-02 15:04 MST")) {
					t.Fatalf("got %s %q, want %q", w.Code, w.Message, tt.wantIn)
				}
			}
		})
	}
}

// A usable host: the probe's details, and its connection is the one the
// first request uses (one handshake per host).
func TestProbeTLSKeepsTheConnection(t *testing.T) {
	ca, pool := newCA(t)
	for _, tc := range []struct {
		name      string
		configure func(*httptest.Server)
		version   string
		alpn      string
	}{
		{"TLS 1.3, HTTP/1.1", nil, "TLS 1.3", "http/1.1"},
		{"TLS 1.2", func(s *httptest.Server) { s.TLS.MaxVersion = tls.VersionTLS12 }, "TLS 1.2", "http/1.1"},
		{"HTTP/2", func(s *httptest.Server) { s.EnableHTTP2 = true }, "TLS 1.3", "h2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := startTLS(t, ca, loopbackHosts, time.Now().Add(365*24*time.Hour), tc.configure)
			tr := probeTransport(pool, false, nil)
			defer tr.Close()
			p := tr.ProbeTLS(context.Background(), srv.URL, time.Now())
			if p.Problem != nil || len(p.Warnings) != 0 {
				t.Fatalf("problem %+v, warnings %+v", p.Problem, p.Warnings)
			}
			addr := strings.TrimPrefix(srv.URL, "https://")
			if p.Addr != addr || p.Details["address"] != addr || p.Details["tls_version"] != tc.version || p.Details["alpn"] != tc.alpn ||
				p.Details["not_after"] != srv.leaf.NotAfter.UTC().Format("2006-01-02T15:04:05Z") || p.Details["resolved_to"] != nil {
				t.Fatalf("details %v", p.Details)
			}
			if got := tr.dialer.speaksH2(addr); got != (tc.alpn == "h2") {
				t.Fatalf("speaksH2 %v", got)
			}
			resp, err := tr.Client().Get(srv.URL + "/realms/r")
			if err != nil {
				t.Fatal(err)
			}
			_ = resp.Body.Close()
			if n := srv.conns.Load(); n != 1 {
				t.Fatalf("%d connections; the probe's should serve the first request", n)
			}
		})
	}
}

// What the probe reports for each way a host can fail, or warn.
func TestProbeTLSProblemsAndWarnings(t *testing.T) {
	ca, pool := newCA(t)
	good := startTLS(t, ca, loopbackHosts, time.Now().Add(365*24*time.Hour), nil)
	wrongHost := startTLS(t, ca, []string{"sandbox.invalid"}, time.Now().Add(365*24*time.Hour), nil)
	expired := startTLS(t, ca, loopbackHosts, time.Now().Add(-time.Hour), nil)
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer plain.Close()
	plainPort := plain.URL[strings.LastIndex(plain.URL, ":")+1:]
	refused := func() string {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		return l.Addr().String()
	}()

	tests := []struct {
		name     string
		url      string
		pool     *x509.CertPool
		insecure bool
		resolve  map[string]string
		problem  *codes.Code
		warnings []*codes.Code
		wantIn   string
	}{
		{"untrusted", good.URL, nil, false, nil, codes.TLSUntrusted, nil, "unknown authority"},
		{"wrong host", wrongHost.URL, pool, false, nil, codes.TLSHostnameMismatch, nil, "cannot validate certificate for 127.0.0.1"},
		{"expired", expired.URL, pool, false, nil, codes.TLSExpired, nil, "expired"},
		{"https to a plain HTTP port", "https://" + strings.TrimPrefix(plain.URL, "http://"), pool, false, nil, codes.TLSHandshakeFailed, nil, "does not speak TLS"},
		{"refused", "https://" + refused, pool, false, nil, codes.Unreachable, nil, "connection refused"},
		{"refused, http", "http://" + refused, pool, false, nil, codes.Unreachable, nil, "connection refused"},
		{"not a URL", "http://[::1", pool, false, nil, codes.Unreachable, nil, "missing ']'"},
		{"verification off, would fail", good.URL, nil, true, nil, nil, []*codes.Code{codes.TLSVerifyDisabled}, "with verification on this would fail: 127.0.0.1:"},
		{"verification off, would pass", good.URL, pool, true, nil, nil, []*codes.Code{codes.TLSVerifyDisabled}, "the certificate would verify anyway"},
		{"plain http on loopback", plain.URL, nil, false, nil, nil, nil, ""},
		{"plain http to another host", "http://sso.example.test:" + plainPort, nil, false,
			map[string]string{"sso.example.test:" + plainPort: "127.0.0.1:" + plainPort}, nil, []*codes.Code{codes.PlainHTTP}, "sso.example.test:" + plainPort + " uses plain http://"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := probeTransport(tt.pool, tt.insecure, tt.resolve)
			defer tr.Close()
			p := tr.ProbeTLS(context.Background(), tt.url, time.Now())
			if tt.problem != nil {
				if p.Problem == nil || p.Problem.Code != tt.problem || !strings.Contains(p.Problem.Message, tt.wantIn) {
					t.Fatalf("got %+v, want %s %q", p.Problem, tt.problem, tt.wantIn)
				}
				return
			}
			if p.Problem != nil {
				t.Fatalf("problem %s: %s", p.Problem.Code, p.Problem.Message)
			}
			var got []*codes.Code
			for _, w := range p.Warnings {
				got = append(got, w.Code)
				if !strings.Contains(w.Message, tt.wantIn) {
					t.Errorf("warning %q lacks %q", w.Message, tt.wantIn)
				}
			}
			if len(got) != len(tt.warnings) || len(got) > 0 && got[0] != tt.warnings[0] {
				t.Fatalf("warnings %v, want %v", got, tt.warnings)
			}
			if tt.resolve != nil && p.Details["resolved_to"] != "127.0.0.1:"+plainPort {
				t.Fatalf("details %v", p.Details)
			}
		})
	}
}

// A plain-HTTP probe's connection serves the first request too.
func TestProbeHTTPKeepsTheConnection(t *testing.T) {
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	srv.Config.ConnState = func(_ net.Conn, st http.ConnState) {
		if st == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	tr := probeTransport(nil, false, nil)
	defer tr.Close()
	if p := tr.ProbeTLS(context.Background(), srv.URL, time.Now()); p.Problem != nil || len(p.Warnings) != 0 {
		t.Fatalf("%+v", p)
	}
	resp, err := tr.Client().Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if conns.Load() != 1 {
		t.Fatalf("%d connections", conns.Load())
	}
}

func TestTLSProbeHelpers(t *testing.T) {
	for raw, want := range map[string]string{
		"https://sso.example.com":      "sso.example.com:443",
		"http://sso.example.com":       "sso.example.com:80",
		"https://sso.example.com:8443": "sso.example.com:8443",
		"https://[::1]":                "[::1]:443",
	} {
		u, _ := http.NewRequest(http.MethodGet, raw, nil)
		if got := hostPort(u.URL); got != want {
			t.Errorf("hostPort(%s) = %s, want %s", raw, got, want)
		}
	}
	for v, want := range map[uint16]string{tls.VersionTLS13: "TLS 1.3", tls.VersionTLS12: "TLS 1.2", tls.VersionTLS11: "0x0302"} {
		if got := tlsVersionName(v); got != want {
			t.Errorf("tlsVersionName(%x) = %s, want %s", v, got, want)
		}
	}
	for d, want := range map[time.Duration]string{48 * time.Hour: "2 days", 47 * time.Hour: "1 day", 24 * time.Hour: "1 day",
		23*time.Hour + 59*time.Minute: "23 hours", time.Hour: "1 hour", 0: "0 hours"} {
		if got := humanDays(d); got != want {
			t.Errorf("humanDays(%s) = %s, want %s", d, got, want)
		}
	}
}

// DescribeTLS says who the certificate is for, who issued it, until when
// (and how long that is from now), and the session, from a probe's details.
func TestDescribeTLS(t *testing.T) {
	tests := []struct {
		name    string
		details map[string]any
		want    string
	}{
		{"pass", map[string]any{"subject": "CN=sso.test", "issuer": "CN=Test CA", "names": []string{"sso.test", "www.sso.test"},
			"not_after": "2027-01-02T03:04:05Z", "days_left": 40, "tls_version": "TLS 1.3", "cipher_suite": "TLS_AES_128_GCM_SHA256", "alpn": "h2"},
			"certificate for sso.test, www.sso.test (CN=sso.test), issued by CN=Test CA, valid until 2027-01-02 03:04 UTC (40 days left); TLS 1.3, TLS_AES_128_GCM_SHA256, ALPN h2"},
		{"expired", map[string]any{"subject": "CN=old", "issuer": "CN=Test CA", "not_after": "2025-01-02T03:04:05Z", "days_left": -3, "expired": true},
			"certificate for CN=old (no subject alternative names), issued by CN=Test CA, valid until 2025-01-02 03:04 UTC (expired 3 days ago)"},
		{"expired today", map[string]any{"not_after": "2025-01-02T03:04:05Z", "days_left": 0, "expired": true},
			"certificate, valid until 2025-01-02 03:04 UTC (expired less than a day ago)"},
		{"one day", map[string]any{"not_after": "2025-01-02T03:04:05Z", "days_left": 1}, "certificate, valid until 2025-01-02 03:04 UTC (1 day left)"},
		{"session only", map[string]any{"tls_version": "TLS 1.2"}, "TLS 1.2"},
		{"nothing", map[string]any{"address": "h:443"}, ""},
		{"many names", map[string]any{"not_after": "2025-01-02T03:04:05Z", "names": []any{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"}},
			"certificate for a, b, c, d, e, f, g, h, and 2 more, valid until 2025-01-02 03:04 UTC"},
	}
	for _, tt := range tests {
		if got := DescribeTLS(tt.details); got != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, got, tt.want)
		}
	}
}
