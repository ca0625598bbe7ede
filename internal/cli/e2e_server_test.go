package cli

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/fixtures"
)

// behindProxy serves the sandbox behind a misbehaving "proxy" for some paths.
func behindProxy(t *testing.T, sb *fixtures.Sandbox, intercept func(w http.ResponseWriter, r *http.Request) bool) *httptest.Server {
	t.Helper()
	next := sb.Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !intercept(w, r) {
			next.ServeHTTP(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestBasePathMismatch(t *testing.T) {
	tests := []struct {
		name, relativePath, urlSuffix, wantURLSuffix string
	}{
		{"/auth on a Quarkus server", "", "/auth", ""},
		{"no /auth on a legacy server", "/auth", "", "/auth"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(newSandbox(t, fixtures.Options{RelativePath: tt.relativePath}).Handler())
			t.Cleanup(srv.Close)
			env := anaEnv()
			env["KEYCLOAK_URL"] = srv.URL + tt.urlSuffix
			rep, _ := checkJSON(t, env)
			assertDiagnosis(t, rep, "realm", "fail", "BASE_PATH_MISMATCH")
			if _, _, _, fix := rep.check(t, "realm"); !strings.Contains(fix, "KEYCLOAK_URL="+srv.URL+tt.wantURLSuffix+".") {
				t.Fatalf("the fix must name the URL to use: %s", fix)
			}
		})
	}
}

func TestUnexpectedTokenAnswers(t *testing.T) {
	tests := []struct {
		name   string
		status int
		ctype  string
		body   string
	}{
		{"login page with 200", 200, "text/html", "<html><body><h1>Sign in to continue</h1></body></html>"},
		{"gateway error", 502, "text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var hits atomic.Int32
			srv := behindProxy(t, newSandbox(t, fixtures.Options{}), func(w http.ResponseWriter, r *http.Request) bool {
				if !strings.HasSuffix(r.URL.Path, "/token") {
					return false
				}
				hits.Add(1)
				w.Header().Set("Content-Type", tt.ctype)
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
				return true
			})
			env := anaEnv()
			env["KEYCLOAK_URL"] = srv.URL
			rep, _ := checkJSON(t, env)
			assertDiagnosis(t, rep, "credentials", "fail", "UNEXPECTED_RESPONSE")
			if _, _, msg, _ := rep.check(t, "credentials"); !strings.Contains(msg, "text/html") || !strings.Contains(msg, "Bad Gateway") && tt.status == 502 {
				t.Fatalf("the message should quote status, type and an excerpt: %s", msg)
			}
			if tt.status == 502 && hits.Load() != 3 {
				t.Fatalf("a 502 is retried twice: %d attempts", hits.Load())
			}
		})
	}
}

func TestTransientGatewayErrorIsRetried(t *testing.T) {
	var hits atomic.Int32
	srv := behindProxy(t, newSandbox(t, fixtures.Options{}), func(w http.ResponseWriter, r *http.Request) bool {
		if strings.HasSuffix(r.URL.Path, "/token") && hits.Add(1) <= 2 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return true
		}
		return false
	})
	env := anaEnv()
	env["KEYCLOAK_URL"] = srv.URL
	rep, _ := checkJSON(t, env)
	assertDiagnosis(t, rep, "credentials", "pass", "")
}

func TestClock(t *testing.T) {
	// The server's clock is 10 minutes behind: its tokens (300 s) are already expired here.
	srv := startSandbox(t, fixtures.Options{ClockSkew: -10 * time.Minute})
	rep, _ := checkJSON(t, srv.env(anaEnv()))
	assertDiagnosis(t, rep, "roles", "fail", "TOKEN_INVALID")
	if _, _, _, fix := rep.check(t, "roles"); !strings.Contains(fix, "clock") {
		t.Fatalf("the fix should point at the clock: %s", fix)
	}
	// Two minutes apart: tokens still valid, but worth a warning.
	srv = startSandbox(t, fixtures.Options{ClockSkew: 2 * time.Minute})
	rep, _ = checkJSON(t, srv.env(anaEnv()))
	assertDiagnosis(t, rep, "clock", "warn", "CLOCK_SKEW_SMALL")
}

