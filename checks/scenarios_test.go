package checks

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/fixtures"
	"github.com/authdoctor/authdoctor/internal/jsonpath"
	"github.com/authdoctor/authdoctor/internal/redact"
	"github.com/authdoctor/authdoctor/keycloak"
	"github.com/authdoctor/authdoctor/report"
)

// scenarioConfig is the configuration the CLI builds for a sandbox
// scenario: its environment and the flags the scenarios use.
func scenarioConfig(t *testing.T, base string, sc fixtures.Scenario) *Config {
	t.Helper()
	env := sc.Env
	cfg := &Config{
		KeycloakURL: base, Realm: sc.Realm(), TenantID: env["TENANT_ID"], RealmFromTenant: env["KEYCLOAK_REALM"] == "",
		Credentials: keycloak.Credentials{ClientID: env["CLIENT_ID"], ClientSecret: redact.Secret(env["CLIENT_SECRET"])},
		GraphQLURL:  base + "/v1/graphql", Timeout: 20 * time.Second,
	}
	if v, ok := env["GRAPHQL_URL"]; ok && v == "" {
		cfg.GraphQLURL = "" // a job that forgot it
	}
	if env["PASSWORD"] != "" {
		cfg.Credentials.Username, cfg.Credentials.Password = env["USERNAME"], redact.Secret(env["PASSWORD"])
	} else {
		cfg.IgnoredUsername = env["USERNAME"]
	}
	cfg.Admin.Realm, cfg.Admin.ClientID = "master", "admin-cli"
	for i := 0; i < len(sc.Args); i += 2 {
		v := sc.Args[i+1]
		switch sc.Args[i] {
		case "--admin-realm":
			cfg.Admin.Realm = v
		case "--admin-username":
			cfg.Admin.Username = v
		case "--admin-password":
			cfg.Admin.Password = redact.Secret(v)
		case "--require-role":
			cfg.RequireRoles = append(cfg.RequireRoles, v)
		case "--fail-on":
			cfg.FailOn = append(cfg.FailOn, report.Status(v))
		case "--require-field":
			cfg.RequireFields = append(cfg.RequireFields, v)
		case "--hasura-role":
			cfg.HasuraRole = v
		case "--hasura-claims-namespace":
			cfg.HasuraClaims = HasuraClaimsAt{Namespace: v}
		case "--hasura-claims-namespace-path":
			p, err := jsonpath.Parse(v)
			if err != nil {
				t.Fatalf("%s: --hasura-claims-namespace-path %s: %v", sc.Name, v, err)
			}
			cfg.HasuraClaims = HasuraClaimsAt{Path: p, ByPath: true}
		case "--scope":
			cfg.Credentials.Scope = v
		case "--job-duration":
			d, err := time.ParseDuration(v)
			if err != nil {
				t.Fatalf("%s: --job-duration %s: %v", sc.Name, v, err)
			}
			cfg.JobDuration = d
		default:
			t.Fatalf("%s: flag %s is not translated here", sc.Name, sc.Args[i])
		}
	}
	cfg.Events = cfg.Admin.IsSet()
	return cfg
}

// Every scenario of the sandbox's default profile, through Diagnose in
// process: the check that reports it, its status and its code, as the
// end-to-end table in internal/cli wants them, in a fraction of the time.
// With admin access, the server's events and role mappings refine the
// diagnosis (evidence.go).
func TestScenariosInProcess(t *testing.T) {
	servers := map[fixtures.Options]*httptest.Server{} // one per clocks
	for _, sc := range fixtures.Scenarios() {
		if sc.Profile != "" && sc.Profile != "26.7" {
			continue
		}
		if servers[sc.Options()] == nil {
			sb, err := fixtures.New(sc.Options())
			if err != nil {
				t.Fatal(err)
			}
			servers[sc.Options()] = httptest.NewServer(sb.Handler())
			defer servers[sc.Options()].Close()
		}
		srv := servers[sc.Options()]
		t.Run(sc.Name, func(t *testing.T) {
			if err := sc.SendWrongPasswords(context.Background(), srv.Client(), srv.URL); err != nil {
				t.Fatal(err)
			}
			rep := Diagnose(context.Background(), scenarioConfig(t, srv.URL, sc), Options{Version: "test", RetryWait: time.Millisecond, Secrets: redact.NewSet()})
			if sc.WantCheck == "" {
				for _, c := range rep.Checks {
					if c.Status == report.Fail || c.Status == report.Warn && sc.WantStatus == "pass" {
						t.Errorf("%s: %s %s %s", c.ID, c.Status, c.Code, c.Message)
					}
				}
				if rep.ExitCode != 0 {
					t.Errorf("exit code %d", rep.ExitCode)
				}
				return
			}
			r := resultOf(t, rep, codes.CheckID(sc.WantCheck))
			if string(r.Status) != sc.WantStatus || r.Code != sc.WantCode {
				t.Fatalf("%s: got %s %s (%s), want %s %s\nall: %s", sc.WantCheck, r.Status, r.Code, r.Message, sc.WantStatus, sc.WantCode, summary(rep))
			}
			if want := map[string]int{"fail": 1, "warn": 0}[sc.WantStatus]; sc.WantStatus == "fail" && rep.ExitCode != want {
				t.Fatalf("exit code %d", rep.ExitCode)
			}
			if sc.FailsRun() && rep.ExitCode != 1 {
				t.Fatalf("exit code %d, want 1 (%v)", rep.ExitCode, sc.Args)
			}
		})
	}
}

