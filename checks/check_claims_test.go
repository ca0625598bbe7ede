package checks

import (
	"context"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/internal/graphql"
	"github.com/authdoctor/authdoctor/internal/redact"
	"github.com/authdoctor/authdoctor/keycloak"
	"github.com/authdoctor/authdoctor/report"
)

const testTenant = "3f6c0b9e-8d1a-4c2e-9b7a-5e2d3c4b1a60"

// unsignedToken is a JWT with these claims; the claims check reads tokens
// without verifying them (the roles check verifies).
func unsignedToken(t *testing.T, claims jwt.MapClaims) redact.Secret {
	t.Helper()
	s, err := jwt.NewWithClaims(jwt.SigningMethodNone, claims).SignedString(jwt.UnsafeAllowNoneSignatureType)
	if err != nil {
		t.Fatal(err)
	}
	return redact.Secret(s)
}

func claimsFacts(t *testing.T, cfg Config, claims jwt.MapClaims) *Facts {
	t.Helper()
	if cfg.Credentials.ClientID == "" {
		cfg.Credentials.ClientID = "admin-portal"
	}
	return &Facts{Config: &cfg, Tokens: &keycloak.Tokens{Access: unsignedToken(t, claims)}}
}

// sequent is the namespace of a healthy admin-portal token.
func sequent() map[string]any {
	return map[string]any{
		"x-hasura-default-role":  "admin-user",
		"x-hasura-allowed-roles": []any{"admin-user", "tenant-read"},
		"x-hasura-user-id":       "a20376d6",
		"x-hasura-tenant-id":     testTenant,
	}
}

func with(ns map[string]any, key string, value any) map[string]any {
	if value == nil {
		delete(ns, key)
	} else {
		ns[key] = value
	}
	return ns
}

