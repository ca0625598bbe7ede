package checks

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/golang-jwt/jwt/v5"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/internal/graphql"
	"github.com/authdoctor/authdoctor/internal/jsonpath"
	"github.com/authdoctor/authdoctor/report"
)

func claimsPath(t *testing.T, s string) HasuraClaimsAt {
	t.Helper()
	p, err := jsonpath.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return HasuraClaimsAt{Path: p, ByPath: true}
}

// The claims check reads the claims where Hasura is told to read them
// (claims_namespace, claims_namespace_path), as parseClaimsMap does, and
// when they are elsewhere says where and which setting reads them there.
func TestClaimsAtNamespaceOrPath(t *testing.T) {
	cfg := func(at HasuraClaimsAt) Config {
		return Config{TenantID: testTenant, GraphQLURL: "https://api.example.com/v1/graphql", HasuraClaims: at}
	}
	stringified := func() string {
		b, _ := json.Marshal(sequent())
		return string(b)
	}
	ns := HasuraClaimsAt{Namespace: "hasura"}
	tests := []struct {
		name      string
		at        HasuraClaimsAt
		claims    jwt.MapClaims
		status    report.Status
		code      *codes.Code
		fixCase   string
		inMessage []string
		inHint    []string
	}{
		{name: "namespace", at: ns, claims: jwt.MapClaims{"hasura": sequent()}, status: report.Pass,
			inMessage: []string{`the token's Hasura claims (claims_namespace "hasura"): x-hasura-tenant-id is TENANT_ID`}},
		{name: "namespace with a dot and a slash", at: HasuraClaimsAt{Namespace: "https://example.com/claims"}, claims: jwt.MapClaims{"https://example.com/claims": sequent()}, status: report.Pass},
		{name: "stringified claims at a namespace", at: ns, claims: jwt.MapClaims{"hasura": stringified()}, status: report.Pass,
			inMessage: []string{"the claims are a JSON string"}},
		{name: "path", at: claimsPath(t, "$.hasura.claims"), claims: jwt.MapClaims{"hasura": map[string]any{"claims": sequent()}}, status: report.Pass,
			inMessage: []string{"the token's Hasura claims at claims_namespace_path $.hasura.claims:"}},
		{name: "stringified claims at a path", at: claimsPath(t, "$.hasura.claims"), claims: jwt.MapClaims{"hasura": map[string]any{"claims": stringified()}}, status: report.Pass},
		{name: "bracket path", at: claimsPath(t, `$["https://example.com/claims"]`), claims: jwt.MapClaims{"https://example.com/claims": sequent()}, status: report.Pass},
		{name: "root path", at: claimsPath(t, "$"), claims: jwt.MapClaims(sequent()), status: report.Pass},
		{name: "list index", at: claimsPath(t, "$.all[1]"), claims: jwt.MapClaims{"all": []any{map[string]any{}, sequent()}}, status: report.Pass},
		{name: "a registered claim is not looked at", at: HasuraClaimsAt{Namespace: "sub"}, claims: jwt.MapClaims{"sub": stringified()}, status: report.Fail, code: codes.HasuraClaimsMalformed,
			inMessage: []string{`the access token has no "sub" claim: client admin-portal has no Hasura mappers`}},
		{name: "path not there, no claims anywhere", at: claimsPath(t, "$.hasura.claims"), claims: jwt.MapClaims{"sub": "x"}, status: report.Fail, code: codes.HasuraClaimsMalformed,
			inMessage: []string{"the access token has no claims at claims_namespace_path $.hasura.claims: client admin-portal has no Hasura mappers"}},
		{name: "value at the path is a number", at: claimsPath(t, "$.hasura"), claims: jwt.MapClaims{"hasura": 5.0}, status: report.Fail, code: codes.HasuraClaimsMalformed,
			inMessage: []string{"the value at claims_namespace_path $.hasura is a number, not a JSON object"}},
		{name: "default, claims under another key", claims: jwt.MapClaims{"hasura": sequent()}, status: report.Fail, code: codes.HasuraClaimsMalformed, fixCase: codes.CaseClaimsElsewhere,
			inMessage: []string{`no "https://hasura.io/jwt/claims" claim; Hasura claims were found under the key "hasura" instead`},
			inHint:    []string{`("claims_namespace": "hasura" in HASURA_GRAPHQL_JWT_SECRET), tell authdoctor: --hasura-claims-namespace hasura.`, `each must read https://hasura\.io/jwt/claims.x-hasura-<name>`}},
		{name: "default, stringified claims under another key", claims: jwt.MapClaims{"hasura": stringified()}, status: report.Fail, code: codes.HasuraClaimsMalformed, fixCase: codes.CaseClaimsElsewhere,
			inHint: []string{"--hasura-claims-namespace hasura"}},
		{name: "default, claims nested", claims: jwt.MapClaims{"app": map[string]any{"hasura": sequent()}}, status: report.Fail, code: codes.HasuraClaimsMalformed, fixCase: codes.CaseClaimsElsewhere,
			inMessage: []string{"Hasura claims were found at $.app.hasura instead"},
			inHint:    []string{`"claims_namespace_path": "$.app.hasura"`, "--hasura-claims-namespace-path '$.app.hasura'"}},
		{name: "default, claims under a key with special characters", claims: jwt.MapClaims{"a": map[string]any{"b.c": sequent()}}, status: report.Fail, code: codes.HasuraClaimsMalformed, fixCase: codes.CaseClaimsElsewhere,
			inHint: []string{`--hasura-claims-namespace-path '$.a["b.c"]'`}},
		{name: "default, claims at the top level", claims: jwt.MapClaims{"x-hasura-default-role": "admin-user", "x-hasura-allowed-roles": []any{"admin-user"}}, status: report.Fail, code: codes.HasuraClaimsMalformed, fixCase: codes.CaseClaimsElsewhere,
			inMessage: []string{"at the top level of the token (x-hasura-allowed-roles, x-hasura-default-role) instead"},
			inHint:    []string{`"claims_namespace_path": "$"`, "--hasura-claims-namespace-path '$'"}},
		{name: "namespace told, claims in the default one", at: ns, claims: jwt.MapClaims{hasuraNamespace: sequent()}, status: report.Fail, code: codes.HasuraClaimsMalformed, fixCase: codes.CaseClaimsElsewhere,
			inMessage: []string{`the access token has no "hasura" claim; Hasura claims were found under the key "https://hasura.io/jwt/claims" instead`},
			inHint:    []string{"--hasura-claims-namespace https://hasura.io/jwt/claims", "each must read hasura.x-hasura-<name>"}},
		{name: "root path, claims in the default namespace", at: claimsPath(t, "$"), claims: jwt.MapClaims{hasuraNamespace: sequent()}, status: report.Fail, code: codes.HasuraClaimsMalformed, fixCase: codes.CaseClaimsElsewhere,
			inMessage: []string{"the value at claims_namespace_path $ holds no x-hasura-* claim"},
			inHint:    []string{"each must read x-hasura-<name>"}},
		{name: "path through a list, claims elsewhere", at: claimsPath(t, "$.all[0]"), claims: jwt.MapClaims{"hasura": sequent()}, status: report.Fail, code: codes.HasuraClaimsMalformed, fixCase: codes.CaseClaimsElsewhere,
			inHint: []string{"--hasura-claims-namespace hasura. Otherwise a Keycloak mapper cannot write into a list, which claims_namespace_path $.all[0] passes through."}},
		// The unescaped dot stays a mapper mistake, with the mappers' fix.
		{name: "default, unescaped dot", claims: jwt.MapClaims{"https://hasura": map[string]any{"io/jwt/claims": sequent()}}, status: report.Fail, code: codes.HasuraClaimsMalformed,
			inHint: []string{`Fix the claim names of the Hasura mappers of client admin-portal: each must read https://hasura\.io/jwt/claims.x-hasura-<name>.`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := checkClaims(context.Background(), claimsFacts(t, cfg(tt.at), tt.claims))
			if r.Status != tt.status || r.Code != tt.code {
				t.Fatalf("got %s %v (%s), want %s %v", r.Status, r.Code, r.Message, tt.status, tt.code)
			}
			if got, _ := r.Details[codes.DetailFixCase].(string); got != tt.fixCase {
				t.Errorf("fix case %q, want %q", got, tt.fixCase)
			}
			for _, want := range tt.inMessage {
				if !strings.Contains(r.Message, want) {
					t.Errorf("message %q lacks %q", r.Message, want)
				}
			}
			for _, want := range tt.inHint {
				if !strings.Contains(r.Hint, want) {
					t.Errorf("hint %q lacks %q", r.Hint, want)
				}
			}
		})
	}
}

