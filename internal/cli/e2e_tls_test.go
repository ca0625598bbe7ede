package cli

import (
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/fixtures"
)

// tlsSandbox serves the emulator over TLS with a certificate for hosts, valid
// from notBefore to notAfter, signed by a test CA.
type tlsSandbox struct {
	srv    *httptest.Server
	caFile string
	port   string
}

func startTLSSandbox(t *testing.T, hosts []string, notBefore, notAfter time.Time) *tlsSandbox {
	return startTLSSandboxWith(t, hosts, notBefore, notAfter, nil)
}

// startTLSSandboxWith lets a test adjust the server's TLS configuration.
func startTLSSandboxWith(t *testing.T, hosts []string, notBefore, notAfter time.Time, configure func(*tls.Config)) *tlsSandbox {
	t.Helper()
	return serveTLS(t, newSandbox(t, fixtures.Options{}).Handler(), hosts, notBefore, notAfter, configure)
}

// serveTLS serves h over TLS with HTTP/2, with a certificate for hosts from a
// fresh CA whose certificate is written to a file for --ca-file.
func serveTLS(t testing.TB, h http.Handler, hosts []string, notBefore, notAfter time.Time, configure func(*tls.Config)) *tlsSandbox {
	t.Helper()
	ca, err := fixtures.NewCA()
	if err != nil {
		t.Fatal(err)
	}
	cert, err := ca.Issue(hosts, notBefore, notAfter)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(h)
	srv.EnableHTTP2 = true
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	if configure != nil {
		configure(srv.TLS)
	}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, ca.CertPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	return &tlsSandbox{srv: srv, caFile: caFile, port: port}
}

// env points at https://<host>:<port>, with --resolve sending host to loopback.
func (s *tlsSandbox) env(host string) map[string]string {
	return withEnv(anaEnv(), "KEYCLOAK_URL", fmt.Sprintf("https://%s:%s", host, s.port),
		"GRAPHQL_URL", fmt.Sprintf("https://%s:%s/v1/graphql", host, s.port))
}

func (s *tlsSandbox) resolve(host string) string { return fmt.Sprintf("%s:%s:127.0.0.1", host, s.port) }

func TestTLSDiagnoses(t *testing.T) {
	now := time.Now()
	year := now.AddDate(1, 0, 0)
	tests := []struct {
		name      string
		certHosts []string
		notBefore time.Time
		notAfter  time.Time
		useCA     bool
		insecure  bool
		status    string
		code      string
		rest      string // status of credentials: the run goes on after a warning
	}{
		{"trusted via --ca-file", []string{"sso.test"}, now.Add(-time.Hour), year, true, false, "pass", "", "pass"},
		{"untrusted", []string{"sso.test"}, now.Add(-time.Hour), year, false, false, "fail", "TLS_UNTRUSTED", "skip"},
		{"hostname mismatch", []string{"other.test"}, now.Add(-time.Hour), year, true, false, "fail", "TLS_HOSTNAME_MISMATCH", "skip"},
		{"expired", []string{"sso.test"}, now.AddDate(0, -2, 0), now.AddDate(0, 0, -1), true, false, "fail", "TLS_EXPIRED", "skip"},
		{"expiring soon", []string{"sso.test"}, now.Add(-time.Hour), now.AddDate(0, 0, 5), true, false, "warn", "TLS_EXPIRING_SOON", "pass"},
		{"verification disabled", []string{"sso.test"}, now.Add(-time.Hour), year, false, true, "warn", "TLS_VERIFY_DISABLED", "pass"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := startTLSSandbox(t, tt.certHosts, tt.notBefore, tt.notAfter)
			args := []string{"--resolve", s.resolve("sso.test")}
			if tt.useCA {
				args = append(args, "--ca-file", s.caFile)
			}
			if tt.insecure {
				args = append(args, "--insecure-skip-tls-verify")
			}
			rep, _ := checkJSON(t, s.env("sso.test"), args...)
			assertDiagnosis(t, rep, "tls", tt.status, tt.code)
			assertTLSDetails(t, rep, tt.certHosts[0], tt.code != "" && tt.code != "TLS_VERIFY_DISABLED")
			if tt.code != "" && tt.code != "TLS_VERIFY_DISABLED" {
				// The openssl command is filled in with the host and port.
				if _, _, _, fix := rep.check(t, "tls"); !strings.Contains(fix, "openssl s_client -connect sso.test:"+s.port+" -servername sso.test") {
					t.Errorf("the fix's openssl command is not filled in:\n%s", fix)
				}
			}
			if status, code, msg, _ := rep.check(t, "credentials"); status != tt.rest {
				t.Fatalf("credentials: %s %s %s, want %s", status, code, msg, tt.rest)
			}
		})
	}
}

