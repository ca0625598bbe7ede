package checks

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/fixtures"
	"github.com/authdoctor/authdoctor/internal/redact"
	"github.com/authdoctor/authdoctor/keycloak"
	"github.com/authdoctor/authdoctor/report"
)

// The checks against the sandbox, in process: each case is one Diagnose,
// milliseconds long, where the end-to-end tests of internal/cli take the
// whole CLI. They pin what mutation testing found unpinned in this package
// (see docs/mutation-testing.md).

// sharedSandbox is the one sandbox of this test binary (making one costs a
// second: its realms' RSA keys). No test sends a wrong password for an
// existing user, so brute-force detection never counts anything.
var sharedSandbox struct {
	once sync.Once
	h    http.Handler
	err  error
}

// startSandbox serves the sandbox over plain HTTP on loopback; intercept,
// when set, answers a request instead of the sandbox when it returns true.
func startSandbox(t *testing.T, intercept func(w http.ResponseWriter, r *http.Request, sandbox http.Handler) bool) string {
	t.Helper()
	sharedSandbox.once.Do(func() {
		sb, err := fixtures.New(fixtures.Options{})
		if err == nil {
			sharedSandbox.h = sb.Handler()
		}
		sharedSandbox.err = err
	})
	if sharedSandbox.err != nil {
		t.Fatal(sharedSandbox.err)
	}
	h := sharedSandbox.h
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if intercept == nil || !intercept(w, r, h) {
			h.ServeHTTP(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// scenarioNamed is the sandbox scenario of that name.
func scenarioNamed(t *testing.T, name string) fixtures.Scenario {
	t.Helper()
	sc, ok := fixtures.ScenarioNamed(name)
	if !ok {
		t.Fatalf("no scenario %s", name)
	}
	return sc
}

const (
	anaPassword          = "ana-sandbox-Pass-1"
	serviceAccountSecret = "sandbox-service-account-secret-7Qx2"
)

// userConfig is the configuration of a password login to the main tenant.
func userConfig(base, client, username, password string) *Config {
	return &Config{
		KeycloakURL: base, Realm: "tenant-" + fixtures.TenantID, TenantID: fixtures.TenantID, RealmFromTenant: true,
		Credentials: keycloak.Credentials{ClientID: client, Username: username, Password: redact.Secret(password)},
		GraphQLURL:  base + "/v1/graphql", Timeout: 20 * time.Second,
	}
}

func diagnose(t *testing.T, cfg *Config) report.Report {
	t.Helper()
	return diagnoseAt(t, cfg, 0)
}

// diagnoseAt runs with this machine's clock off the server's by ahead.
func diagnoseAt(t *testing.T, cfg *Config, ahead time.Duration) report.Report {
	t.Helper()
	now := func() time.Time { return time.Now().Add(ahead) }
	return Diagnose(context.Background(), cfg, Options{Version: "test", RetryWait: time.Millisecond, Secrets: redact.NewSet(), Now: now})
}

// resultOf is the result of one check of a report.
func resultOf(t *testing.T, rep report.Report, id codes.CheckID) report.CheckResult {
	t.Helper()
	for _, c := range rep.Checks {
		if c.ID == string(id) {
			return c
		}
	}
	t.Fatalf("no check %s in %+v", id, rep.Checks)
	return report.CheckResult{}
}

// expect checks one result's status and code, and that its message (or
// fix) says what it should.
func expect(t *testing.T, rep report.Report, id codes.CheckID, status report.Status, code *codes.Code, inMessage ...string) report.CheckResult {
	t.Helper()
	r := resultOf(t, rep, id)
	wantCode := ""
	if code != nil {
		wantCode = code.ID
	}
	if r.Status != status || r.Code != wantCode {
		t.Fatalf("%s: got %s %s (%s), want %s %s\nall: %s", id, r.Status, r.Code, r.Message, status, wantCode, summary(rep))
	}
	for _, s := range inMessage {
		if !strings.Contains(r.Message+"\n"+r.Fix, s) {
			t.Fatalf("%s: %q lacks %q (fix: %s)", id, r.Message, s, r.Fix)
		}
	}
	return r
}

func summary(rep report.Report) string {
	var b strings.Builder
	for _, c := range rep.Checks {
		b.WriteString(c.ID + "=" + string(c.Status) + " " + c.Code + "; ")
	}
	return b.String()
}

// A run with warnings only exits 0, as the README promises; one failure
// makes it 1; skips alone do not.
func TestExitCodeCountsFailuresOnly(t *testing.T) {
	base := startSandbox(t, nil)
	tests := []struct {
		name     string
		cfg      *Config
		wantExit int
		warned   bool
	}{
		{"all pass", userConfig(base, "admin-portal", "ana", anaPassword), 0, false},
		{"a warning only (no refresh token)", userConfig(base, "kiosk-app", "ana", anaPassword), 0, true},
		{"a failure", userConfig(base, "admin-portal", "anna", anaPassword), 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := diagnose(t, tt.cfg)
			if rep.ExitCode != tt.wantExit || (rep.Summary.Warned > 0) != tt.warned || (rep.Summary.Failed > 0) != (tt.wantExit == 1) {
				t.Fatalf("exit %d with %+v: %s", rep.ExitCode, rep.Summary, summary(rep))
			}
		})
	}
}

// The credentials check: what it says of a granted token, and of each kind
// of refusal.
func TestCheckCredentialsAgainstTheSandbox(t *testing.T) {
	base := startSandbox(t, nil)
	t.Run("password grant", func(t *testing.T) {
		rep := diagnose(t, userConfig(base, "admin-portal", "ana", anaPassword))
		r := expect(t, rep, codes.CheckCredentials, report.Pass, nil, "password grant for user ana via client admin-portal: Bearer token valid for ", "refresh token for ", `scope "`)
		if r.Details["grant"] != "password" || r.Details["refresh_token_issued"] != true || r.Details["token_type"] != "Bearer" {
			t.Fatalf("details %v", r.Details)
		}
		expect(t, rep, codes.CheckRefresh, report.Pass, nil, "refresh-token grant issued a new access token valid for ")
	})
	t.Run("client credentials", func(t *testing.T) {
		cfg := userConfig(base, "service-account", "", "")
		cfg.Credentials.ClientSecret = serviceAccountSecret
		rep := diagnose(t, cfg)
		expect(t, rep, codes.CheckCredentials, report.Pass, nil, "client_credentials grant for client service-account: ")
		expect(t, rep, codes.CheckRefresh, report.Skip, nil, "client-credentials grant gets no refresh token")
		if rep.ExitCode != 0 {
			t.Fatalf("a skip is no failure: %s", summary(rep))
		}
	})
	t.Run("confidential client without a secret", func(t *testing.T) {
		rep := diagnose(t, userConfig(base, "service-account", "", ""))
		expect(t, rep, codes.CheckCredentials, report.Fail, codes.InvalidClientCredentials, "No client secret was sent: service-account is a confidential client, so set CLIENT_SECRET.")
	})
	t.Run("public client, client credentials", func(t *testing.T) {
		cfg := userConfig(base, "admin-portal", "", "")
		cfg.IgnoredUsername = "ana"
		rep := diagnose(t, cfg)
		expect(t, rep, codes.CheckCredentials, report.Fail, codes.ServiceAccountOff,
			"authdoctor used the client-credentials grant because USERNAME is set (ana) but PASSWORD is not; to log a user in, set both.")
		cfg.IgnoredUsername = ""
		expect(t, diagnose(t, cfg), codes.CheckCredentials, report.Fail, codes.ServiceAccountOff, "because USERNAME and PASSWORD are not set")
	})
	t.Run("wrong secret, no hint of ours", func(t *testing.T) {
		cfg := userConfig(base, "service-account", "", "")
		cfg.Credentials.ClientSecret = "sandbox-service-account-secret-OLD1"
		r := expect(t, diagnose(t, cfg), codes.CheckCredentials, report.Fail, codes.InvalidClientCredentials)
		if strings.Contains(r.Fix, "No client secret was sent") {
			t.Fatalf("a secret was sent: %s", r.Fix)
		}
	})
	t.Run("refused login skips what needs a token", func(t *testing.T) {
		rep := diagnose(t, userConfig(base, "admin-portal", "anna", anaPassword))
		expect(t, rep, codes.CheckCredentials, report.Fail, codes.InvalidUserCredentials)
		for _, id := range []codes.CheckID{codes.CheckRoles, codes.CheckGraphQL, codes.CheckRefresh} {
			expect(t, rep, id, report.Skip, nil, "skipped because credentials failed (INVALID_USER_CREDENTIALS)")
		}
	})
}

// Credentials and tokens never cross the network unencrypted unless the
// user said so: the check refuses before sending anything.
func TestPlainHTTPIsBlockedBeforeSending(t *testing.T) {
	var hits int
	base := startSandbox(t, func(w http.ResponseWriter, r *http.Request, h http.Handler) bool {
		if strings.HasSuffix(r.URL.Path, "/token") {
			hits++
		}
		return false
	})
	port := base[strings.LastIndex(base, ":")+1:]
	remote := "http://sso.example.test:" + port
	resolve := map[string]string{"sso.example.test:" + port: "127.0.0.1:" + port, "api.example.test:" + port: "127.0.0.1:" + port}

	cfg := userConfig(remote, "admin-portal", "ana", anaPassword)
	cfg.Resolve = resolve
	cfg.GraphQLURL = ""
	rep := diagnose(t, cfg)
	expect(t, rep, codes.CheckTLS, report.Warn, codes.PlainHTTP, "sso.example.test:"+port+" uses plain http://")
	expect(t, rep, codes.CheckCredentials, report.Fail, codes.PlainHTTPBlocked, "not sent: "+remote+" is plain http:// to sso.example.test, which is not this machine")
	if hits != 0 {
		t.Fatalf("%d token requests went out", hits)
	}
	cfg.AllowPlainHTTP = true
	rep = diagnose(t, cfg)
	expect(t, rep, codes.CheckCredentials, report.Pass, nil)
	if hits != 2 {
		t.Fatalf("%d token requests with --allow-plain-http; want the login and the refresh", hits)
	}

	// The access token is as good as a password: same for GraphQL.
	cfg = userConfig(base, "admin-portal", "ana", anaPassword)
	cfg.Resolve = resolve
	cfg.GraphQLURL = "http://api.example.test:" + port + "/v1/graphql"
	rep = diagnose(t, cfg)
	expect(t, rep, codes.CheckGraphQL, report.Fail, codes.PlainHTTPBlocked, "request would carry the access token")
	if r := resultOf(t, rep, codes.CheckTLS); !strings.Contains(r.Message, "api.example.test") {
		t.Fatalf("the tls check names both hosts: %s", r.Message)
	}
	cfg.AllowPlainHTTP = true
	expect(t, diagnose(t, cfg), codes.CheckGraphQL, report.Pass, nil, `answered __typename "query_root" with the bearer token`)
}

func TestPlainHTTPBlockedNeedsASecret(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Config
		want bool
	}{
		{"password", Config{KeycloakURL: "http://sso.example.com", Credentials: keycloak.Credentials{Password: "p"}}, true},
		{"secret", Config{KeycloakURL: "http://sso.example.com", Credentials: keycloak.Credentials{ClientSecret: "s"}}, true},
		{"neither (a public client)", Config{KeycloakURL: "http://sso.example.com"}, false},
		{"allowed", Config{KeycloakURL: "http://sso.example.com", AllowPlainHTTP: true, Credentials: keycloak.Credentials{Password: "p"}}, false},
		{"loopback", Config{KeycloakURL: "http://127.0.0.1:8080", Credentials: keycloak.Credentials{Password: "p"}}, false},
		{"https", Config{KeycloakURL: "https://sso.example.com", Credentials: keycloak.Credentials{Password: "p"}}, false},
		{"not a URL", Config{KeycloakURL: "http://[::1", Credentials: keycloak.Credentials{Password: "p"}}, false},
	} {
		if got := plainHTTPBlocked(&tc.cfg) != ""; got != tc.want {
			t.Errorf("%s: blocked %v, want %v", tc.name, got, tc.want)
		}
	}
}

// The realm check: a missing realm, named as derived from the tenant id
// when it was; an issuer that differs from the URL in use.
func TestCheckRealmAgainstTheSandbox(t *testing.T) {
	base := startSandbox(t, nil)
	cfg := userConfig(base, "admin-portal", "ana", anaPassword)
	cfg.Realm = "tenant-no-such-tenant"
	r := expect(t, diagnose(t, cfg), codes.CheckRealm, report.Fail, codes.RealmNotFound, `The realm name "tenant-no-such-tenant" was derived from TENANT_ID`)
	cfg.RealmFromTenant = false
	r = expect(t, diagnose(t, cfg), codes.CheckRealm, report.Fail, codes.RealmNotFound)
	if strings.Contains(r.Fix, "was derived from TENANT_ID") {
		t.Fatalf("the realm was given, not derived: %s", r.Fix)
	}

	// Discovery built for another host name (Keycloak's --hostname).
	other := startSandbox(t, func(w http.ResponseWriter, r *http.Request, h http.Handler) bool {
		if !strings.HasSuffix(r.URL.Path, "/.well-known/openid-configuration") {
			return false
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, strings.ReplaceAll(rec.Body.String(), "http://"+r.Host, "https://sso.example.com"))
		return true
	})
	rep := diagnose(t, userConfig(other, "admin-portal", "ana", anaPassword))
	r = expect(t, rep, codes.CheckRealm, report.Warn, codes.IssuerMismatch, "its discovery document names the issuer https://sso.example.com/realms/tenant-", "JWTNotInIssuer")
	if r.Details["issuer"] != "https://sso.example.com/realms/tenant-"+fixtures.TenantID {
		t.Fatalf("details %v", r.Details)
	}
	r = expect(t, diagnose(t, userConfig(base, "admin-portal", "ana", anaPassword)), codes.CheckRealm, report.Pass, nil, "realm tenant-"+fixtures.TenantID+" exists; issuer "+base)
	if r.Details["token_endpoint"] != base+"/realms/tenant-"+fixtures.TenantID+"/protocol/openid-connect/token" {
		t.Fatalf("details %v", r.Details)
	}
}

// Required roles are compared as Keycloak names them: exactly, case
// included; a client role as client:role.
func TestRequiredRolesAreCaseSensitive(t *testing.T) {
	base := startSandbox(t, nil)
	tests := []struct {
		name    string
		require []string
		status  report.Status
		code    *codes.Code
		message string
	}{
		{"held", []string{"admin-user"}, report.Pass, nil, "; carries admin-user"},
		{"other case", []string{"Admin-User"}, report.Fail, codes.MissingRole, "the access token lacks realm role Admin-User; it carries realm roles ["},
		{"upper case", []string{"ADMIN-USER"}, report.Fail, codes.MissingRole, "lacks realm role ADMIN-USER"},
		{"client role not held", []string{"admin-portal:admin-user"}, report.Fail, codes.MissingRole, "lacks client role admin-user of admin-portal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := userConfig(base, "admin-portal", "ana", anaPassword)
			cfg.RequireRoles = tt.require
			expect(t, diagnose(t, cfg), codes.CheckRoles, tt.status, tt.code, tt.message)
		})
	}
	roles := tokenRoles{present: true, realm: []string{"admin-user"}, clients: map[string][]string{"realm-management": {"view-events"}}}
	for _, tc := range []struct {
		require string
		missing bool
	}{{"admin-user", false}, {"Admin-user", true}, {"admin-user ", true}, {"realm-management:view-events", false}, {"realm-management:View-Events", true}, {"Realm-Management:view-events", true}} {
		if got := len(roles.missing([]string{tc.require})) > 0; got != tc.missing {
			t.Errorf("%q: missing %v, want %v", tc.require, got, tc.missing)
		}
	}
}

