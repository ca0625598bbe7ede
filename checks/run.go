package checks

import (
	"time"

	"github.com/authdoctor/authdoctor/keycloak"
)

// Run is the shared state of one diagnosis. The facts below are each written
// by exactly one check and read only by checks that Need it, so the runner's
// ordering makes every access race-free without locks.
type Run struct {
	Config    *Config
	Transport *keycloak.Transport
	Keycloak  *keycloak.Client
	Now       func() time.Time

	// Written by "tls".
	graphqlTLS *keycloak.Problem // the GraphQL host's TLS failure, if any
	// Written by "realm".
	realm *keycloak.RealmInfo
	// Written by "credentials".
	tokens *keycloak.Tokens
}
