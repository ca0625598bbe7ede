package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/fixtures"
)

// The claims check reads the token before the GraphQL API is called; when
// the API then refuses the token for what the claims check found, the
// graphql check keeps its own code, marked as that finding's consequence,
// so the report leads with the claim and its mapper.
func TestClaimsLeadGraphQLRefusals(t *testing.T) {
	srv := startSandbox(t, fixtures.Options{})
	tests := []struct {
		scenario         string
		claimsCode       string
		graphqlCode      string // "" when the API accepts the token
		consequence      bool
		inClaimsMessage  string
		inGraphQLMessage string
	}{
		{"no-hasura-claims", "HASURA_CLAIMS_MALFORMED", "GRAPHQL_CLAIMS_MISSING", true, "client account-app has no Hasura mappers", "claims key: 'https://hasura.io/jwt/claims' not found"},
		{"single-valued-roles", "HASURA_CLAIMS_MALFORMED", "GRAPHQL_CLAIMS_MISSING", true, "its mapper has Multivalued off", "should be a list of roles"},
		{"admin-role-denied", "HASURA_ROLE_NOT_ALLOWED", "GRAPHQL_ACCESS_DENIED", true, "default role admin-user is not among its allowed roles", "Your requested role is not in allowed roles"},
		{"hasura-role-not-allowed", "HASURA_ROLE_NOT_ALLOWED", "GRAPHQL_ACCESS_DENIED", true, "--hasura-role election-event-create is not among", "requested role election-event-create"},
		// A tenant claim is nothing Hasura checks on __typename: the API
		// accepts the token, and only the claims check can tell.
		{"tenant-of-another-tenant", "TENANT_MISMATCH", "", false, "x-hasura-tenant-id is " + fixtures.OtherTenantID + " but TENANT_ID is " + fixtures.TenantID, ""},
		{"no-tenant-attribute", "TENANT_MISMATCH", "", false, "the user has no tenant-id attribute, or client admin-portal has no tenant-id mapper", ""},
		{"no-tenant-mapper", "TENANT_MISMATCH", "", false, "or client archive-portal has no tenant-id mapper", ""},
		// Valid claims in the other claims_format: the token alone cannot
		// tell, the API's refusal stands on its own, with the hint.
		{"stringified-claims", "", "GRAPHQL_CLAIMS_MISSING", false, "claims_format stringified_json", "expecting a json object when claims_format is json"},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			sc := scenarioNamed(t, tt.scenario)
			rep, run := checkJSON(t, srv.env(sc.Env), sc.Args...)
			claims := findCheck(t, run.stdout, "claims")
			wantClaims := "fail"
			if tt.claimsCode == "" {
				wantClaims = "pass"
			}
			if claims.Status != wantClaims || claims.Code != tt.claimsCode || !strings.Contains(claims.Message, tt.inClaimsMessage) {
				t.Fatalf("claims: %s %s %q, want %s %s with %q", claims.Status, claims.Code, claims.Message, wantClaims, tt.claimsCode, tt.inClaimsMessage)
			}
			if tt.claimsCode != "" {
				assertDiagnosis(t, rep, "claims", "fail", tt.claimsCode)
			}
			gql := findCheck(t, run.stdout, "graphql")
			if tt.graphqlCode == "" {
				if gql.Status != "pass" {
					t.Fatalf("graphql: %s %s %s, want pass", gql.Status, gql.Code, gql.Message)
				}
				return
			}
			if gql.Status != "fail" || gql.Code != tt.graphqlCode || !strings.Contains(gql.Message, tt.inGraphQLMessage) {
				t.Fatalf("graphql: %s %s %q, want fail %s with %q", gql.Status, gql.Code, gql.Message, tt.graphqlCode, tt.inGraphQLMessage)
			}
			switch c := gql.ConsequenceOf; {
			case tt.consequence && (c == nil || c.Check != "claims" || c.Code != tt.claimsCode):
				t.Fatalf("graphql consequence_of %+v, want claims %s", c, tt.claimsCode)
			case !tt.consequence && c != nil:
				t.Fatalf("graphql consequence_of %+v, want none", c)
			}
		})
	}
}