// The roles check: what it reads from the token and the key set.
func TestCheckRolesAgainstTheSandbox(t *testing.T) {
	base := startSandbox(t, nil)
	t.Run("pass lists the roles", func(t *testing.T) {
		r := expect(t, diagnose(t, userConfig(base, "admin-portal", "ana", anaPassword)), codes.CheckRoles, report.Pass, nil,
			"token signed by the realm's key, valid until ", "; realm roles [", "admin-user")
		for _, k := range []string{"iss", "azp", "exp", "iat", "realm_roles", "hasura_claims"} {
			if _, ok := r.Details[k]; !ok {
				t.Errorf("details lack %s: %v", k, r.Details)
			}
		}
	})
	t.Run("lightweight token", func(t *testing.T) {
		cfg := userConfig(base, "lightweight-cli", "ana", anaPassword)
		r := expect(t, diagnose(t, cfg), codes.CheckRoles, report.Warn, codes.RolesNotInToken, "the access token carries no role claims")
		if strings.Contains(r.Message, "required roles") {
			t.Fatalf("no role was required: %s", r.Message)
		}
		cfg.RequireRoles = []string{"admin-user"}
		// A public client cannot introspect and no admin access was given:
		// the requirement cannot be verified, which fails (verify_roles.go).
		expect(t, diagnose(t, cfg), codes.CheckRoles, report.Fail, codes.RolesUnverifiable, "the required roles admin-user cannot be verified",
			"Keycloak lets only confidential clients introspect", "no admin access given")
	})
}