// What the server's evidence adds to a diagnosis: the event of the
// attempt, the user's state, the role mappings; and nothing at all for a
// 404, which Keycloak gives before it evaluates anything.
func TestEvidenceInDiagnoses(t *testing.T) {
	// The shared sandbox: no case here sends a wrong password for a user
	// that exists.
	base := startSandbox(t, nil)
	run := func(name string, edit func(*Config)) report.Report {
		cfg := scenarioConfig(t, base, scenarioNamed(t, name))
		if edit != nil {
			edit(cfg)
		}
		return Diagnose(context.Background(), cfg, Options{Version: "test", RetryWait: time.Millisecond, Secrets: redact.NewSet()})
	}

	t.Run("unknown user: the event names it", func(t *testing.T) {
		r := expect(t, run("unknown-user-event", nil), codes.CheckCredentials, report.Fail, codes.UserNotFound)
		if len(r.Events) == 0 || !strings.Contains(r.Events[0].Error, "user_not_found") {
			t.Fatalf("events %+v", r.Events)
		}
		// Without admin access the same answer is all there is.
		r = expect(t, run("unknown-user", nil), codes.CheckCredentials, report.Fail, codes.InvalidUserCredentials)
		if len(r.Events) != 0 {
			t.Fatalf("events without admin access: %+v", r.Events)
		}
	})
	t.Run("client credentials: the client's event", func(t *testing.T) {
		r := expect(t, run("wrong-client-secret", func(c *Config) {
			c.Admin.Realm, c.Admin.Username, c.Admin.Password, c.Events = "tenant-"+fixtures.TenantID, "ops-admin", "ops-admin-sandbox-Pass-10", true
		}), codes.CheckCredentials, report.Fail, codes.InvalidClientCredentials)
		if len(r.Events) == 0 || r.Events[0].Type != keycloak.EventClientLoginError {
			t.Fatalf("events %+v", r.Events)
		}
	})
	t.Run("incomplete profile: no pending action, a missing attribute", func(t *testing.T) {
		r := expect(t, run("incomplete-profile", func(c *Config) {
			c.Admin.Realm, c.Admin.Username, c.Admin.Password, c.Events = "tenant-"+fixtures.TenantID, "ops-admin", "ops-admin-sandbox-Pass-10", true
		}), codes.CheckCredentials, report.Fail, codes.AccountNotSetUp, "; the user has no pending required actions, so a required user-profile attribute is missing")
		if strings.Contains(r.Message, "pending required actions: ") {
			t.Fatalf("message %s", r.Message)
		}
	})
	t.Run("locked account: the brute-force record", func(t *testing.T) {
		sc := scenarioNamed(t, "locked-account")
		if err := sc.SendWrongPasswords(context.Background(), http.DefaultClient, base); err != nil {
			t.Fatal(err)
		}
		r := expect(t, run("locked-account", nil), codes.CheckCredentials, report.Fail, codes.AccountLocked,
			"; Keycloak counts ", " failures, the last at ", " from 127.0.0.1", "; the lockout lifts at ")
		if strings.Contains(r.Message, "counts 0 failures") {
			t.Fatalf("message %s", r.Message)
		}
	})
	t.Run("admin access over plain http to another host", func(t *testing.T) {
		port := base[strings.LastIndex(base, ":")+1:]
		remote := func(c *Config) {
			c.KeycloakURL = "http://sso.example.test:" + port
			c.Resolve = map[string]string{"sso.example.test:" + port: "127.0.0.1:" + port}
			c.GraphQLURL = ""
			c.AllowPlainHTTP = true
		}
		expect(t, run("events-forbidden", remote), codes.CheckEvents, report.Fail, codes.EventsForbidden)
		rep := run("events-forbidden", func(c *Config) { remote(c); c.AllowPlainHTTP = false; c.Credentials.Password = "" })
		expect(t, rep, codes.CheckEvents, report.Fail, codes.PlainHTTPBlocked, "admin login not sent: http://sso.example.test:"+port+" is plain http:// to sso.example.test")
	})
	t.Run("roles held but not in the token, beside roles not held", func(t *testing.T) {
		r := expect(t, run("role-not-in-token", func(c *Config) { c.RequireRoles = []string{"admin-user", "ghost-role"} }), codes.CheckRoles, report.Fail, codes.RoleNotAssigned,
			"does not hold ghost-role, neither directly", "; admin-user is held but not in the token either (ROLE_NOT_IN_TOKEN: ")
		if !slices.Equal(r.Details["roles_not_in_token"].([]string), []string{"admin-user"}) {
			t.Fatalf("details %v", r.Details)
		}
		for name, code := range map[string]*codes.Code{"role-not-assigned": codes.RoleNotAssigned, "role-not-in-token": codes.RoleNotInToken} {
			r = expect(t, run(name, nil), codes.CheckRoles, report.Fail, code)
			if strings.Contains(r.Message, "held but not in the token either") {
				t.Fatalf("%s: %s", name, r.Message)
			}
		}
	})
	t.Run("pending actions: the admin API names them", func(t *testing.T) {
		r := expect(t, run("pending-actions-event", nil), codes.CheckCredentials, report.Fail, codes.AccountNotSetUp)
		if !strings.Contains(r.Message+r.Fix, "UPDATE_PASSWORD") && !strings.Contains(r.Message+r.Fix, "VERIFY") && !strings.Contains(r.Message+r.Fix, "CONFIGURE") {
			t.Fatalf("the pending action is not named: %s / %s", r.Message, r.Fix)
		}
	})
	t.Run("a 404 leaves no event to look for", func(t *testing.T) {
		with := run("unknown-user-event", func(c *Config) { c.Realm = "tenant-no-such-tenant" })
		without := run("unknown-user", func(c *Config) { c.Realm = "tenant-no-such-tenant" })
		a, b := resultOf(t, with, codes.CheckCredentials), resultOf(t, without, codes.CheckCredentials)
		if a.Code != b.Code || a.Message != b.Message || a.Fix != b.Fix || len(a.Events) != 0 {
			t.Fatalf("admin access changed a 404's diagnosis:\n%+v\n%+v", a, b)
		}
	})
	t.Run("required roles traced in the mappings", func(t *testing.T) {
		expect(t, run("role-not-assigned", nil), codes.CheckRoles, report.Fail, codes.RoleNotAssigned, "admin-user")
		expect(t, run("role-not-in-token", nil), codes.CheckRoles, report.Fail, codes.RoleNotInToken, "admin-user")
		// Only the roles missing from the token are traced: a held one
		// required beside a missing one changes nothing.
		r := expect(t, run("role-not-assigned", func(c *Config) { c.RequireRoles = []string{"tenant-read", "admin-user"} }), codes.CheckRoles, report.Fail, codes.RoleNotAssigned)
		if !strings.HasPrefix(r.Message, "user bob does not hold admin-user, ") || strings.Contains(r.Message, "hold tenant-read") {
			t.Fatalf("a role the token carries is traced: %s", r.Message)
		}
	})
}

