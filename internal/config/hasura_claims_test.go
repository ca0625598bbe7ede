package config

import (
	"errors"
	"strings"
	"testing"
)

// Where Hasura reads its claims: a namespace, a path, or the default; both
// at once, and a path Hasura cannot parse, are exit 2 before any request.
func TestHasuraClaimsNamespace(t *testing.T) {
	base := map[string]string{"KEYCLOAK_URL": "https://sso.example.com", "KEYCLOAK_REALM": "r", "CLIENT_ID": "svc", "CLIENT_SECRET": "s3cret-value"}
	with := func(kv ...string) map[string]string {
		env := map[string]string{}
		for k, v := range base {
			env[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			env[kv[i]] = kv[i+1]
		}
		return env
	}
	for _, tc := range []struct {
		name   string
		flags  map[string][]string
		env    map[string]string
		wantNS string
		wantP  string // the parsed path as Hasura prints it; "" for none
		errHas []string
	}{
		{name: "default", env: with(), wantNS: "https://hasura.io/jwt/claims"},
		{name: "namespace from the environment", env: with("HASURA_CLAIMS_NAMESPACE", "hasura"), wantNS: "hasura"},
		{name: "namespace flag", flags: map[string][]string{"hasura-claims-namespace": {"https://example.com/claims"}}, env: with(), wantNS: "https://example.com/claims"},
		{name: "path", env: with("HASURA_CLAIMS_NAMESPACE_PATH", "$.hasura.claims"), wantP: "$.hasura.claims"},
		{name: "root path", flags: map[string][]string{"hasura-claims-namespace-path": {"$"}}, env: with(), wantP: "$"},
		{name: "bracket path", env: with("HASURA_CLAIMS_NAMESPACE_PATH", `$['https://example.com/claims']`), wantP: `$["https://example.com/claims"]`},
		{name: "both", env: with("HASURA_CLAIMS_NAMESPACE", "hasura", "HASURA_CLAIMS_NAMESPACE_PATH", "$.hasura"),
			errHas: []string{"give either HASURA_CLAIMS_NAMESPACE (environment) or HASURA_CLAIMS_NAMESPACE_PATH (environment), not both", "Hasura refuses"}},
		{name: "both as flags", flags: map[string][]string{"hasura-claims-namespace": {"hasura"}, "hasura-claims-namespace-path": {"$"}}, env: with(),
			errHas: []string{"--hasura-claims-namespace or --hasura-claims-namespace-path, not both"}},
		{name: "path with a trailing dot", env: with("HASURA_CLAIMS_NAMESPACE_PATH", "$.hasura."),
			errHas: []string{"HASURA_CLAIMS_NAMESPACE_PATH (environment): not a JSON path Hasura accepts", "$.hasura.. Accept letters"}},
		{name: "a URL as the path", flags: map[string][]string{"hasura-claims-namespace-path": {"https://example.com/claims"}}, env: with(),
			errHas: []string{"--hasura-claims-namespace-path: not a JSON path", `$["https://example.com/claims"]`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := load(t, tc.flags, tc.env, nil)
			if len(tc.errHas) > 0 {
				var ce *Error
				if err == nil || !errors.As(err, &ce) {
					t.Fatalf("want a config error (exit 2), got %v", err)
				}
				for _, want := range tc.errHas {
					if !strings.Contains(err.Error(), want) {
						t.Errorf("message %q lacks %q", err, want)
					}
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			at := c.HasuraClaims
			if tc.wantP != "" {
				if !at.ByPath || at.Path.String() != tc.wantP {
					t.Fatalf("path %v %q, want %q", at.ByPath, at.Path, tc.wantP)
				}
				return
			}
			if at.ByPath || at.Namespace != tc.wantNS || at.Path != nil {
				t.Fatalf("got %+v, want namespace %q", at, tc.wantNS)
			}
		})
	}
}
