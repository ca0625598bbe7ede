package checks

import (
	"encoding/json"
	"net/http"
	"syscall"
	"testing"

	"github.com/authdoctor/authdoctor/keycloak"
	"github.com/authdoctor/authdoctor/report"
)

func gqlExchange(status int, ctype, body string) (keycloak.Exchange, *gqlAnswer) {
	ex := keycloak.Exchange{Method: "POST", URL: "https://api.example.com/v1/graphql", Status: status,
		Header: http.Header{"Content-Type": {ctype}}, Body: []byte(body)}
	var ans gqlAnswer
	if json.Unmarshal(ex.Body, &ans) != nil || (ans.Data == nil && len(ans.Errors) == 0) {
		return ex, nil
	}
	return ex, &ans
}

func hasuraError(code, msg string) string {
	b, _ := json.Marshal(map[string]any{"errors": []any{map[string]any{"extensions": map[string]string{"path": "$", "code": code}, "message": msg}}})
	return string(b)
}

// Hasura answers 200 for every error (facts §6.1); the messages are §6.2's.
func TestClassifyGraphQL(t *testing.T) {
	tests := []struct {
		name, body string
		status     int
		ctype      string
		want       string
	}{
		{"ok", `{"data":{"__typename":"query_root"}}`, 200, "application/json", ""},
		{"expired", hasuraError("invalid-jwt", "Could not verify JWT: JWTExpired"), 200, "application/json", CodeGraphQLRejected},
		{"bad signature", hasuraError("invalid-jwt", "Could not verify JWT: JWSError JWSInvalidSignature"), 200, "application/json", CodeGraphQLRejected},
		{"unknown key", hasuraError("invalid-jwt", "Could not verify JWT: JWSError NoUsableKeys"), 200, "application/json", CodeGraphQLRejected},
		{"issuer", hasuraError("invalid-jwt", "Could not verify JWT: JWTNotInIssuer"), 200, "application/json", CodeGraphQLRejected},
		{"no header", hasuraError("invalid-headers", "Missing 'Authorization' or 'Cookie' header in JWT authentication mode"), 200, "application/json", CodeGraphQLRejected},
		{"no namespace", hasuraError("jwt-invalid-claims", "claims key: 'https://hasura.io/jwt/claims' not found"), 200, "application/json", CodeGraphQLClaims},
		{"no allowed roles", hasuraError("jwt-missing-role-claims", "JWT claim does not contain x-hasura-allowed-roles"), 200, "application/json", CodeGraphQLClaims},
		{"roles not a list", hasuraError("jwt-invalid-claims", "invalid x-hasura-allowed-roles; should be a list of roles: parsing [] failed, expected Array, but encountered String"), 200, "application/json", CodeGraphQLClaims},
		{"session variable", hasuraError("not-found", `missing session variable: "x-hasura-tenant-id"`), 200, "application/json", CodeGraphQLClaims},
		{"role denied", hasuraError("access-denied", "Your requested role is not in allowed roles"), 200, "application/json", CodeGraphQLDenied},
		{"v1alpha1 status 400", hasuraError("invalid-jwt", "Could not verify JWT: JWTExpired"), 400, "application/json", CodeGraphQLRejected},
		{"other server 401", `{"errors":[{"message":"Unauthorized"}]}`, 401, "application/json", CodeGraphQLRejected},
		{"html page", "<html>nope</html>", 200, "text/html", CodeNotGraphQL},
		{"keycloak json 404", `{"error":"HTTP 404 Not Found"}`, 404, "application/json", CodeNotGraphQL},
		{"gateway down", "", 503, "text/plain", CodeGraphQLUnreachable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := classifyGraphQL(gqlExchange(tt.status, tt.ctype, tt.body))
			got := ""
			if p != nil {
				got = p.Code
				if p.Message == "" {
					t.Error("empty message")
				}
			}
			if got != tt.want {
				t.Fatalf("got %q (%+v), want %q", got, p, tt.want)
			}
		})
	}
	refused := keycloak.Exchange{URL: "https://api.example.com/v1/graphql", Err: &netOpError{syscall.ECONNREFUSED}}
	if p := classifyGraphQL(refused, nil); p == nil || p.Code != CodeGraphQLUnreachable {
		t.Fatalf("refused: %+v", p)
	}
}

type netOpError struct{ err error }

func (e *netOpError) Error() string { return e.err.Error() }
func (e *netOpError) Unwrap() error { return e.err }

func TestCheckFields(t *testing.T) {
	schema := `{"data":{"__schema":{"queryType":{"name":"query_root","fields":[{"name":"sequent_backend_tenant"}]},"mutationType":{"name":"mutation_root","fields":[{"name":"get_upload_url"}]}}}}`
	tests := []struct {
		name     string
		body     string
		required []string
		status   report.Status
		code     string
	}{
		{"visible query and mutation", schema, []string{"sequent_backend_tenant", "get_upload_url"}, report.Pass, ""},
		{"missing", schema, []string{"create_election_event"}, report.Fail, CodeGraphQLField},
		{"introspection refused", hasuraError("validation-failed", "field '__schema' not found in type: 'query_root'"), []string{"get_upload_url"}, report.Warn, CodeGraphQLNoIntrospec},
		{"no schema in answer", `{"data":{}}`, []string{"get_upload_url"}, report.Warn, CodeGraphQLNoIntrospec},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex, ans := gqlExchange(200, "application/json", tt.body)
			r := checkFields(ex, ans, tt.required, "user", "voting-portal", "ok", map[string]any{})
			if r.Status != tt.status || r.Code != tt.code {
				t.Fatalf("got %s %s (%s)", r.Status, r.Code, r.Message)
			}
		})
	}
}