// The key set must be a 200 JSON key set: a server error carrying one is
// still a server error.
func TestJWKSMustBeA200(t *testing.T) {
	for _, status := range []int{500, 502, 404, 201} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			base := startSandbox(t, func(w http.ResponseWriter, r *http.Request, h http.Handler) bool {
				if !strings.HasSuffix(r.URL.Path, "/protocol/openid-connect/certs") {
					return false
				}
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, r) // the realm's genuine key set
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(status)
				_, _ = w.Write(rec.Body.Bytes())
				return true
			})
			expect(t, diagnose(t, userConfig(base, "admin-portal", "ana", anaPassword)), codes.CheckRoles, report.Fail, codes.UnexpectedAnswer,
				"answered "+http.StatusText(status)[:0])
		})
	}
	base := startSandbox(t, func(w http.ResponseWriter, r *http.Request, h http.Handler) bool {
		if !strings.HasSuffix(r.URL.Path, "/protocol/openid-connect/certs") {
			return false
		}
		hj, _ := w.(http.Hijacker)
		c, _, _ := hj.Hijack()
		_ = c.(*net.TCPConn).SetLinger(0)
		_ = c.Close()
		return true
	})
	expect(t, diagnose(t, userConfig(base, "admin-portal", "ana", anaPassword)), codes.CheckRoles, report.Fail, codes.Unreachable, "connection reset")
}

