package graphql

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/internal/httpx"
)

// hasuraHints explain Hasura's invalid-jwt and claims messages (Hasura's
// server/src-lib/Hasura/Server/Auth/JWT.hs and its JWT authentication docs),
// matched by substring because Hasura prefixes them ("Could not verify JWT: …").
var hasuraHints = []struct{ contains, hint string }{
	{"JWTExpired", "The GraphQL server finds the token expired: compare its clock with Keycloak's, or check that the token is used within expires_in."},
	{"JWTIssuedAtFuture", "The GraphQL server finds the token issued in the future: its clock is behind Keycloak's (Hasura allows no skew unless allowed_skew is set in HASURA_GRAPHQL_JWT_SECRET)."},
	{"JWTNotYetValid", "The GraphQL server finds the token not valid yet (nbf): its clock is behind Keycloak's."},
	{"JWSInvalidSignature", "The token's signature does not match the key the GraphQL server has for its key id: the server trusts another Keycloak or an outdated copy of the realm's keys."},
	{"NoUsableKeys", "The realm's signing key is not in the key set the GraphQL server trusts (HASURA_GRAPHQL_JWT_SECRET jwk_url): a token from another realm or tenant, or a rotated key the server has not fetched yet."},
	{"JWTNotInIssuer", "The token's iss differs from the issuer the GraphQL server expects: use the public Keycloak URL it is configured with (internal and public hostnames differ)."},
	{"JWTNotInAudience", "The token's aud does not contain the audience the GraphQL server expects: add an audience mapper to the client in Keycloak."},
	{"CompactDecodeError", "The bearer value is not a JWT."},
	{"Missing 'Authorization'", "No Authorization header reached the GraphQL server: a proxy in between may strip it."},
	{"Malformed Authorization header", "Send exactly \"Authorization: Bearer <token>\"."},
	{"claims key", "The token has no Hasura claims: log in through a client with the Hasura claim mappers (for administrative work, admin-portal)."},
	{"claims not found", "The token has no Hasura claims at the configured claims_namespace_path."},
	{"should be a list", "The x-hasura-allowed-roles mapper is not multivalued: turn on Multivalued in the client's mapper so the claim is a JSON list."},
	{"x-hasura-allowed-roles", "The token lacks x-hasura-allowed-roles: the client's Hasura claim mappers are missing."},
	{"x-hasura-default-role", "The token lacks x-hasura-default-role: the client's Hasura claim mappers are missing."},
	{"missing session variable", "A permission needs a session variable the token does not carry, e.g. x-hasura-tenant-id from the user attribute tenant-id: set the attribute on the user."},
}

func hasuraHint(msg string) string {
	for _, h := range hasuraHints {
		if strings.Contains(msg, h.contains) {
			return h.hint
		}
	}
	return ""
}

// Classify names the failure of a GraphQL answer. Hasura answers 200
// even for authentication errors, so the body decides, not the status.
func Classify(ex httpx.Exchange, ans *Answer) *httpx.Problem {
	return classify(ex, ans).Scrubbed(ex.Secrets)
}

func classify(ex httpx.Exchange, ans *Answer) *httpx.Problem {
	if ex.Err != nil {
		p := httpx.ClassifyExchange(ex)
		if p.Code == codes.AnswerTimeout {
			return p // it was reached; it did not answer
		}
		return &httpx.Problem{Code: codes.GraphQLUnreachable, Message: p.Message, Hint: p.Hint, Details: p.Details}
	}
	if ans == nil {
		// 501 Not Implemented: a server that does not take POST here is not
		// a GraphQL endpoint; the other 5xx are a GraphQL server in trouble.
		if ex.Status >= 500 && ex.Status != http.StatusNotImplemented {
			return &httpx.Problem{Code: codes.GraphQLUnreachable, Message: fmt.Sprintf("%s answered %d %s", ex.URL, ex.Status, http.StatusText(ex.Status))}
		}
		return &httpx.Problem{Code: codes.NotGraphQL, Message: fmt.Sprintf("%s answered %d %s with %s, not a GraphQL response", ex.URL, ex.Status, http.StatusText(ex.Status), orNone(ex.ContentType())),
			Details: map[string]any{"status": ex.Status}}
	}
	if len(ans.Errors) == 0 {
		return nil
	}
	e := ans.Errors[0]
	code := e.Extensions.Code
	quoted := fmt.Sprintf("the GraphQL server answered %d with %s: %q", ex.Status, orNone(code), e.Message)
	details := map[string]any{"status": ex.Status, "graphql_code": code, "graphql_message": e.Message}
	p := &httpx.Problem{Message: quoted, Hint: hasuraHint(e.Message), Details: details}
	// The conditions are statements, not switch cases: gremlins cannot
	// mutate a case's condition (docs/mutation-testing.md).
	rejected := code == "invalid-jwt" || code == "invalid-headers" || ex.Status == http.StatusUnauthorized
	claims := code == "jwt-invalid-claims" || code == "jwt-missing-role-claims" || strings.Contains(e.Message, "missing session variable")
	switch {
	case rejected:
		p.Code = codes.GraphQLRejected
	case claims:
		p.Code = codes.GraphQLClaims
	default:
		p.Code = codes.GraphQLDenied
	}
	return p
}

func orNone(s string) string {
	if s == "" {
		return "no code"
	}
	return s
}
