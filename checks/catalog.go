package checks

import (
	"sort"

	"github.com/authdoctor/authdoctor/checks/codes"
)

// Catalog is the ordered list of checks. Order is the report order; Needs is
// the only thing that orders execution.
func Catalog() []Check {
	return []Check{
		{ID: codes.CheckTLS, Title: "Keycloak (and GraphQL) host reachable over valid TLS", Func: checkTLS},
		{ID: codes.CheckRealm, Title: "Realm exists and publishes its OpenID configuration", Needs: needs(codes.CheckTLS), Func: checkRealm},
		{ID: codes.CheckCredentials, Title: "Credentials accepted: a token is granted", Needs: needs(codes.CheckTLS), Under: needs(codes.CheckRealm), Func: checkCredentials},
		{ID: codes.CheckClock, Title: "Clocks agree: this machine, Keycloak and the GraphQL server", Needs: needs(codes.CheckCredentials), Func: checkClock},
		{ID: codes.CheckRoles, Title: "Access token verifies and carries the required roles", Needs: needs(codes.CheckRealm, codes.CheckCredentials), Func: checkRoles},
		{ID: codes.CheckClaims, Title: "The token carries the claims the GraphQL API needs", Needs: needs(codes.CheckCredentials), When: readsClaims,
			WhenText: "it runs when GRAPHQL_URL (--graphql-url) or TENANT_ID (--tenant-id) is set", Func: checkClaims},
		{ID: codes.CheckGraphQL, Title: "GraphQL API accepts the bearer token", Needs: needs(codes.CheckCredentials), Unset: graphQLUnset, Func: checkGraphQL},
		{ID: codes.CheckRefresh, Title: "Token refresh works", Needs: needs(codes.CheckCredentials), Func: checkRefresh},
		{ID: codes.CheckEvents, Title: "The server's own events can be read (admin access)", Needs: needs(codes.CheckRealm), When: readsEvents,
			WhenText: "it runs only with admin access (--admin-username and --admin-password, --admin-client-secret, or --admin-token) and --events not false", Func: checkEvents},
	}
}

func needs(ids ...codes.CheckID) []codes.CheckID { return ids }

// CatalogFor is the catalogue without the checks that do not belong in a
// run with this configuration.
func CatalogFor(cfg *Config) []Check {
	var out []Check
	for _, c := range Catalog() {
		if c.When == nil || c.When(cfg) {
			out = append(out, c)
		}
	}
	return out
}

// graphQLUnset: without a GraphQL URL the graphql check is a skip that
// says so, which --fail-on skip turns into a failed run (a GRAPHQL_URL
// forgotten in CI).
func graphQLUnset(cfg *Config) string {
	if cfg.GraphQLURL == "" {
		return msgGraphQLUnset
	}
	return ""
}

const msgGraphQLUnset = "GRAPHQL_URL not set: the GraphQL API was not checked (give --graphql-url or GRAPHQL_URL, or --skip graphql)"

// readsClaims: the claims check runs when there is an API that reads the
// claims or a tenant they must name.
func readsClaims(cfg *Config) bool { return cfg.GraphQLURL != "" || cfg.TenantID != "" }

// readsEvents: the events check runs when admin access is given and the
// events are not switched off.
func readsEvents(cfg *Config) bool { return cfg.Admin.IsSet() && cfg.Events }

// Codes returns every code in report order: by check in catalogue order,
// then the codes of no single check (a request left unanswered, the run's
// deadline).
func Codes() []*codes.Code {
	rank := map[codes.CheckID]int{codes.CheckAny: 100, codes.CheckRunner: 101}
	for i, c := range Catalog() {
		rank[c.ID] = i
	}
	all := codes.All()
	sort.SliceStable(all, func(i, j int) bool { return rank[all[i].Check] < rank[all[j].Check] })
	return all
}