// Without a GraphQL URL the tenant contract still holds for a token that
// carries Hasura claims; a token without any is not checked (skip, said so).
func TestClaimsWithoutGraphQLURL(t *testing.T) {
	srv := startSandbox(t, fixtures.Options{})
	noURL := func(sc map[string]string) map[string]string {
		env := srv.env(sc)
		delete(env, "GRAPHQL_URL")
		return env
	}
	rep, run := checkJSON(t, noURL(scenarioNamed(t, "tenant-of-another-tenant").Env))
	assertDiagnosis(t, rep, "claims", "fail", "TENANT_MISMATCH")
	if run.code != exitFailed {
		t.Fatalf("exit %d", run.code)
	}
	rep, run = checkJSON(t, noURL(scenarioNamed(t, "no-hasura-claims").Env))
	if c := findCheck(t, run.stdout, "claims"); c.Status != "skip" || !strings.Contains(c.Message, "carries no Hasura claims") {
		t.Fatalf("claims: %s %s %s", c.Status, c.Code, c.Message)
	}
	assertDiagnosis(t, rep, "claims", "skip", "")
	// Neither GRAPHQL_URL nor TENANT_ID: the check is not part of the run.
	env := noURL(scenarioNamed(t, "healthy-admin").Env)
	delete(env, "TENANT_ID")
	env["KEYCLOAK_REALM"] = "tenant-" + fixtures.TenantID
	_, run = checkJSON(t, env)
	if strings.Contains(run.stdout, `"id": "claims"`) || strings.Contains(run.stdout, `"id":"claims"`) {
		t.Fatalf("claims ran without GRAPHQL_URL and TENANT_ID:\n%s", run.stdout)
	}
}

type claimsTestCheck struct {
	ID            string `json:"id"`
	Status        string `json:"status"`
	Code          string `json:"code"`
	Message       string `json:"message"`
	ConsequenceOf *struct {
		Check string `json:"check"`
		Code  string `json:"code"`
	} `json:"consequence_of"`
}

// findCheck reads one check of the JSON report, with its consequence_of.
func findCheck(t *testing.T, stdout, id string) claimsTestCheck {
	t.Helper()
	var doc struct {
		Checks []claimsTestCheck `json:"checks"`
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err)
	}
	for _, c := range doc.Checks {
		if c.ID == id {
			return c
		}
	}
	t.Fatalf("no check %s in %s", id, stdout)
	return claimsTestCheck{}
}

// With admin access, the user's attributes tell the two causes of a
// missing x-hasura-tenant-id apart.
func TestTenantClaimTracedWithAdminAccess(t *testing.T) {
	srv := startSandbox(t, fixtures.Options{})
	admin := []string{"--admin-realm", "tenant-" + fixtures.TenantID, "--admin-username", "ops-admin", "--admin-password", opsAdminPasswordForTests(t)}
	tests := []struct{ scenario, inMessage, inFix string }{
		{"no-tenant-attribute", "the admin API shows that user uma has no tenant-id attribute", "Set the tenant-id attribute of user uma to " + fixtures.TenantID},
		{"no-tenant-mapper", "although user ana has the tenant-id attribute [" + fixtures.TenantID + "] (admin API): client archive-portal has no tenant-id mapper", "Add to client archive-portal a User Attribute mapper"},
	}
	for _, tt := range tests {
		t.Run(tt.scenario, func(t *testing.T) {
			sc := scenarioNamed(t, tt.scenario)
			rep, run := checkJSON(t, srv.env(sc.Env), append(append([]string{}, sc.Args...), admin...)...)
			assertDiagnosis(t, rep, "claims", "fail", "TENANT_MISMATCH")
			_, _, msg, fix := rep.check(t, "claims")
			if !strings.Contains(msg, tt.inMessage) || !strings.Contains(fix, tt.inFix) {
				t.Fatalf("message %q\nfix %q", msg, fix)
			}
			if strings.Contains(run.stdout, opsAdminPasswordForTests(t)) {
				t.Fatal("the admin password is in the report")
			}
		})
	}
}