func TestIssuerMismatch(t *testing.T) {
	srv := startSandbox(t, fixtures.Options{Hostname: "https://sso.example.com"})
	rep, _ := checkJSON(t, srv.env(anaEnv()))
	assertDiagnosis(t, rep, "realm", "warn", "ISSUER_MISMATCH")
}

func TestNotGraphQL(t *testing.T) {
	srv := startSandbox(t, fixtures.Options{})
	env := srv.env(anaEnv())
	env["GRAPHQL_URL"] = srv.keycloakURL() + "/realms/tenant-" + fixtures.TenantID
	rep, _ := checkJSON(t, env)
	assertDiagnosis(t, rep, "graphql", "fail", "NOT_GRAPHQL")
}

// A GraphQL URL whose server answers an HTTP error instead of GraphQL: a
// gateway's 503 is a GraphQL server in trouble; 501 Not Implemented is a
// server that does not take POST there (a static file server), so not a
// GraphQL endpoint at all.
func TestGraphQLHTTPErrors(t *testing.T) {
	for _, tc := range []struct {
		status int
		code   string
	}{
		{http.StatusServiceUnavailable, "GRAPHQL_UNREACHABLE"},
		{http.StatusNotImplemented, "NOT_GRAPHQL"},
	} {
		t.Run(http.StatusText(tc.status), func(t *testing.T) {
			srv := behindProxy(t, newSandbox(t, fixtures.Options{}), func(w http.ResponseWriter, r *http.Request) bool {
				if r.URL.Path == "/v1/graphql" {
					w.WriteHeader(tc.status)
					return true
				}
				return false
			})
			env := anaEnv()
			env["KEYCLOAK_URL"], env["GRAPHQL_URL"] = srv.URL, srv.URL+"/v1/graphql"
			rep, _ := checkJSON(t, env)
			assertDiagnosis(t, rep, "graphql", "fail", tc.code)
		})
	}
}

func TestGraphQLSkippedWithoutURL(t *testing.T) {
	srv := startSandbox(t, fixtures.Options{})
	env := srv.env(anaEnv())
	delete(env, "GRAPHQL_URL")
	rep, run := checkJSON(t, env)
	if status, _, msg, _ := rep.check(t, "graphql"); status != "skip" || !strings.Contains(msg, "GRAPHQL_URL") {
		t.Fatalf("graphql: %s %s", status, msg)
	}
	if run.code != exitOK {
		t.Fatalf("a skipped check does not fail the run: exit %d", run.code)
	}
}

// A server that takes the request and never answers is slow or stuck, not
// unreachable: ANSWER_TIMEOUT names the request, and the checks after it that
// could not start are TIMEOUT.
func TestAnswerTimeout(t *testing.T) {
	for _, tc := range []struct {
		stall, check, hint string
	}{
		{"/protocol/openid-connect/token", "credentials", "LDAP"},
		{"/v1/graphql", "graphql", "GraphQL server"},
	} {
		t.Run(tc.check, func(t *testing.T) {
			srv := behindProxy(t, newSandbox(t, fixtures.Options{}), func(w http.ResponseWriter, r *http.Request) bool {
				if !strings.HasSuffix(r.URL.Path, tc.stall) {
					return false
				}
				// Read the body first: only then does net/http watch the
				// connection and cancel r.Context() when the client gives up.
				_, _ = io.Copy(io.Discard, r.Body)
				<-r.Context().Done()
				return true
			})
			env := anaEnv()
			env["KEYCLOAK_URL"], env["GRAPHQL_URL"] = srv.URL, srv.URL+"/v1/graphql"
			rep, run := checkJSON(t, env, "--timeout", "2s")
			if run.code != exitFailed {
				t.Fatalf("exit %d, want %d", run.code, exitFailed)
			}
			assertDiagnosis(t, rep, "realm", "pass", "")
			assertDiagnosis(t, rep, tc.check, "fail", "ANSWER_TIMEOUT")
			_, _, msg, fix := rep.check(t, tc.check)
			if !strings.Contains(msg, tc.stall) || !strings.Contains(msg, "no answer") {
				t.Fatalf("the message should name the request that went unanswered: %s", msg)
			}
			if !strings.Contains(fix, tc.hint) {
				t.Fatalf("the fix should carry the hint for this endpoint (%q): %s", tc.hint, fix)
			}
		})
	}
}