// missingRaw keeps the roles as the user wrote them, the missing ones only.
func TestMissingRawAndRoleDetails(t *testing.T) {
	roles := tokenRoles{present: true, realm: []string{"admin-user"}, clients: map[string][]string{"api": {"read"}}}
	if got := roles.missingRaw([]string{"admin-user", "api:read", "api:write", "tenant-read"}); !slices.Equal(got, []string{"api:write", "tenant-read"}) {
		t.Fatalf("missingRaw %v", got)
	}
	if got := roles.missingRaw([]string{"admin-user"}); got != nil {
		t.Fatalf("nothing missing: %v", got)
	}
	if got := roles.describeClients(); got != " and client roles api: [read]" {
		t.Fatalf("describeClients %q", got)
	}
	if got := (tokenRoles{present: true, clients: map[string][]string{}}).describeClients(); got != "" {
		t.Fatalf("no client roles: %q", got)
	}
	d := tokenDetails(map[string]any{"realm_access": map[string]any{"roles": []any{"a"}}, "exp": float64(1764079200)}, HasuraClaimsAt{})
	if _, ok := d["client_roles"]; ok || d["exp"] != "2025-11-25T14:00:00Z" || !slices.Equal(d["realm_roles"].([]string), []string{"a"}) {
		t.Fatalf("tokenDetails %v", d)
	}
	d = tokenDetails(map[string]any{"resource_access": map[string]any{"api": map[string]any{"roles": "read"}}}, HasuraClaimsAt{})
	if c, ok := d["client_roles"].(map[string][]string); !ok || !slices.Equal(c["api"], []string{"read"}) {
		t.Fatalf("tokenDetails %v", d)
	}
	if d := tokenDetails(map[string]any{"sub": "x"}, HasuraClaimsAt{}); d["realm_roles"] != nil || d["sub"] != "x" {
		t.Fatalf("tokenDetails %v", d)
	}
}
