package checks

import (
	"context"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/fixtures"
	"github.com/authdoctor/authdoctor/internal/httpx"
	"github.com/authdoctor/authdoctor/internal/redact"
	"github.com/authdoctor/authdoctor/keycloak"
	"github.com/authdoctor/authdoctor/report"
)

// The details the role tracer leaves beside its message, for each of the
// sandbox's role scenarios: what the roles or claims check had found
// stays, the user's effective realm roles are added, and each detail that
// explains one outcome appears with that outcome only. Mutation testing
// found them unpinned (docs/mutation-testing.md): the CLI tests read the
// message, gremlins runs the checks package's tests only.
func TestRoleTraceDetails(t *testing.T) {
	base := startSandbox(t, nil)
	run := func(name string) report.Report {
		return Diagnose(context.Background(), scenarioConfig(t, base, scenarioNamed(t, name)), Options{Version: "test", RetryWait: time.Millisecond, Secrets: redact.NewSet()})
	}
	has := func(r report.CheckResult, key string) bool { _, ok := r.Details[key]; return ok }

	t.Run("role not assigned", func(t *testing.T) {
		r := expect(t, run("role-not-assigned"), codes.CheckRoles, report.Fail, codes.RoleNotAssigned, "(realm role admin-user)")
		if r.Details["preferred_username"] != "bob" {
			t.Errorf("the roles check's own details were dropped: %v", r.Details)
		}
		if realm, _ := r.Details["effective_realm_roles"].([]string); !slices.Contains(realm, "tenant-read") || slices.Contains(realm, "admin-user") {
			t.Errorf("effective_realm_roles %v", r.Details["effective_realm_roles"])
		}
		if got, _ := r.Details["roles_not_assigned"].([]string); !slices.Equal(got, []string{"admin-user"}) {
			t.Errorf("roles_not_assigned %v", r.Details["roles_not_assigned"])
		}
		for _, key := range []string{"not_in_token_because", "held_as_client_role_of", codes.DetailFixCase} {
			if has(r, key) {
				t.Errorf("%s = %v for a role held nowhere", key, r.Details[key])
			}
		}
	})
	t.Run("role not in token", func(t *testing.T) {
		r := expect(t, run("role-not-in-token"), codes.CheckRoles, report.Fail, codes.RoleNotInToken, "Full scope allowed off")
		if got, _ := r.Details["roles_not_in_token"].([]string); !slices.Equal(got, []string{"admin-user"}) {
			t.Errorf("roles_not_in_token %v", r.Details["roles_not_in_token"])
		}
		if why, _ := r.Details["not_in_token_because"].(string); !strings.Contains(why, "Full scope allowed off") {
			t.Errorf("not_in_token_because %q", why)
		}
		if has(r, "held_as_client_role_of") {
			t.Errorf("a realm role reported as a client role: %v", r.Details)
		}
	})
	t.Run("Hasura role not assigned: a realm role", func(t *testing.T) {
		r := expect(t, run("hasura-role-not-assigned"), codes.CheckClaims, report.Fail, codes.RoleNotAssigned, "(realm role admin-user)")
		if strings.Contains(r.Message, "whose client roles") {
			t.Errorf("admin-portal's mapper lists realm roles: %s", r.Message)
		}
		if r.Details[codes.DetailFixCase] == codes.CaseHasuraMapper {
			t.Errorf("the mapper's fix for a role held nowhere: %v", r.Details)
		}
	})
	t.Run("Hasura mapper leaves the role out: the mapper's fix", func(t *testing.T) {
		r := expect(t, run("hasura-mapper-missing-role"), codes.CheckClaims, report.Fail, codes.RoleNotInToken, "Hasura claims mapper of client voting-portal")
		if r.Details[codes.DetailFixCase] != codes.CaseHasuraMapper {
			t.Errorf("fix case %v, want %s", r.Details[codes.DetailFixCase], codes.CaseHasuraMapper)
		}
	})
}