// The classic internal-vs-public hostname failure: Hasura is configured
// with the issuer Keycloak has on the internal network, the token was
// fetched through the public URL.
func TestGraphQLRejectsIssuer(t *testing.T) {
	internal := "http://keycloak:8080/realms/tenant-" + fixtures.TenantID
	srv := startSandbox(t, fixtures.Options{HasuraIssuer: internal})
	rep, _ := checkJSON(t, srv.env(anaEnv()))
	assertDiagnosis(t, rep, "graphql", "fail", "GRAPHQL_TOKEN_REJECTED")
	_, _, msg, fix := rep.check(t, "graphql")
	if !strings.Contains(msg, "JWTNotInIssuer") || !strings.Contains(msg, srv.URL+"/realms/tenant-"+fixtures.TenantID) {
		t.Fatalf("the message should quote Hasura and show the token's iss: %s", msg)
	}
	if !strings.Contains(fix, "public Keycloak URL") {
		t.Fatalf("the fix should point at the hostnames: %s", fix)
	}
}

// An OAuth error that no rule knows (another OAuth server in front of
// Keycloak, or a future Keycloak) is quoted as it came, under GRANT_REJECTED.
func TestUnknownOAuthErrorIsQuoted(t *testing.T) {
	srv := behindProxy(t, newSandbox(t, fixtures.Options{}), func(w http.ResponseWriter, r *http.Request) bool {
		if !strings.HasSuffix(r.URL.Path, "/token") {
			return false
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"error":"temporarily_unavailable","error_description":"Login is paused for maintenance"}`))
		return true
	})
	rep, _ := checkJSON(t, withEnv(anaEnv(), "KEYCLOAK_URL", srv.URL))
	assertDiagnosis(t, rep, "credentials", "fail", "GRANT_REJECTED")
	if _, _, msg, _ := rep.check(t, "credentials"); !strings.Contains(msg, `temporarily_unavailable: "Login is paused for maintenance"`) {
		t.Fatalf("the server's words are not quoted: %s", msg)
	}
}

// A GraphQL host that accepts the connection and never completes the TLS
// handshake holds the tls check until the run's deadline: the checks after
// it cannot start, and say so with TIMEOUT.
func TestRunDeadlineStopsLaterChecks(t *testing.T) {
	srv := startSandbox(t, fixtures.Options{})
	silent, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	t.Cleanup(func() { _ = silent.Close(); <-done })
	go func() {
		defer close(done)
		var held []net.Conn // kept open, never answered
		defer func() {
			for _, c := range held {
				_ = c.Close()
			}
		}()
		for {
			c, err := silent.Accept()
			if err != nil {
				return
			}
			held = append(held, c)
		}
	}()
	env := withEnv(srv.env(anaEnv()), "GRAPHQL_URL", "https://"+silent.Addr().String()+"/v1/graphql")
	rep, _ := checkJSON(t, env, "--timeout", "1s")
	assertDiagnosis(t, rep, "tls", "fail", "UNREACHABLE")
	assertDiagnosis(t, rep, "realm", "fail", "TIMEOUT")
}