// The role tracer and the roles check's details read the same place.
func TestClaimsAtIsReadEverywhere(t *testing.T) {
	at := HasuraClaimsAt{Namespace: "hasura"}
	claims := jwt.MapClaims{"sub": "x", "hasura": with(sequent(), "x-hasura-allowed-roles", []any{"tenant-read"})}
	facts := claimsFacts(t, Config{HasuraClaims: at, GraphQLURL: "https://x/v1/graphql"}, claims)
	if got := hasuraAllowedRoles(facts); got == nil {
		t.Fatal("allowed roles not read at the namespace")
	}
	if hasuraRole(facts) != "admin-user" || !claimsShowRoleRefusal(facts) {
		t.Fatalf("role %q, refusal %v", hasuraRole(facts), claimsShowRoleRefusal(facts))
	}
	if d := tokenDetails(claims, at); d["hasura_claims"] == nil {
		t.Fatalf("details %v", d)
	}
	if d := tokenDetails(claims, HasuraClaimsAt{}); d["hasura_claims"] != nil {
		t.Fatalf("details %v", d)
	}
}

// Hasura's claimsNotFound answer names the place it reads: when that is
// not where authdoctor reads, the GraphQL refusal says which setting reads
// it, and is not blamed on the claims check's finding.
func TestHasuraReadsElsewhere(t *testing.T) {
	for _, tc := range []struct {
		said string
		at   HasuraClaimsAt
		want string
	}{
		{"claims key: 'hasura' not found", HasuraClaimsAt{}, "--hasura-claims-namespace hasura"},
		{"claims key: 'https://hasura.io/jwt/claims' not found", HasuraClaimsAt{}, ""},
		{"claims key: 'https://hasura.io/jwt/claims' not found", HasuraClaimsAt{Namespace: "hasura"}, "--hasura-claims-namespace https://hasura.io/jwt/claims"},
		{"claims key: 'hasura' not found", claimsPath(t, "$.hasura"), "--hasura-claims-namespace hasura"},
		{"claims not found at claims_namespace_path: '$.hasura.claims'", HasuraClaimsAt{}, "--hasura-claims-namespace-path '$.hasura.claims'"},
		{"claims not found at claims_namespace_path: '$.hasura.claims'", claimsPath(t, "hasura['claims']"), ""},
		{`claims not found at claims_namespace_path: '$["a b"]'`, claimsPath(t, "$.a"), `--hasura-claims-namespace-path '$["a b"]'`},
		{"JWT claim does not contain x-hasura-allowed-roles", HasuraClaimsAt{}, ""},
	} {
		if got := hasuraReadsElsewhere(tc.said, tc.at); got != tc.want {
			t.Errorf("%q with %s: got %q, want %q", tc.said, tc.at, got, tc.want)
		}
	}
	// Through the graphql check's explanation: no consequence, the hint.
	facts := claimsFacts(t, Config{TenantID: testTenant, GraphQLURL: "https://api.example.com/v1/graphql"}, jwt.MapClaims{"sub": "x", "hasura": sequent()})
	ex, ans := gqlExchange(200, "application/json", hasuraError("jwt-invalid-claims", "claims key: 'hasura-claims' not found"))
	p := graphql.Classify(ex, ans)
	r := explainedByClaims(facts, p, fromProblem(p))
	if r.ConsequenceOf != nil || !strings.Contains(r.Hint, "run authdoctor with --hasura-claims-namespace hasura-claims") {
		t.Fatalf("consequence %v, hint %q", r.ConsequenceOf, r.Hint)
	}
}