// opsAdminPasswordForTests is the main tenant operator's password, read
// from the scenario that uses it (the realm file is its source).
func opsAdminPasswordForTests(t *testing.T) string {
	t.Helper()
	args := scenarioNamed(t, "wrong-password-event").Args
	for i, a := range args {
		if a == "--admin-password" && i+1 < len(args) {
			return args[i+1]
		}
	}
	t.Fatal("no --admin-password in wrong-password-event")
	return ""
}

// The same tracing against a real Keycloak: its admin API lists the
// user's attributes (GET /users, briefRepresentation false by default;
// the realm keeps tenant-id as an unmanaged attribute).
func TestTenantClaimTracedAgainstRealKeycloak(t *testing.T) {
	real := realKeycloak(t)
	hasura := startHasuraFor(t, real.BaseURL, sandboxProfile(real.Version))
	admin := []string{"--admin-realm", "tenant-" + fixtures.TenantID, "--admin-username", "ops-admin", "--admin-password", opsAdminPasswordForTests(t)}
	for scenario, want := range map[string]string{
		"no-tenant-attribute": "the admin API shows that user uma has no tenant-id attribute",
		"no-tenant-mapper":    "although user ana has the tenant-id attribute [" + fixtures.TenantID + "] (admin API)",
	} {
		t.Run(scenario, func(t *testing.T) {
			sc := scenarioNamed(t, scenario)
			env := map[string]string{"KEYCLOAK_URL": real.BaseURL, "GRAPHQL_URL": hasura.URL + "/v1/graphql"}
			for k, v := range sc.Env {
				env[k] = v
			}
			rep, _ := checkJSON(t, env, append(append([]string{}, sc.Args...), admin...)...)
			assertDiagnosis(t, rep, "claims", "fail", "TENANT_MISMATCH")
			if _, _, msg, _ := rep.check(t, "claims"); !strings.Contains(msg, want) {
				t.Fatalf("message %q lacks %q", msg, want)
			}
		})
	}
}

// A role required with --require-role and refused by Hasura is one cause:
// the roles check's finding leads, and both the claims check's and the
// API's refusals are its consequences (the summary names one cause).
func TestMissingRequiredRoleIsOneCause(t *testing.T) {
	srv := startSandbox(t, fixtures.Options{})
	sc := scenarioNamed(t, "missing-admin-role")
	rep, run := checkJSON(t, srv.env(sc.Env), sc.Args...)
	assertDiagnosis(t, rep, "roles", "fail", "MISSING_ROLE")
	for _, id := range []string{"claims", "graphql"} {
		c := findCheck(t, run.stdout, id)
		if c.Status != "fail" || c.ConsequenceOf == nil || c.ConsequenceOf.Check != "roles" || c.ConsequenceOf.Code != "MISSING_ROLE" {
			t.Fatalf("%s: %s %s consequence_of %+v, want a failure marked as the consequence of roles MISSING_ROLE", id, c.Status, c.Code, c.ConsequenceOf)
		}
	}
	var doc struct {
		Summary struct {
			RootCauses []struct {
				Check, Code string
			} `json:"root_causes"`
		} `json:"summary"`
	}
	if err := json.Unmarshal([]byte(run.stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Summary.RootCauses) != 1 || doc.Summary.RootCauses[0].Code != "MISSING_ROLE" {
		t.Fatalf("root causes %+v, want MISSING_ROLE alone", doc.Summary.RootCauses)
	}

	// Without --require-role, nothing says the role is required: the
	// claims check's refusal is the cause.
	rep, run = checkJSON(t, srv.env(sc.Env))
	assertDiagnosis(t, rep, "claims", "fail", "HASURA_ROLE_NOT_ALLOWED")
	if c := findCheck(t, run.stdout, "claims"); c.ConsequenceOf != nil {
		t.Fatalf("claims consequence_of %+v without --require-role", c.ConsequenceOf)
	}
}