// A user without a brute-force record: Keycloak (and the sandbox) answer
// numFailures 0, lastFailure 0, lastIPFailure "n/a" for it; the text says
// 0 failures and no "last at 1970-01-01". The realm of the main tenant has
// brute-force detection off, so nothing about its policy is added either;
// the other tenant's is on, and its Max wait is named.
func TestLockoutTextWithoutRecord(t *testing.T) {
	sb, err := fixtures.New(fixtures.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sb.Handler())
	t.Cleanup(srv.Close)
	tr := httpx.NewTransport(httpx.TransportOptions{RetryWait: time.Millisecond})
	t.Cleanup(tr.Close)
	realm := "tenant-" + fixtures.TenantID
	ctx := context.Background()
	admin, p := keycloak.NewClient(srv.URL, realm, tr, redact.NewSet()).LoginAdmin(ctx, keycloak.AdminCredentials{
		Realm: realm, ClientID: "admin-cli", Username: "ops-admin", Password: "ops-admin-sandbox-Pass-10"})
	if p != nil {
		t.Fatal(p.Message)
	}
	text, permanent := lockoutText(ctx, admin, "ana", realm)
	if text != "; Keycloak counts 0 failures" || permanent {
		t.Fatalf("got %q, %v", text, permanent)
	}
	if text, permanent := lockoutText(ctx, admin, "no-such-user", realm); text != "" || permanent {
		t.Fatalf("unknown user: %q, %v", text, permanent)
	}

	// The other tenant locks temporarily (Max wait 900 s): a user who
	// never failed there gets the realm's policy instead of a lift time.
	other := "tenant-" + fixtures.OtherTenantID
	admin, p = keycloak.NewClient(srv.URL, other, tr, redact.NewSet()).LoginAdmin(ctx, keycloak.AdminCredentials{
		Realm: other, ClientID: "admin-cli", Username: "ops-admin", Password: "ops-admin-sandbox-Pass-12"})
	if p != nil {
		t.Fatal(p.Message)
	}
	text, permanent = lockoutText(ctx, admin, "olga", other)
	if text != "; Keycloak counts 0 failures; the realm's lockout lasts at most 900 s after a failure (Max wait)" || permanent {
		t.Fatalf("other tenant: %q, %v", text, permanent)
	}
}