func TestCheckClaims(t *testing.T) {
	withTenant := Config{TenantID: testTenant, GraphQLURL: "https://api.example.com/v1/graphql"}
	noURL := Config{TenantID: testTenant}
	tests := []struct {
		name   string
		cfg    Config
		claims jwt.MapClaims
		status report.Status
		code   *codes.Code
		inMsg  []string
	}{
		{"healthy", withTenant, jwt.MapClaims{hasuraNamespace: sequent()}, report.Pass, nil,
			[]string{"x-hasura-tenant-id is TENANT_ID " + testTenant, "role admin-user (the default role)"}},
		{"keys in any letter case", withTenant, jwt.MapClaims{hasuraNamespace: map[string]any{
			"X-Hasura-Default-Role": "admin-user", "X-Hasura-Allowed-Roles": []any{"admin-user"}, "X-Hasura-Tenant-Id": testTenant}}, report.Pass, nil, nil},
		{"stringified claims", withTenant, jwt.MapClaims{hasuraNamespace: `{"x-hasura-default-role":"admin-user","x-hasura-allowed-roles":["admin-user"],"x-hasura-tenant-id":"` + testTenant + `"}`},
			report.Pass, nil, []string{"claims_format stringified_json"}},
		{"tenant of another tenant", withTenant, jwt.MapClaims{hasuraNamespace: with(sequent(), "x-hasura-tenant-id", "7d0e2c41")}, report.Fail, codes.TenantMismatch,
			[]string{"x-hasura-tenant-id is 7d0e2c41 but TENANT_ID is " + testTenant, "tenant-id attribute names another tenant"}},
		{"tenant differs in case", withTenant, jwt.MapClaims{hasuraNamespace: with(sequent(), "x-hasura-tenant-id", strings.ToUpper(testTenant))}, report.Fail, codes.TenantMismatch,
			[]string{"letter case"}},
		{"no tenant claim, other claims present", withTenant, jwt.MapClaims{hasuraNamespace: with(sequent(), "x-hasura-tenant-id", nil)}, report.Fail, codes.TenantMismatch,
			[]string{"no x-hasura-tenant-id", "though they carry x-hasura-allowed-roles, x-hasura-default-role, x-hasura-user-id", "no tenant-id attribute, or client admin-portal has no tenant-id mapper"}},
		{"tenant claim a list of the right tenant", withTenant, jwt.MapClaims{hasuraNamespace: with(sequent(), "x-hasura-tenant-id", []any{testTenant})}, report.Fail, codes.HasuraClaimsMalformed,
			[]string{"x-hasura-tenant-id is a list", "session variables are strings"}},
		{"no tenant given: not compared", Config{GraphQLURL: "https://api.example.com/v1/graphql"}, jwt.MapClaims{hasuraNamespace: with(sequent(), "x-hasura-tenant-id", "other")}, report.Pass, nil, nil},
		{"no namespace", withTenant, jwt.MapClaims{"sub": "x"}, report.Fail, codes.HasuraClaimsMalformed,
			[]string{`no "https://hasura.io/jwt/claims" claim`, "client admin-portal has no Hasura mappers"}},
		{"no namespace and no API: not checked", noURL, jwt.MapClaims{"sub": "x"}, report.Skip, nil, []string{"no GraphQL URL"}},
		{"namespace present, no API: tenant still checked", noURL, jwt.MapClaims{hasuraNamespace: with(sequent(), "x-hasura-tenant-id", "other")}, report.Fail, codes.TenantMismatch, nil},
		{"unescaped dot in the claim names", withTenant, jwt.MapClaims{"https://hasura": map[string]any{"io/jwt/claims": sequent()}}, report.Fail, codes.HasuraClaimsMalformed,
			[]string{`under "https://hasura" > "io/jwt/claims"`}},
		{"claims at the top level", withTenant, jwt.MapClaims{"x-hasura-default-role": "admin-user"}, report.Fail, codes.HasuraClaimsMalformed,
			[]string{"at the top level of the token (x-hasura-default-role"}},
		{"namespace a number", withTenant, jwt.MapClaims{hasuraNamespace: 5}, report.Fail, codes.HasuraClaimsMalformed, []string{"is a number, not a JSON object"}},
		{"namespace a string that is not JSON", withTenant, jwt.MapClaims{hasuraNamespace: "admin-user"}, report.Fail, codes.HasuraClaimsMalformed, []string{"does not hold a JSON object"}},
		{"allowed roles single-valued", withTenant, jwt.MapClaims{hasuraNamespace: with(sequent(), "x-hasura-allowed-roles", "admin-user,tenant-read")}, report.Fail, codes.HasuraClaimsMalformed,
			[]string{`x-hasura-allowed-roles is the string "admin-user,tenant-read", not a list: its mapper has Multivalued off`}},
		{"allowed roles missing", withTenant, jwt.MapClaims{hasuraNamespace: with(sequent(), "x-hasura-allowed-roles", nil)}, report.Fail, codes.HasuraClaimsMalformed, []string{"no x-hasura-allowed-roles"}},
		{"allowed roles with a number", withTenant, jwt.MapClaims{hasuraNamespace: with(sequent(), "x-hasura-allowed-roles", []any{"a", 1.0})}, report.Fail, codes.HasuraClaimsMalformed, []string{"is a list, not a list of role names"}},
		{"default role missing", withTenant, jwt.MapClaims{hasuraNamespace: with(sequent(), "x-hasura-default-role", nil)}, report.Fail, codes.HasuraClaimsMalformed, []string{"no x-hasura-default-role"}},
		{"default role a list", withTenant, jwt.MapClaims{hasuraNamespace: with(sequent(), "x-hasura-default-role", []any{"admin-user"})}, report.Fail, codes.HasuraClaimsMalformed, []string{`a list ["admin-user"], not one role name`}},
		{"default role not allowed", withTenant, jwt.MapClaims{hasuraNamespace: with(sequent(), "x-hasura-allowed-roles", []any{"tenant-read"})}, report.Fail, codes.HasuraRoleNotAllowed,
			[]string{"default role admin-user is not among its allowed roles [tenant-read]"}},
		{"requested role not allowed", Config{TenantID: testTenant, GraphQLURL: "https://x/v1/graphql", HasuraRole: "election-event-create"}, jwt.MapClaims{hasuraNamespace: sequent()},
			report.Fail, codes.HasuraRoleNotAllowed, []string{"--hasura-role election-event-create is not among the token's allowed roles [admin-user, tenant-read]"}},
		{"requested role allowed, default not", Config{TenantID: testTenant, GraphQLURL: "https://x/v1/graphql", HasuraRole: "tenant-read"},
			jwt.MapClaims{hasuraNamespace: with(sequent(), "x-hasura-default-role", "user")}, report.Pass, nil, []string{"the default role user is not allowed"}},
		{"every finding at once", withTenant, jwt.MapClaims{hasuraNamespace: with(with(sequent(), "x-hasura-allowed-roles", []any{"tenant-read"}), "x-hasura-tenant-id", nil)},
			report.Fail, codes.HasuraRoleNotAllowed, []string{"; also TENANT_MISMATCH: "}},
		{"session variable not a string", withTenant, jwt.MapClaims{hasuraNamespace: with(sequent(), "x-hasura-area-id", 7.0)}, report.Fail, codes.HasuraClaimsMalformed, []string{"x-hasura-area-id is a number 7"}},
		{"other keys ignored, as Hasura does", withTenant, jwt.MapClaims{hasuraNamespace: with(sequent(), "roles", 7.0)}, report.Pass, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := checkClaims(context.Background(), claimsFacts(t, tt.cfg, tt.claims))
			if r.Status != tt.status || r.Code != tt.code {
				t.Fatalf("got %s %v (%s), want %s %v", r.Status, r.Code, r.Message, tt.status, tt.code)
			}
			for _, want := range tt.inMsg {
				if !strings.Contains(r.Message, want) {
					t.Errorf("message %q lacks %q", r.Message, want)
				}
			}
		})
	}
}

