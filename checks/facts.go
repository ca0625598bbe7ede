package checks

import (
	"time"

	"github.com/authdoctor/authdoctor/internal/httpx"
	"github.com/authdoctor/authdoctor/keycloak"
)

// Facts is what the checks of one diagnosis share: its input and
// collaborators, and what each check found for the checks after it. Each
// fact is written by exactly one check and read only by checks that Need
// it, so the runner's ordering makes every access race-free without locks.
type Facts struct {
	Config    *Config
	Transport *httpx.Transport
	Keycloak  *keycloak.Client
	Now       func() time.Time

	// GraphQLTLS is the GraphQL host's TLS failure, if any. Written by tls.
	GraphQLTLS *httpx.Problem
	// Realm is the realm's public info and discovery document. Written by realm.
	Realm *keycloak.RealmInfo
	// Tokens is the granted token set. Written by credentials.
	Tokens *keycloak.Tokens
}
