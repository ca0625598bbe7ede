package checks

// Check ids. They are part of the product (JSON, JUnit, CI scripts) and never change.
const (
	IDTLS         = "tls"
	IDRealm       = "realm"
	IDCredentials = "credentials"
	IDRoles       = "roles"
	IDGraphQL     = "graphql"
	IDRefresh     = "refresh"
)

// Catalog is the ordered list of checks. Order is the report order; Needs is
// the only thing that orders execution.
func Catalog() []Check {
	return []Check{
		{ID: IDTLS, Title: "Keycloak (and GraphQL) host reachable over valid TLS", Run: checkTLS},
		{ID: IDRealm, Title: "Realm exists and publishes its OpenID configuration", Needs: []string{IDTLS}, Run: checkRealm},
		{ID: IDCredentials, Title: "Credentials accepted: a token is granted", Needs: []string{IDRealm}, Run: checkCredentials},
		{ID: IDRoles, Title: "Access token verifies and carries the required roles", Needs: []string{IDCredentials}, Run: checkRoles},
		{ID: IDGraphQL, Title: "GraphQL API accepts the bearer token", Needs: []string{IDCredentials}, Run: checkGraphQL},
		{ID: IDRefresh, Title: "Token refresh works", Needs: []string{IDCredentials}, Run: checkRefresh},
	}
}
