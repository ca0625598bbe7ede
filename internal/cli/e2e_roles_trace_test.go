package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/fixtures"
)

// The role tracer and the verification of roles a token does not carry,
// end to end against the sandbox: each outcome's check, status, code, fix
// and the words that name the cause (the role, its client, the setting).
func TestRoleTracerAndUnverifiableRoles(t *testing.T) {
	srv := startSandbox(t, fixtures.Options{})
	admin, _ := adminArgs(t, scenarioNamed(t, "wrong-password-event"))
	user := func(client, name, password string) map[string]string {
		return map[string]string{"TENANT_ID": fixtures.TenantID, "CLIENT_ID": client, "USERNAME": name, "PASSWORD": password}
	}
	withSecret := func(env map[string]string, secret string) map[string]string {
		env["CLIENT_SECRET"] = secret
		return env
	}
	for _, tt := range []struct {
		name                      string
		env                       map[string]string
		args                      []string
		check, status, code       string
		want                      []string
		graphqlConsequenceOfClaim bool
	}{
		{"hasura role held nowhere", user("admin-portal", "bob", "bob-sandbox-Pass-2"), admin,
			"claims", "fail", "ROLE_NOT_ASSIGNED", []string{"user bob does not hold admin-user", "realm role admin-user", "Your requested role is not in allowed roles"}, true},
		{"hasura mapper without the role", user("voting-portal", "ana", anaPassword), append([]string{"--hasura-role", "admin-user"}, admin...),
			"claims", "fail", "ROLE_NOT_IN_TOKEN", []string{"user ana holds admin-user", "Hasura claims mapper of client voting-portal", "x-hasura-allowed-roles ([user])"}, true},
		{"lightweight token, public client, no admin", user("lightweight-cli", "ana", anaPassword), []string{"--require-role", "admin-user"},
			"roles", "fail", "ROLES_UNVERIFIABLE", []string{"admin-user cannot be verified", "Keycloak lets only confidential clients introspect", "no admin access given"}, false},
		{"lightweight token, public client, admin", user("lightweight-cli", "ana", anaPassword), append([]string{"--require-role", "admin-user"}, admin...),
			"roles", "fail", "ROLE_NOT_IN_TOKEN", []string{"user ana holds admin-user", "client lightweight-cli issues lightweight access tokens", "Always use lightweight access token"}, false},
		{"lightweight token, introspected", withSecret(user("lightweight-service", "ana", anaPassword), lightweightSecret), []string{"--require-role", "admin-user"},
			"roles", "warn", "ROLES_NOT_IN_TOKEN", []string{"token introspection as client lightweight-service shows the server grants admin-user"}, false},
		{"lightweight token, introspected, role absent", withSecret(user("lightweight-service", "bob", "bob-sandbox-Pass-2"), lightweightSecret), []string{"--require-role", "admin-user"},
			"roles", "fail", "MISSING_ROLE", []string{"token introspection as client lightweight-service shows the token lacks realm role admin-user"}, false},
		{"lightweight token, introspected, role absent, admin", withSecret(user("lightweight-service", "bob", "bob-sandbox-Pass-2"), lightweightSecret), append([]string{"--require-role", "admin-user"}, admin...),
			"roles", "fail", "ROLE_NOT_ASSIGNED", []string{"user bob does not hold admin-user", "token introspection as client lightweight-service"}, false},
		{"full scope off, admin", user("insights-portal", "ana", anaPassword), append([]string{"--require-role", "admin-user"}, admin...),
			"roles", "fail", "ROLE_NOT_IN_TOKEN", []string{"user ana holds admin-user", "client insights-portal has Full scope allowed off"}, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rep, run := checkJSON(t, srv.env(tt.env), tt.args...)
			assertDiagnosis(t, rep, tt.check, tt.status, tt.code)
			_, _, msg, _ := rep.check(t, tt.check)
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("message lacks %q:\n%s", w, msg)
				}
			}
			if tt.status == "fail" && run.code != exitFailed {
				t.Errorf("exit %d, want %d", run.code, exitFailed)
			}
			if !tt.graphqlConsequenceOfClaim {
				return
			}
			// The GraphQL server's refusal is the traced cause's
			// consequence, not a second cause.
			var doc struct {
				Checks []struct {
					ID            string `json:"id"`
					Code          string `json:"code"`
					ConsequenceOf *struct {
						Check, Code string
					} `json:"consequence_of"`
				} `json:"checks"`
			}
			if err := json.Unmarshal([]byte(run.stdout), &doc); err != nil {
				t.Fatal(err)
			}
			for _, c := range doc.Checks {
				if c.ID == "graphql" && (c.Code != "GRAPHQL_ACCESS_DENIED" || c.ConsequenceOf == nil || c.ConsequenceOf.Check != "claims" || c.ConsequenceOf.Code != tt.code) {
					t.Errorf("graphql: %s, consequence of %+v; want GRAPHQL_ACCESS_DENIED as consequence of claims %s", c.Code, c.ConsequenceOf, tt.code)
				}
			}
		})
	}
}

// A permanent lockout names itself and how an administrator lifts it.
func TestPermanentLockoutDiagnosis(t *testing.T) {
	srv := startSandbox(t, fixtures.Options{})
	sc := scenarioNamed(t, "permanent-lockout")
	if err := sc.SendWrongPasswords(t.Context(), srv.Client(), srv.keycloakURL()); err != nil {
		t.Fatal(err)
	}
	rep, run := checkJSON(t, srv.env(sc.Env), sc.Args...)
	assertDiagnosis(t, rep, "credentials", "fail", "ACCOUNT_LOCKED")
	_, _, msg, fix := rep.check(t, "credentials")
	for _, w := range []string{"user_disabled", "Keycloak counts 2 failures", "the realm locks permanently", "disabledReason=permanentLockout", "until an administrator enables pia again", "-s enabled=true"} {
		if !strings.Contains(msg, w) {
			t.Errorf("message lacks %q:\n%s", w, msg)
		}
	}
	// Only enabling the user lifts a permanent lockout: that step leads.
	if !strings.HasPrefix(fix, "Enable the user again") {
		t.Errorf("fix: %s", fix)
	}
	if run.code != exitFailed {
		t.Errorf("exit %d", run.code)
	}
}
