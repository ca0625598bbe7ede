package codes

import (
	"regexp"
	"strings"
)

// The placeholders a code's Command, Console and Fix may use. A run fills
// them in with its own values (checks.fillFix); `authdoctor explain` and
// the code pages show them as they are. A secret never has a placeholder
// that a run fills: <password> and <client-secret> stay as written.
const (
	PhKeycloakURL = "$KEYCLOAK_URL"         // the Keycloak base URL, with /auth if it has one
	PhGraphQLURL  = "$GRAPHQL_URL"          // the GraphQL endpoint
	PhGraphQLBase = "https://<hasura-host>" // scheme://host[:port] of the GraphQL endpoint
	PhRealm       = "tenant-<id>"           // the realm (whatever its name; tenant-<TENANT_ID> by default)
	PhTenantID    = "<TENANT_ID>"
	PhClient      = "<client>" // the client id
	PhUser        = "<user>"   // the username, or service-account-<client> for client_credentials
	PhAdmin       = "<admin>"  // the admin username, when admin access was given
	PhRole        = "<role>"   // each required role the token lacks (one command per role)
	PhHasuraRole  = "<hasura-role>"
	PhURL         = "<url>"  // the URL the finding is about: Keycloak's realm URL, or the GraphQL URL
	PhHost        = "<host>" // the host (and next, port) the TLS finding is about
	PhPort        = "<port>"
	PhClientUUID  = "<client-uuid>" // looked up: $CID
	PhUserID      = "<user-id>"     // looked up: $USER_ID
	PhSeconds     = "<seconds>"     // a session lifespan longer than the job (--job-duration)
)

// Lookups: an id a person does not know is found by a command that sets a
// shell variable, and the commands use the variable.
const (
	clientLookup = `CID=$(kcadm.sh get clients -r tenant-<id> -q clientId=<client> --fields id --format csv --noquotes)`
	userLookup   = `USER_ID=$(kcadm.sh get users -r tenant-<id> -q username=<user> -q exact=true --fields id --format csv --noquotes)`
	// KcadmLogin is the line every kcadm.sh session starts with: it asks
	// for the admin's password itself, so none is ever written here.
	KcadmLogin = `kcadm.sh config credentials --server $KEYCLOAK_URL --realm master --user <admin>`
	// TokenRequest gets the access token a curl command sends as $TOKEN.
	// The password stays a placeholder; jq extracts the token.
	TokenRequest = `TOKEN=$(curl -s -d grant_type=password -d client_id=<client> -d username=<user> --data-urlencode 'password=<password>' $KEYCLOAK_URL/realms/tenant-<id>/protocol/openid-connect/token | jq -r .access_token)`
	// TokenRequestClient is TokenRequest for the client_credentials grant.
	TokenRequestClient = `TOKEN=$(curl -s -d grant_type=client_credentials -d client_id=<client> --data-urlencode 'client_secret=<client-secret>' $KEYCLOAK_URL/realms/tenant-<id>/protocol/openid-connect/token | jq -r .access_token)`
)

// CommandLines returns the code's commands in the order a person runs
// them: the kcadm.sh login once, first, when any command is a kcadm.sh
// one; the token request before a command that sends $TOKEN; and a lookup
// before the first command that needs a client's or user's internal id,
// which the commands then take from the variable the lookup sets. Nil when
// the code has no command.
func (c *Code) CommandLines() []string {
	var raw []string
	for _, l := range strings.Split(c.Command, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			raw = append(raw, l)
		}
	}
	if len(raw) == 0 {
		return nil
	}
	var out []string
	have := map[string]bool{}
	add := func(l string) {
		if !have[l] {
			have[l] = true
			out = append(out, l)
		}
	}
	for _, l := range raw {
		if strings.HasPrefix(l, "kcadm.sh config credentials") {
			have["login"] = true
		}
	}
	for _, l := range raw {
		if usesKcadm(l) && !have["login"] {
			have["login"] = true
			add(KcadmLogin)
		}
		if strings.Contains(l, PhClientUUID) {
			add(clientLookup)
			l = strings.ReplaceAll(l, PhClientUUID, "$CID")
		}
		if strings.Contains(l, PhUserID) {
			add(userLookup)
			l = strings.ReplaceAll(l, PhUserID, "$USER_ID")
		}
		if strings.Contains(l, "$TOKEN") && !strings.HasPrefix(l, "TOKEN=") {
			add(TokenRequest)
		}
		add(l)
	}
	return out
}

var kcadmWord = regexp.MustCompile(`(^|[\s(])kcadm\.sh\s`)

func usesKcadm(line string) bool { return kcadmWord.MatchString(line) }

// Steps returns the code's fix steps, without their numbers.
func (c *Code) Steps() []string {
	var out []string
	for _, l := range strings.Split(c.Fix, "\n") {
		l = strings.TrimSpace(stepNumber.ReplaceAllString(l, ""))
		if l != "" {
			out = append(out, l)
		}
	}
	return out
}

var stepNumber = regexp.MustCompile(`^\s*\d+\.\s+`)