// This machine's clock off both servers': a warning when tokens still
// work, CLOCK_SKEW naming this machine's clock when they look expired here,
// with the roles check's TOKEN_INVALID as its consequence.
func TestClockSkew(t *testing.T) {
	base := startSandbox(t, nil)
	for _, tc := range []struct {
		ahead   time.Duration // this machine's clock minus the servers'
		status  report.Status
		code    *codes.Code
		message string
	}{
		{-2 * time.Minute, report.Warn, codes.ClockSkewSmall, "this machine's clock is off: 2m0s (±"},
		{2 * time.Minute, report.Warn, codes.ClockSkewSmall, ") ahead of Keycloak's and the GraphQL server's"},
		{10 * time.Minute, report.Fail, codes.ClockSkew, "this machine's clock is off: 10m0s (±"},
		// Keycloak sets no nbf, and iat is not checked here: a token from
		// the future still verifies, and the skew is the warning.
		{-10 * time.Minute, report.Warn, codes.ClockSkewSmall, ") behind Keycloak's and the GraphQL server's"},
		{30 * time.Second, report.Pass, nil, "Keycloak's clock (token iat) is 30 s (±"},
	} {
		t.Run(tc.ahead.String()+tc.message, func(t *testing.T) {
			rep := diagnoseAt(t, userConfig(base, "admin-portal", "ana", anaPassword), tc.ahead)
			r := expect(t, rep, codes.CheckClock, tc.status, tc.code, tc.message)
			if _, ok := r.Details["keycloak_clock"]; !ok {
				t.Fatalf("details %v", r.Details)
			}
			roles := resultOf(t, rep, codes.CheckRoles)
			if tc.code == codes.ClockSkew {
				if roles.Code != codes.TokenInvalid.ID || roles.ConsequenceOf == nil || roles.ConsequenceOf.Code != codes.ClockSkew.ID {
					t.Fatalf("roles: %s %s, consequence of %+v", roles.Status, roles.Code, roles.ConsequenceOf)
				}
			} else if roles.Status != report.Pass {
				t.Fatalf("roles: %s %s %s", roles.Status, roles.Code, roles.Message)
			}
		})
	}
}