func TestInsecureSaysWhatWouldFail(t *testing.T) {
	s := startTLSSandbox(t, []string{"sso.test"}, time.Now().Add(-time.Hour), time.Now().AddDate(1, 0, 0))
	for _, format := range []string{"table", "json", "markdown", "junit", "short"} {
		run := runCLI(t, s.env("sso.test"), "check", "-o", format, "--resolve", s.resolve("sso.test"), "--insecure-skip-tls-verify")
		if !strings.Contains(run.stdout, "TLS_VERIFY_DISABLED") {
			t.Errorf("%s output does not report TLS_VERIFY_DISABLED:\n%s", format, run.stdout)
		}
	}
	rep, _ := checkJSON(t, s.env("sso.test"), "--resolve", s.resolve("sso.test"), "--insecure-skip-tls-verify")
	if _, _, msg, _ := rep.check(t, "tls"); !strings.Contains(msg, "unknown authority") {
		t.Fatalf("the warning should say why verification would fail: %s", msg)
	}
}

func TestHTTPSToPlainPort(t *testing.T) {
	srv := startSandbox(t, fixtures.Options{})
	env := srv.env(anaEnv())
	env["KEYCLOAK_URL"] = strings.Replace(srv.keycloakURL(), "http://", "https://", 1)
	delete(env, "GRAPHQL_URL")
	rep, _ := checkJSON(t, env)
	assertDiagnosis(t, rep, "tls", "fail", "TLS_HANDSHAKE_FAILED")
}

// A GraphQL host with a bad certificate fails tls but does not stop the
// Keycloak checks; graphql is skipped with the reason.
func TestGraphQLHostTLSDoesNotBlockKeycloak(t *testing.T) {
	kc := startSandbox(t, fixtures.Options{})
	gql := startTLSSandbox(t, []string{"api.test"}, time.Now().Add(-time.Hour), time.Now().AddDate(1, 0, 0))
	env := kc.env(anaEnv())
	env["GRAPHQL_URL"] = fmt.Sprintf("https://api.test:%s/v1/graphql", gql.port)
	rep, _ := checkJSON(t, env, "--resolve", gql.resolve("api.test"))
	assertDiagnosis(t, rep, "tls", "fail", "TLS_UNTRUSTED")
	for id, want := range map[string]string{"realm": "pass", "credentials": "pass", "roles": "pass", "graphql": "skip", "refresh": "pass"} {
		if status, code, msg, _ := rep.check(t, id); status != want {
			t.Errorf("%s: %s %s %s, want %s", id, status, code, msg, want)
		}
	}
}

func TestUnreachable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := l.Addr().String()
	_ = l.Close()

	hang, err := net.Listen("tcp", "127.0.0.1:0") // accepts, never answers the handshake
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = hang.Close() })

	base := map[string]string{"TENANT_ID": "t", "CLIENT_ID": "admin-portal"}
	for name, tc := range map[string]struct {
		url, cause string
		args       []string
	}{
		"refused": {"http://" + closed, "refused", nil},
		"timeout": {"https://" + hang.Addr().String(), "timeout", []string{"--timeout", "500ms"}},
	} {
		t.Run(name, func(t *testing.T) {
			env := map[string]string{"KEYCLOAK_URL": tc.url}
			for k, v := range base {
				env[k] = v
			}
			rep, _ := checkJSON(t, env, tc.args...)
			assertDiagnosis(t, rep, "tls", "fail", "UNREACHABLE")
			if _, _, msg, _ := rep.check(t, "tls"); !strings.Contains(msg, tc.cause) {
				t.Fatalf("the message should say %q: %s", tc.cause, msg)
			}
		})
	}
}

