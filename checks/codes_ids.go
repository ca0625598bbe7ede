package checks

// Codes produced by the checks of this package (token contents, GraphQL and
// the runner). Transport, realm and grant codes are in package keycloak.
const (
	CodeTokenInvalid       = "TOKEN_INVALID"
	CodeMissingRole        = "MISSING_ROLE"
	CodeRolesNotInToken    = "ROLES_NOT_IN_TOKEN"
	CodeClockSkew          = "CLOCK_SKEW"
	CodeGraphQLUnreachable = "GRAPHQL_UNREACHABLE"
	CodeGraphQLRejected    = "GRAPHQL_TOKEN_REJECTED"
	CodeGraphQLClaims      = "GRAPHQL_CLAIMS_MISSING"
	CodeGraphQLDenied      = "GRAPHQL_ACCESS_DENIED"
	CodeGraphQLField       = "GRAPHQL_FIELD_NOT_FOUND"
	CodeGraphQLNoIntrospec = "GRAPHQL_INTROSPECTION_UNAVAILABLE"
	CodeNotGraphQL         = "NOT_GRAPHQL"
	CodeTimeout            = "TIMEOUT"
)

// checkCodes lists every code above, for the registry's completeness test.
var checkCodes = []string{
	CodeTokenInvalid, CodeMissingRole, CodeRolesNotInToken, CodeClockSkew,
	CodeGraphQLUnreachable, CodeGraphQLRejected, CodeGraphQLClaims, CodeGraphQLDenied,
	CodeGraphQLField, CodeGraphQLNoIntrospec, CodeNotGraphQL, CodeTimeout,
}