// The GraphQL check: the role, the required fields, a skipped run.
func TestCheckGraphQLAgainstTheSandbox(t *testing.T) {
	base := startSandbox(t, nil)
	t.Run("no URL", func(t *testing.T) {
		cfg := userConfig(base, "admin-portal", "ana", anaPassword)
		cfg.GraphQLURL = ""
		expect(t, diagnose(t, cfg), codes.CheckGraphQL, report.Skip, nil, "GRAPHQL_URL not set")
	})
	t.Run("fields visible and not", func(t *testing.T) {
		cfg := userConfig(base, "admin-portal", "ana", anaPassword)
		cfg.RequireFields = []string{"get_upload_url"}
		r := expect(t, diagnose(t, cfg), codes.CheckGraphQL, report.Pass, nil, "; required fields visible: get_upload_url", " (role ")
		if r.Details["typename"] != "query_root" || r.Details["hasura_role"] == nil {
			t.Fatalf("details %v", r.Details)
		}
		cfg.RequireFields = []string{"get_upload_url", "no_such_field"}
		r = expect(t, diagnose(t, cfg), codes.CheckGraphQL, report.Fail, codes.GraphQLField, "does not see no_such_field among the query and mutation root fields (token from client admin-portal)")
		if m, _ := r.Details["missing_fields"].([]string); len(m) != 1 {
			t.Fatalf("details %v", r.Details)
		}
	})
	t.Run("denied role", func(t *testing.T) {
		cfg := userConfig(base, "admin-portal", "bob", "bob-sandbox-Pass-2")
		r := expect(t, diagnose(t, cfg), codes.CheckGraphQL, report.Fail, codes.GraphQLDenied, "(requested role ")
		if r.Details["allowed_roles"] == nil {
			t.Fatalf("details %v", r.Details)
		}
	})
	t.Run("claims missing", func(t *testing.T) {
		r := expect(t, diagnose(t, userConfig(base, "account-app", "ana", anaPassword)), codes.CheckGraphQL, report.Fail, codes.GraphQLClaims)
		if _, ok := r.Details["allowed_roles"]; !ok || r.Details["hasura_role"] != nil {
			t.Fatalf("details %v", r.Details)
		}
	})
}

