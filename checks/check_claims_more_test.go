package checks

import (
	"context"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/fixtures"
	"github.com/authdoctor/authdoctor/internal/redact"
	"github.com/authdoctor/authdoctor/report"
)

// The claims check runs when an API reads the claims or a tenant must be
// named, and not otherwise.
func TestReadsClaims(t *testing.T) {
	for _, tc := range []struct {
		cfg  Config
		want bool
	}{
		{Config{}, false},
		{Config{GraphQLURL: "https://api.example.com/v1/graphql"}, true},
		{Config{TenantID: testTenant}, true},
		{Config{GraphQLURL: "https://api.example.com/v1/graphql", TenantID: testTenant}, true},
	} {
		if got := readsClaims(&tc.cfg); got != tc.want {
			t.Errorf("%+v: %v, want %v", tc.cfg, got, tc.want)
		}
	}
}

// The details a user sees: the tenant only when one is given, the Hasura
// role (the default one unless --hasura-role) only when there is one, and
// "also" only when there is more than one finding.
func TestCheckClaimsDetails(t *testing.T) {
	const url = "https://api.example.com/v1/graphql"
	for _, tc := range []struct {
		name       string
		cfg        Config
		ns         map[string]any
		wantTenant bool
		wantRole   string // "" for none
		wantAlso   bool
		code       *codes.Code
	}{
		{name: "tenant given, default role", cfg: Config{TenantID: testTenant, GraphQLURL: url}, ns: sequent(), wantTenant: true, wantRole: "admin-user"},
		{name: "no tenant given", cfg: Config{GraphQLURL: url}, ns: with(sequent(), "x-hasura-tenant-id", nil), wantRole: "admin-user"},
		{name: "no default role, none requested", cfg: Config{GraphQLURL: url}, ns: map[string]any{"x-hasura-allowed-roles": []any{"admin-user"}},
			code: codes.HasuraClaimsMalformed},
		{name: "no default role, one requested", cfg: Config{GraphQLURL: url, HasuraRole: "tenant-read"}, ns: map[string]any{"x-hasura-allowed-roles": []any{"tenant-read"}},
			wantRole: "tenant-read", code: codes.HasuraClaimsMalformed},
		{name: "one finding: no also", cfg: Config{TenantID: testTenant, GraphQLURL: url}, ns: with(sequent(), "x-hasura-tenant-id", "7d0e2c41"),
			wantTenant: true, wantRole: "admin-user", code: codes.TenantMismatch},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := checkClaims(context.Background(), claimsFacts(t, tc.cfg, jwt.MapClaims{hasuraNamespace: tc.ns}))
			if r.Code != tc.code {
				t.Fatalf("code %v, want %v: %s", r.Code, tc.code, r.Message)
			}
			if _, ok := r.Details["tenant_id"]; ok != tc.wantTenant {
				t.Errorf("tenant_id in details: %v, want %v (%v)", ok, tc.wantTenant, r.Details)
			}
			if role, ok := r.Details["hasura_role"]; ok != (tc.wantRole != "") || (ok && role != tc.wantRole) {
				t.Errorf("hasura_role %v (present %v), want %q", role, ok, tc.wantRole)
			}
			if _, ok := r.Details["also"]; ok != tc.wantAlso || strings.Contains(r.Message, "; also ") != tc.wantAlso {
				t.Errorf("also: %v, want %v: %s", ok, tc.wantAlso, r.Message)
			}
		})
	}
}

// A Hasura role refusal is the roles check's consequence only for the role
// the roles check found missing.
func TestBecauseOfMissingRole(t *testing.T) {
	outcome := func(codes.CheckID) (report.Status, *codes.Code) { return report.Fail, codes.MissingRole }
	for _, tc := range []struct {
		role    string
		require []string
		want    bool
	}{
		{"admin-user", []string{"admin-user"}, true},
		{"admin-user", []string{"tenant-read"}, false},
		{"", []string{"admin-user"}, false},
	} {
		facts := &Facts{Config: &Config{RequireRoles: tc.require}, outcome: outcome}
		r := becauseOfMissingRole(facts, found(codes.HasuraRoleNotAllowed, "refused"), tc.role)
		if got := r.ConsequenceOf != nil; got != tc.want {
			t.Errorf("role %q, require %v: marked %v, want %v", tc.role, tc.require, got, tc.want)
		} else if got && (r.ConsequenceOf.Check != codes.CheckRoles || r.ConsequenceOf.Code != codes.MissingRole) {
			t.Errorf("marked %+v", r.ConsequenceOf)
		}
	}
}