// The graphql check's refusal is the claims finding's consequence exactly
// when the claims explain what Hasura refused.
func TestExplainedByClaims(t *testing.T) {
	cfg := Config{TenantID: testTenant, GraphQLURL: "https://api.example.com/v1/graphql"}
	tests := []struct {
		name      string
		ns        any
		answer    string
		wantCause *codes.Code
		inHint    string
	}{
		{"single-valued roles", with(sequent(), "x-hasura-allowed-roles", "admin-user"),
			hasuraError("jwt-invalid-claims", "invalid x-hasura-allowed-roles; should be a list of roles: parsing [] failed, expected Array, but encountered String"), codes.HasuraClaimsMalformed, ""},
		{"no namespace", nil, hasuraError("jwt-invalid-claims", "claims key: 'https://hasura.io/jwt/claims' not found"), codes.HasuraClaimsMalformed, ""},
		{"role not allowed", with(sequent(), "x-hasura-allowed-roles", []any{"tenant-read"}), hasuraError("access-denied", "Your requested role is not in allowed roles"), codes.HasuraRoleNotAllowed, ""},
		{"tenant missing", with(sequent(), "x-hasura-tenant-id", nil), hasuraError("not-found", `missing session variable: "x-hasura-tenant-id"`), codes.TenantMismatch, ""},
		{"another session variable missing", with(sequent(), "x-hasura-tenant-id", nil), hasuraError("not-found", `missing session variable: "x-hasura-area-id"`), nil, ""},
		{"healthy claims, Hasura denies: not explained", sequent(), hasuraError("access-denied", "Your requested role is not in allowed roles"), nil, ""},
		{"claims malformed, but the key is not trusted", with(sequent(), "x-hasura-allowed-roles", "admin-user"), hasuraError("invalid-jwt", "Could not verify JWT: JWSError NoUsableKeys"), nil, ""},
		{"stringified claims, Hasura reads json", `{"x-hasura-default-role":"admin-user","x-hasura-allowed-roles":["admin-user"],"x-hasura-tenant-id":"` + testTenant + `"}`,
			hasuraError("jwt-invalid-claims", "expecting a json object when claims_format is json"), nil, `"claims_format": "stringified_json"`},
		{"object claims, Hasura reads strings", sequent(), hasuraError("jwt-invalid-claims", "expecting a string when claims_format is stringified_json"), nil, "remove claims_format"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			claims := jwt.MapClaims{"sub": "x"}
			if tt.ns != nil {
				claims[hasuraNamespace] = tt.ns
			}
			facts := claimsFacts(t, cfg, claims)
			ex, ans := gqlExchange(200, "application/json", tt.answer)
			p := graphql.Classify(ex, ans)
			r := explainedByClaims(facts, p, fromProblem(p))
			var got *codes.Code
			if r.ConsequenceOf != nil {
				if r.ConsequenceOf.Check != codes.CheckClaims {
					t.Fatalf("consequence of %s", r.ConsequenceOf.Check)
				}
				got = r.ConsequenceOf.Code
			}
			if got != tt.wantCause {
				t.Fatalf("cause %v, want %v", got, tt.wantCause)
			}
			if r.Code != p.Code {
				t.Fatalf("the graphql finding's own code changed: %s", r.Code)
			}
			if tt.inHint != "" && !strings.Contains(r.Hint, tt.inHint) {
				t.Fatalf("hint %q lacks %q", r.Hint, tt.inHint)
			}
		})
	}
}