// The tls check probes the GraphQL host too when it is another origin, and
// a failure there concerns the GraphQL check only.
func TestCheckTLSWithAnotherGraphQLHost(t *testing.T) {
	base := startSandbox(t, nil)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := l.Addr().String()
	_ = l.Close()
	cfg := userConfig(base, "admin-portal", "ana", anaPassword)
	cfg.GraphQLURL = "http://" + refused + "/v1/graphql"
	rep := diagnose(t, cfg)
	r := expect(t, rep, codes.CheckTLS, report.Fail, codes.Unreachable, "GraphQL host connection refused")
	if r.Details["keycloak"] == nil || r.Details["graphql"] == nil {
		t.Fatalf("details %v", r.Details)
	}
	expect(t, rep, codes.CheckCredentials, report.Pass, nil)
	expect(t, rep, codes.CheckGraphQL, report.Skip, nil, "skipped because the GraphQL host failed the tls check (UNREACHABLE)")

	cfg.GraphQLURL = strings.Replace(base, "127.0.0.1", "localhost", 1) + "/v1/graphql"
	r = expect(t, diagnose(t, cfg), codes.CheckTLS, report.Pass, nil, strings.TrimPrefix(base, "http://")+": reachable (plain HTTP); localhost:")
	if r.Details["graphql"] == nil {
		t.Fatalf("details %v", r.Details)
	}
	cfg.GraphQLURL = strings.ToUpper(base[:4]) + base[4:] + "/v1/graphql" // same origin, other spelling
	r = expect(t, diagnose(t, cfg), codes.CheckTLS, report.Pass, nil)
	if r.Details["graphql"] != nil || strings.Contains(r.Message, ";") {
		t.Fatalf("one origin is probed once: %s %v", r.Message, r.Details)
	}
}