func TestTenantFindingShapes(t *testing.T) {
	cfg := &Config{TenantID: testTenant}
	cfg.Credentials.ClientID = "admin-portal"
	for _, tc := range []struct {
		name    string
		object  map[string]any
		want    bool
		message string
	}{
		{name: "no claims at all", object: map[string]any{}, want: true,
			message: "have no x-hasura-tenant-id (TENANT_ID is " + testTenant + "): the user has no tenant-id attribute, or client admin-portal has no tenant-id mapper"},
		{name: "the right tenant in a list of one: the shape is reported elsewhere", object: map[string]any{"x-hasura-tenant-id": []any{testTenant}}},
		{name: "a list of two", object: map[string]any{"x-hasura-tenant-id": []any{testTenant, "7d0e2c41"}}, want: true,
			message: `x-hasura-tenant-id is a list ["` + testTenant + `","7d0e2c41"], not TENANT_ID`},
		{name: "a list of another tenant", object: map[string]any{"x-hasura-tenant-id": []any{"7d0e2c41"}}, want: true,
			message: `x-hasura-tenant-id is a list ["7d0e2c41"], not TENANT_ID`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, ok := hasuraClaims{present: true, object: tc.object}.tenantFinding(cfg)
			if ok != tc.want {
				t.Fatalf("finding %v, want %v: %+v", ok, tc.want, f)
			}
			if ok && (f.code != codes.TenantMismatch || !strings.Contains(f.message, tc.message)) {
				t.Errorf("%v %q, want TENANT_MISMATCH containing %q", f.code, f.message, tc.message)
			}
		})
	}
}

// The claims as the report shows them: the object, or the raw value when
// it is not one.
func TestHasuraClaimsDetails(t *testing.T) {
	d := hasuraClaims{present: true, raw: "not json", stringified: true, shape: "a string that is not JSON"}.details()
	if d["hasura_claims"] != "not json" || d["claims_format"] != "stringified_json" {
		t.Errorf("raw claims: %v", d)
	}
	obj := map[string]any{"x-hasura-default-role": "admin-user"}
	d = hasuraClaims{present: true, raw: obj, object: obj}.details()
	if got, _ := d["hasura_claims"].(map[string]any); got["x-hasura-default-role"] != "admin-user" || d["claims_format"] != "json" {
		t.Errorf("object claims: %v", d)
	}
}

// The allowed roles are listed up to four; more are counted.
func TestClaimsSummaryRoleList(t *testing.T) {
	for _, tc := range []struct {
		roles []any
		want  string
	}{
		{[]any{"a", "b", "c", "d"}, "among the allowed roles [a, b, c, d]"},
		{[]any{"a", "b", "c", "d", "e"}, "among the allowed roles (5 roles)"},
	} {
		hc := hasuraClaims{present: true, object: map[string]any{"x-hasura-default-role": "a", "x-hasura-allowed-roles": tc.roles}}
		if got := hc.summary(&Config{}); !strings.Contains(got, tc.want) {
			t.Errorf("%v: %q, want %q", tc.roles, got, tc.want)
		}
	}
}

// Values from the token are bounded in messages: 200 bytes of JSON and 100
// characters of text are shown whole, more is not.
func TestClaimValueBounds(t *testing.T) {
	s198 := strings.Repeat("x", 198) // 200 bytes with its quotes
	if got, want := describeValue(s198), `a string "`+s198+`"`; got != want {
		t.Errorf("200 bytes: %q, want %q", got, want)
	}
	if got := describeValue(s198 + "x"); got != "a string" {
		t.Errorf("201 bytes: %q", got)
	}
	s100 := strings.Repeat("y", 100)
	if got := clip(s100); got != s100 {
		t.Errorf("100 characters clipped: %q", got)
	}
	if got := clip(s100 + "y"); got != s100+"…" {
		t.Errorf("101 characters: %q", got)
	}
}

// With admin access, a missing x-hasura-tenant-id is traced to its cause:
// the user's attributes lack tenant-id, or they have it and the client's
// mapper is missing; a refused admin login leaves a note instead.
func TestTenantAttributeTraced(t *testing.T) {
	base := startSandbox(t, nil)
	adminArgs := scenarioNamed(t, "hasura-role-not-assigned").Args // ops-admin of the main tenant
	for _, tc := range []struct {
		scenario, adminPassword string // "": the scenario's admin password
		message                 string
		note                    string // details["user_attributes"]
	}{
		{scenario: "no-tenant-attribute", message: "): the admin API shows that user uma has no tenant-id attribute"},
		{scenario: "no-tenant-mapper", message: "), although user ana has the tenant-id attribute [" + fixtures.TenantID + "] (admin API): client archive-portal has no tenant-id mapper"},
		{scenario: "no-tenant-mapper", adminPassword: "not-the-admin-password-1", message: ": the user has no tenant-id attribute, or client archive-portal has no tenant-id mapper",
			note: "not read: "},
	} {
		t.Run(tc.scenario+tc.adminPassword, func(t *testing.T) {
			sc := scenarioNamed(t, tc.scenario)
			sc.Args = append(append([]string{}, sc.Args...), adminArgs...)
			cfg := scenarioConfig(t, base, sc)
			if tc.adminPassword != "" {
				cfg.Admin.Password = redact.Secret(tc.adminPassword)
			}
			r := expect(t, diagnose(t, cfg), codes.CheckClaims, report.Fail, codes.TenantMismatch, tc.message)
			if note, _ := r.Details["user_attributes"].(string); !strings.HasPrefix(note, tc.note) || (tc.note == "") != (note == "") {
				t.Errorf("user_attributes %q, want %q…", note, tc.note)
			}
		})
	}
}