// Plain http to a host that is not this machine: warned, and secrets are
// not sent unless --allow-plain-http.
func TestPlainHTTP(t *testing.T) {
	srv := startSandbox(t, fixtures.Options{})
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	env := withEnv(anaEnv(), "KEYCLOAK_URL", "http://sso.test:"+port)
	resolve := []string{"--resolve", "sso.test:" + port + ":127.0.0.1"}
	rep, _ := checkJSON(t, env, resolve...)
	assertDiagnosis(t, rep, "tls", "warn", "PLAIN_HTTP")
	assertDiagnosis(t, rep, "credentials", "fail", "PLAIN_HTTP_BLOCKED")
	for _, r := range srv.sb.Requests() {
		if r.SentPassword {
			t.Fatal("the password was sent over plain http")
		}
	}
	rep, _ = checkJSON(t, env, append(resolve, "--allow-plain-http")...)
	assertDiagnosis(t, rep, "credentials", "pass", "")
}

// One TLS handshake per host for the whole run, the tls check's included:
// its connection is handed to the first request and HTTP/2 carries the rest.
func TestOneHandshakePerHost(t *testing.T) {
	var handshakes atomic.Int32
	s := startTLSSandboxWith(t, []string{"sso.test"}, time.Now().Add(-time.Hour), time.Now().AddDate(1, 0, 0), func(c *tls.Config) {
		c.GetConfigForClient = func(*tls.ClientHelloInfo) (*tls.Config, error) {
			handshakes.Add(1)
			return nil, nil
		}
	})
	rep, run := checkJSON(t, s.env("sso.test"), "--resolve", s.resolve("sso.test"), "--ca-file", s.caFile, "--require-field", "get_upload_url")
	if run.code != exitOK {
		t.Fatalf("exit %d: %+v", run.code, rep.Checks)
	}
	if n := handshakes.Load(); n != 1 {
		t.Fatalf("%d TLS handshakes for one host", n)
	}
}

// assertTLSDetails: the tls check's JSON details hold the Keycloak host's
// certificate (subject, issuer, names, not-after, days left) and session
// (version, cipher suite), whatever the outcome; a TLS finding's message
// says them in words, so the table explains the failure.
func assertTLSDetails(t *testing.T, rep jsonReport, certHost string, inMessage bool) {
	t.Helper()
	var details map[string]any
	var msg string
	for _, c := range rep.Checks {
		if c.ID == "tls" {
			details, msg = c.Details, c.Message
		}
	}
	kc, _ := details["keycloak"].(map[string]any)
	for _, key := range []string{"subject", "issuer", "names", "not_after", "days_left", "tls_version", "cipher_suite"} {
		if _, ok := kc[key]; !ok {
			t.Errorf("details.keycloak lacks %s: %v", key, kc)
		}
	}
	names, _ := kc["names"].([]any)
	found := false
	for _, n := range names {
		found = found || n == certHost
	}
	if !found {
		t.Errorf("details.keycloak.names = %v, want %s among them", kc["names"], certHost)
	}
	if !inMessage {
		return
	}
	for _, want := range []string{"certificate for ", certHost, "issued by ", "valid until ", "TLS 1.3"} {
		if !strings.Contains(msg, want) {
			t.Errorf("the message lacks %q: %s", want, msg)
		}
	}
}

// -v shows each host's certificate and session, for a pass too.
func TestVerboseShowsTLSDetails(t *testing.T) {
	s := startTLSSandbox(t, []string{"sso.test"}, time.Now().Add(-time.Hour), time.Now().AddDate(0, 3, 0))
	run := runCLI(t, s.env("sso.test"), "check", "-v", "--resolve", s.resolve("sso.test"), "--ca-file", s.caFile)
	if run.code != exitOK {
		t.Fatalf("exit %d:\n%s\n%s", run.code, run.stdout, run.stderr)
	}
	for _, want := range []string{"* sso.test:" + s.port + ": certificate for sso.test", "issued by ", "days left); TLS 1.3, TLS_"} {
		if !strings.Contains(run.stderr, want) {
			t.Errorf("-v output lacks %q:\n%s", want, run.stderr)
		}
	}
}