func TestOrigin(t *testing.T) {
	for in, want := range map[string]string{
		"https://SSO.example.com/realms":     "https://sso.example.com:443",
		"http://sso.example.com":             "http://sso.example.com:80",
		"https://sso.example.com:8443/x":     "https://sso.example.com:8443",
		"ftp://h/x":                          "ftp://h:",
		"http://[::1":                        "http://[::1",
		"https://api.example.com/v1/graphql": "https://api.example.com:443",
	} {
		if got := origin(in); got != want {
			t.Errorf("origin(%q) = %q, want %q", in, got, want)
		}
	}
}

// A result's severity comes from its code: a warning code never fails.
func TestFoundStatusFollowsSeverity(t *testing.T) {
	if r := found(codes.ClockSkewSmall, "m"); r.Status != report.Warn {
		t.Errorf("warn code: %s", r.Status)
	}
	if r := found(codes.TokenInvalid, "m"); r.Status != report.Fail {
		t.Errorf("fail code: %s", r.Status)
	}
}

// describeTokenError names each way a token fails to validate.
func TestLifetimeWords(t *testing.T) {
	for _, tc := range []struct {
		l       keycloak.Lifetime
		valid   string
		refresh string
		detail  any
	}{
		{keycloak.Lifetime{Seconds: 300, Stated: true}, "valid for 300 s", "for 300 s", int64(300)},
		{keycloak.Lifetime{Seconds: 0, Stated: true}, "expired on arrival (expires_in 0)", "without a fixed expiry (refresh_expires_in 0)", int64(0)},
		{keycloak.Lifetime{Seconds: -1, Stated: true}, "expired on arrival (expires_in -1)", "with an impossible lifetime (refresh_expires_in -1)", int64(-1)},
		{keycloak.Lifetime{}, "with no stated lifetime (the answer has no expires_in)", "with its lifetime not stated", nil},
	} {
		if got := validFor(tc.l); got != tc.valid {
			t.Errorf("validFor(%v) = %q", tc.l, got)
		}
		if got := refreshValidFor(tc.l); got != tc.refresh {
			t.Errorf("refreshValidFor(%v) = %q", tc.l, got)
		}
		if got := lifetimeDetail(tc.l); got != tc.detail {
			t.Errorf("lifetimeDetail(%v) = %v", tc.l, got)
		}
	}
}