// between: an empty middle is still a match; a text that is only the
// prefix, whose last character is the suffix, is none (they overlap).
func TestBetween(t *testing.T) {
	const prefix, suffix = "claims not found at claims_namespace_path: '", "'"
	for _, tt := range []struct {
		s, want string
		ok      bool
	}{
		{prefix + "$.hasura" + suffix, "$.hasura", true},
		{prefix + suffix, "", true},
		{prefix, "", false},
		{"claims not found", "", false},
	} {
		if got, ok := between(tt.s, prefix, suffix); got != tt.want || ok != tt.ok {
			t.Errorf("%q: %q %v, want %q %v", tt.s, got, ok, tt.want, tt.ok)
		}
	}
}

// claimsElsewhere looks four keys deep at most (a bound against hostile
// tokens): claims at $.a.b.c.d are found, one level deeper they are not.
func TestClaimsElsewhereDepth(t *testing.T) {
	claims := map[string]any{"x-hasura-default-role": "user"}
	nest := func(keys ...string) jwt.MapClaims {
		var v any = claims
		for i := len(keys) - 1; i >= 0; i-- {
			v = map[string]any{keys[i]: v}
		}
		return jwt.MapClaims(v.(map[string]any))
	}
	if p, ok := claimsElsewhere(nest("a", "b", "c", "d"), HasuraClaimsAt{}); !ok || p.String() != "$.a.b.c.d" {
		t.Errorf("four deep: %v %v", p, ok)
	}
	if p, ok := claimsElsewhere(nest("a", "b", "c", "d", "e"), HasuraClaimsAt{}); ok {
		t.Errorf("five deep found at %v", p)
	}
}