// mapperLeavesOut: the token's role claims carry every held role while
// x-hasura-allowed-roles (allowed) does not; never outside the GraphQL
// check (allowed nil), for no role, or for a token without role claims.
func TestMapperLeavesOut(t *testing.T) {
	withRoles := jwt.MapClaims{"realm_access": map[string]any{"roles": []any{"admin-user", "tenant-read"}}}
	allowed := []any{"user"}
	tests := []struct {
		name    string
		claims  jwt.MapClaims
		held    []string
		allowed any
		want    bool
	}{
		{"held roles in the token, not allowed", withRoles, []string{"admin-user"}, allowed, true},
		{"outside the GraphQL check", withRoles, []string{"admin-user"}, nil, false},
		{"no role held", withRoles, nil, allowed, false},
		{"token without role claims", jwt.MapClaims{"sub": "x"}, []string{"admin-user"}, allowed, false},
		{"a held role the token lacks", withRoles, []string{"admin-user", "auditor"}, allowed, false},
	}
	for _, tt := range tests {
		facts := &Facts{Config: &Config{}, Tokens: &keycloak.Tokens{Access: unsignedToken(t, tt.claims)}}
		if got := mapperLeavesOut(facts, tt.held, tt.allowed); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

// claimsShowRoleRefusal: only a token whose first claims finding is
// HASURA_ROLE_NOT_ALLOWED; a healthy token has no finding at all.
func TestClaimsShowRoleRefusal(t *testing.T) {
	cfg := Config{TenantID: testTenant, GraphQLURL: "https://api.example.com/v1/graphql"}
	if claimsShowRoleRefusal(claimsFacts(t, cfg, jwt.MapClaims{hasuraNamespace: sequent()})) {
		t.Error("a healthy token shows a refusal")
	}
	refused := cfg
	refused.HasuraRole = "auditor"
	if !claimsShowRoleRefusal(claimsFacts(t, refused, jwt.MapClaims{hasuraNamespace: sequent()})) {
		t.Error("--hasura-role auditor, not allowed: no refusal shown")
	}
	if claimsShowRoleRefusal(claimsFacts(t, cfg, jwt.MapClaims{"sub": "x"})) {
		t.Error("no Hasura claims at all is HASURA_CLAIMS_MALFORMED, not a role refusal")
	}
}

// A lightweight token of a public client, with admin access: the role
// mappings show Ana holds the required role and the client's settings
// (lightweight access tokens, full scope) that every role she holds would
// be in a full token, so the requirement is verified and only the warning
// stays; Bob, who does not hold it, gets ROLE_NOT_ASSIGNED.
func TestLightweightTokenVerifiedByRoleMappings(t *testing.T) {
	base := startSandbox(t, nil)
	sc := scenarioNamed(t, "lightweight-token")
	run := func(username, password string) report.Report {
		cfg := scenarioConfig(t, base, sc)
		cfg.Credentials.Username, cfg.Credentials.Password = username, redact.Secret(password)
		// ops-auditor may read clients (view-clients), so the client's
		// settings are read, not guessed.
		cfg.Admin = keycloak.AdminCredentials{Realm: cfg.Realm, ClientID: "admin-cli", Username: "ops-auditor", Password: "ops-auditor-sandbox-Pass-16"}
		return Diagnose(context.Background(), cfg, Options{Version: "test", RetryWait: time.Millisecond, Secrets: redact.NewSet()})
	}
	r := expect(t, run("ana", anaPassword), codes.CheckRoles, report.Warn, codes.RolesNotInToken,
		"the admin API shows the user holds admin-user, and client lightweight-cli issues lightweight access tokens with full scope")
	if r.Details["verified_by"] != "role mappings" {
		t.Errorf("verified_by %v", r.Details["verified_by"])
	}
	expect(t, run("bob", "bob-sandbox-Pass-2"), codes.CheckRoles, report.Fail, codes.RoleNotAssigned, "user bob does not hold admin-user")
}

// cutPrefixFold: the prefix alone leaves an empty rest; case is ignored.
func TestCutPrefixFold(t *testing.T) {
	for _, tt := range []struct {
		s, rest string
		ok      bool
	}{
		{"tenant-", "", true},
		{"TENANT-3f6c", "3f6c", true},
		{"tenant", "tenant", false},
		{"ten", "ten", false},
	} {
		if rest, ok := cutPrefixFold(tt.s, "tenant-"); rest != tt.rest || ok != tt.ok {
			t.Errorf("%q: %q %v, want %q %v", tt.s, rest, ok, tt.rest, tt.ok)
		}
	}
}

// With view-clients the tracer names the client setting it read: the
// insights portal's Full scope allowed off, not a guess from the token.
func TestRoleNotInTokenReadsClientSettings(t *testing.T) {
	base := startSandbox(t, nil)
	cfg := scenarioConfig(t, base, scenarioNamed(t, "role-not-in-token"))
	cfg.Admin = keycloak.AdminCredentials{Realm: cfg.Realm, ClientID: "admin-cli", Username: "ops-auditor", Password: "ops-auditor-sandbox-Pass-16"}
	rep := Diagnose(context.Background(), cfg, Options{Version: "test", RetryWait: time.Millisecond, Secrets: redact.NewSet()})
	r := expect(t, rep, codes.CheckRoles, report.Fail, codes.RoleNotInToken,
		"client insights-portal has Full scope allowed off and no scope mapping for admin-user; turn it on or add the scope mapping")
	if strings.Contains(r.Message, "most likely") || strings.Contains(r.Message, "may not read the client's settings") {
		t.Errorf("a guess although the settings were read: %s", r.Message)
	}
}
