package graphql

import (
	"encoding/json"
	"net/http"
	"syscall"
	"testing"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/internal/httpx"
)

func gqlExchange(status int, ctype, body string) (httpx.Exchange, *Answer) {
	ex := httpx.Exchange{Method: "POST", URL: "https://api.example.com/v1/graphql", Status: status,
		Header: http.Header{"Content-Type": {ctype}}, Body: []byte(body)}
	var ans Answer
	if json.Unmarshal(ex.Body, &ans) != nil || (ans.Data == nil && len(ans.Errors) == 0) {
		return ex, nil
	}
	return ex, &ans
}

func hasuraError(code, msg string) string {
	b, _ := json.Marshal(map[string]any{"errors": []any{map[string]any{"extensions": map[string]string{"path": "$", "code": code}, "message": msg}}})
	return string(b)
}

// Hasura answers 200 for every error; the messages are those of Hasura's
// server/src-lib/Hasura/Server/Auth/JWT.hs and the fixtures' Hasura emulator.
func TestClassifyGraphQL(t *testing.T) {
	tests := []struct {
		name, body string
		status     int
		ctype      string
		want       *codes.Code
	}{
		{"ok", `{"data":{"__typename":"query_root"}}`, 200, "application/json", nil},
		{"expired", hasuraError("invalid-jwt", "Could not verify JWT: JWTExpired"), 200, "application/json", codes.GraphQLRejected},
		{"bad signature", hasuraError("invalid-jwt", "Could not verify JWT: JWSError JWSInvalidSignature"), 200, "application/json", codes.GraphQLRejected},
		{"unknown key", hasuraError("invalid-jwt", "Could not verify JWT: JWSError NoUsableKeys"), 200, "application/json", codes.GraphQLRejected},
		{"issuer", hasuraError("invalid-jwt", "Could not verify JWT: JWTNotInIssuer"), 200, "application/json", codes.GraphQLRejected},
		{"no header", hasuraError("invalid-headers", "Missing 'Authorization' or 'Cookie' header in JWT authentication mode"), 200, "application/json", codes.GraphQLRejected},
		{"no namespace", hasuraError("jwt-invalid-claims", "claims key: 'https://hasura.io/jwt/claims' not found"), 200, "application/json", codes.GraphQLClaims},
		{"no allowed roles", hasuraError("jwt-missing-role-claims", "JWT claim does not contain x-hasura-allowed-roles"), 200, "application/json", codes.GraphQLClaims},
		{"roles not a list", hasuraError("jwt-invalid-claims", "invalid x-hasura-allowed-roles; should be a list of roles: parsing [] failed, expected Array, but encountered String"), 200, "application/json", codes.GraphQLClaims},
		{"session variable", hasuraError("not-found", `missing session variable: "x-hasura-tenant-id"`), 200, "application/json", codes.GraphQLClaims},
		{"role denied", hasuraError("access-denied", "Your requested role is not in allowed roles"), 200, "application/json", codes.GraphQLDenied},
		{"v1alpha1 status 400", hasuraError("invalid-jwt", "Could not verify JWT: JWTExpired"), 400, "application/json", codes.GraphQLRejected},
		{"other server 401", `{"errors":[{"message":"Unauthorized"}]}`, 401, "application/json", codes.GraphQLRejected},
		{"html page", "<html>nope</html>", 200, "text/html", codes.NotGraphQL},
		{"keycloak json 404", `{"error":"HTTP 404 Not Found"}`, 404, "application/json", codes.NotGraphQL},
		{"gateway down", "", 503, "text/plain", codes.GraphQLUnreachable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Classify(gqlExchange(tt.status, tt.ctype, tt.body))
			var got *codes.Code
			if p != nil {
				got = p.Code
				if p.Message == "" {
					t.Error("empty message")
				}
			}
			if got != tt.want {
				t.Fatalf("got %v (%+v), want %v", got, p, tt.want)
			}
		})
	}
	refused := httpx.Exchange{URL: "https://api.example.com/v1/graphql", Err: &netOpError{syscall.ECONNREFUSED}}
	if p := Classify(refused, nil); p == nil || p.Code != codes.GraphQLUnreachable {
		t.Fatalf("refused: %+v", p)
	}
}

type netOpError struct{ err error }

func (e *netOpError) Error() string { return e.err.Error() }
func (e *netOpError) Unwrap() error { return e.err }

func TestRootFields(t *testing.T) {
	_, ans := gqlExchange(200, "application/json", `{"data":{"__schema":{"queryType":{"name":"query_root","fields":[{"name":"a"}]},"mutationType":{"name":"mutation_root","fields":[{"name":"b"}]}}}}`)
	fields, ok := ans.RootFields()
	if !ok || !fields["a"] || !fields["b"] || len(fields) != 2 {
		t.Fatalf("got %v, %v", fields, ok)
	}
	_, ans = gqlExchange(200, "application/json", `{"data":{"__schema":{"queryType":{"name":"query_root","fields":[]}}}}`)
	if fields, ok := ans.RootFields(); !ok || len(fields) != 0 {
		t.Fatalf("no mutation type: got %v, %v", fields, ok)
	}
	_, ans = gqlExchange(200, "application/json", `{"data":{}}`)
	if _, ok := ans.RootFields(); ok {
		t.Fatal("an answer without __schema.queryType must not be ok")
	}
}

func TestTypename(t *testing.T) {
	_, ans := gqlExchange(200, "application/json", `{"data":{"__typename":"query_root"}}`)
	if got := ans.Typename(); got != "query_root" {
		t.Fatalf("got %q", got)
	}
	_, ans = gqlExchange(200, "application/json", `{"data":{"x":1}}`)
	if got := ans.Typename(); got != "" {
		t.Fatalf("got %q", got)
	}
}
