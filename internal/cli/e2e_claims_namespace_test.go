package cli

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/checks/codes"
)

// A Hasura that reads its claims from another namespace: told the same,
// authdoctor passes; not told, the claims check says where the claims are
// and which setting reads them there (the claims-elsewhere fix).
func TestHasuraClaimsNamespace(t *testing.T) {
	tests := []struct {
		name, scenario string
		args           []string // nil: the scenario's own
		status, code   string   // of the claims check
		inMessage      []string
		inFix          []string
		foundAt        string // details.claims_found_at
	}{
		{name: "told the namespace", scenario: "custom-claims-namespace", status: "pass",
			inMessage: []string{"role admin-user (the default role) is among the allowed roles"}},
		{name: "told the path", scenario: "custom-claims-namespace-path", status: "pass"},
		{name: "not told", scenario: "claims-namespace-not-told", status: "fail", code: "HASURA_CLAIMS_MALFORMED",
			inMessage: []string{`the access token has no "https://hasura.io/jwt/claims" claim; Hasura claims were found under the key "hasura" instead`},
			inFix:     []string{`If Hasura reads them there ("claims_namespace": "hasura" in HASURA_GRAPHQL_JWT_SECRET), tell authdoctor: --hasura-claims-namespace hasura.`, "https://hasura\\.io/jwt/claims.x-hasura-<name>"},
			foundAt:   "$.hasura"},
		{name: "told a path where nothing is", scenario: "custom-claims-namespace", args: []string{"--hasura-claims-namespace-path", "$.hasura.claims"},
			status: "fail", code: "HASURA_CLAIMS_MALFORMED",
			inMessage: []string{`the access token has no claims at claims_namespace_path $.hasura.claims; Hasura claims were found under the key "hasura" instead`},
			inFix:     []string{"--hasura-claims-namespace hasura", "each must read hasura.claims.x-hasura-<name>"},
			foundAt:   "$.hasura"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			run := scenarioRun(t, tc.scenario, "json", tc.args)
			var rep jsonReport
			if err := json.Unmarshal([]byte(run.stdout), &rep); err != nil {
				t.Fatalf("%v\n%s%s", err, run.stdout, run.stderr)
			}
			assertDiagnosis(t, rep, "claims", tc.status, tc.code)
			if tc.status == "pass" {
				if run.code != exitOK {
					t.Fatalf("exit %d: %+v", run.code, rep.Checks)
				}
				// The API accepts the token: the graphql check passes too.
				assertDiagnosis(t, rep, "graphql", "pass", "")
			}
			for _, c := range rep.Checks {
				if c.ID != "claims" {
					continue
				}
				for _, want := range tc.inMessage {
					if !strings.Contains(c.Message, want) {
						t.Errorf("message %q lacks %q", c.Message, want)
					}
				}
				for _, want := range tc.inFix {
					if c.Fix == nil || !strings.Contains(c.Fix.text(), want) {
						t.Errorf("fix lacks %q:\n%v", want, c.Fix)
					}
				}
				if tc.foundAt != "" {
					if c.Details[codes.DetailFixCase] != codes.CaseClaimsElsewhere || c.Details["claims_found_at"] != tc.foundAt {
						t.Errorf("details %v: want fix case %s, claims found at %s", c.Details, codes.CaseClaimsElsewhere, tc.foundAt)
					}
				}
			}
		})
	}
}

// Hasura refuses claims_namespace with claims_namespace_path, and a path
// it cannot parse: so does authdoctor, before any request (exit 2).
func TestHasuraClaimsNamespaceBadInput(t *testing.T) {
	srv := startSandbox(t, scenarioNamed(t, "custom-claims-namespace").Options())
	env := srv.env(scenarioNamed(t, "custom-claims-namespace").Env)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--hasura-claims-namespace", "hasura", "--hasura-claims-namespace-path", "$.hasura"}, "give either --hasura-claims-namespace or --hasura-claims-namespace-path, not both"},
		{[]string{"--hasura-claims-namespace-path", "$.hasura."}, "--hasura-claims-namespace-path: not a JSON path Hasura accepts"},
	} {
		run := runCLI(t, env, append([]string{"check"}, tc.args...)...)
		if run.code != exitUsage || !strings.Contains(run.stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tc.args, run.code, run.stderr, exitUsage, tc.want)
		}
	}
}
