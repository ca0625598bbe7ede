package config

import "strings"

// Kind is how a setting's text is read.
type Kind int

// Setting kinds.
const (
	KindString Kind = iota
	KindList        // repeatable flag; comma-separated in the environment
	KindBool
	KindDuration
)

// Group is what a setting is for; --help, the man page and the completion
// list the flags by group, in the order of Groups.
type Group string

// Setting groups.
const (
	GroupTarget      Group = "target"      // where Keycloak is, which realm
	GroupCredentials Group = "credentials" // the client and user under test, and what the token must carry
	GroupGraphQL     Group = "graphql"     // the GraphQL API behind Keycloak
	GroupTLS         Group = "tls"         // TLS and the connection
	GroupOutput      Group = "output"      // what is written, where, and what is scrubbed from it
	GroupAdmin       Group = "admin"       // admin access: events and role mappings
	GroupRun         Group = "run"         // which checks run, and what fails the run
)

// Groups returns every group in the order of --help.
func Groups() []Group {
	return []Group{GroupTarget, GroupCredentials, GroupGraphQL, GroupTLS, GroupOutput, GroupRun, GroupAdmin}
}

// Setting describes one input of `authdoctor check`. The one table below
// drives the flags, the environment and .env lookups, the help, the man
// page, the shell completion, the README and the report's "where did this
// value come from" section, so they cannot drift.
type Setting struct {
	Name    string // flag name, e.g. "client-secret"
	Alias   string // short flag, e.g. "o"
	EnvVar  string // e.g. "CLIENT_SECRET"
	Kind    Kind
	Default string
	Secret  bool // never printed; scrubbed from all output
	Group   Group
	// Placeholder names the value in help, e.g. HOST:PORT:ADDRESS; empty:
	// derived from the name and kind (URL, ID, FILE, DURATION, ...).
	Placeholder string
	Usage       string
}

// ValueName names the setting's value in help: its Placeholder, or the last
// part of its name (keycloak-url: URL, client-id: ID), DURATION for a
// duration; "" for a switch.
func (s Setting) ValueName() string {
	switch {
	case s.Placeholder != "":
		return s.Placeholder
	case s.Kind == KindBool:
		return ""
	case s.Kind == KindDuration:
		return "DURATION"
	}
	return strings.ToUpper(s.Name[strings.LastIndex(s.Name, "-")+1:])
}

// Settings returns the inputs of `authdoctor check`, in the order of --help.
func Settings() []Setting {
	return []Setting{
		{Name: "keycloak-url", EnvVar: "KEYCLOAK_URL", Group: GroupTarget, Usage: "base URL of Keycloak, e.g. https://sso.example.com (legacy servers: …/auth)"},
		{Name: "realm", EnvVar: "KEYCLOAK_REALM", Group: GroupTarget, Usage: "realm name; default tenant-<tenant-id>"},
		{Name: "tenant-id", EnvVar: "TENANT_ID", Group: GroupTarget, Usage: "tenant id; the realm is tenant-<id> unless --realm is given"},
		{Name: "tenants", EnvVar: "AUTHDOCTOR_TENANTS", Group: GroupTarget, Placeholder: "FILE", Usage: "check every tenant of FILE: a tenant id or realm a line, or CSV with columns tenant, realm, client_id, client_secret_env, username, password_env (secrets as names of environment variables, never in the file); a tenant × check matrix"},
		{Name: "parallel", EnvVar: "AUTHDOCTOR_PARALLEL", Default: "16", Group: GroupTarget, Placeholder: "N", Usage: "with --tenants: how many tenants are checked at once"},
		{Name: "client-id", EnvVar: "CLIENT_ID", Group: GroupCredentials, Usage: "OAuth client id, e.g. admin-portal"},
		{Name: "client-secret", EnvVar: "CLIENT_SECRET", Secret: true, Group: GroupCredentials, Usage: "client secret (confidential clients only)"},
		{Name: "username", EnvVar: "USERNAME", Group: GroupCredentials, Usage: "user for the password grant (used only together with a password)"},
		{Name: "password", EnvVar: "PASSWORD", Secret: true, Group: GroupCredentials, Usage: "password for the password grant; without username and password the client-credentials grant is used"},
		{Name: "scope", EnvVar: "KEYCLOAK_SCOPE", Default: "openid", Group: GroupCredentials, Usage: "scope to request"},
		{Name: "graphql-url", EnvVar: "GRAPHQL_URL", Group: GroupGraphQL, Usage: "GraphQL endpoint, e.g. https://api.example.com/v1/graphql; without it the graphql check is skipped"},
		{Name: "hasura-role", EnvVar: "HASURA_ROLE", Group: GroupGraphQL, Usage: "send x-hasura-role with this role (default: the token's default role)"},
		{Name: "hasura-claims-namespace", EnvVar: "HASURA_CLAIMS_NAMESPACE", Default: "https://hasura.io/jwt/claims", Group: GroupGraphQL, Placeholder: "KEY", Usage: "the claims_namespace of HASURA_GRAPHQL_JWT_SECRET: the token key holding the Hasura claims"},
		{Name: "hasura-claims-namespace-path", EnvVar: "HASURA_CLAIMS_NAMESPACE_PATH", Group: GroupGraphQL, Placeholder: "JSONPATH", Usage: "the claims_namespace_path of HASURA_GRAPHQL_JWT_SECRET, e.g. $.hasura.claims or $ (the token's top level); instead of --hasura-claims-namespace"},
		{Name: "require-role", EnvVar: "AUTHDOCTOR_REQUIRE_ROLES", Kind: KindList, Group: GroupCredentials, Usage: "realm role, or client:role, the access token must carry (repeatable)"},
		{Name: "require-field", EnvVar: "AUTHDOCTOR_REQUIRE_FIELDS", Kind: KindList, Group: GroupGraphQL, Usage: "GraphQL root field (query or mutation) the token's role must see (repeatable)"},
		{Name: "job-duration", EnvVar: "JOB_DURATION", Kind: KindDuration, Group: GroupCredentials, Usage: "length of the job that uses the token, e.g. 2h: fail when the session cannot keep access that long by refreshing (JOB_OUTLIVES_SESSION)"},
		{Name: "ca-file", EnvVar: "AUTHDOCTOR_CA_FILE", Group: GroupTLS, Usage: "PEM bundle trusted in addition to the system roots"},
		{Name: "insecure-skip-tls-verify", EnvVar: "AUTHDOCTOR_INSECURE_SKIP_TLS_VERIFY", Kind: KindBool, Default: "false", Group: GroupTLS, Usage: "do not verify TLS certificates (reported as a warning)"},
		{Name: "allow-plain-http", EnvVar: "AUTHDOCTOR_ALLOW_PLAIN_HTTP", Kind: KindBool, Default: "false", Group: GroupTLS, Usage: "allow sending secrets over http:// to a host that is not this machine"},
		{Name: "resolve", EnvVar: "AUTHDOCTOR_RESOLVE", Kind: KindList, Group: GroupTLS, Placeholder: "HOST:PORT:ADDRESS", Usage: "HOST:PORT:ADDRESS: connect to ADDRESS for HOST:PORT, like curl --resolve (repeatable)"},
		{Name: "secret", EnvVar: "AUTHDOCTOR_SECRETS", Kind: KindList, Group: GroupOutput, Placeholder: "NAME", Usage: "NAME of an environment variable whose value is a secret to scrub from all output (repeatable)"},
		{Name: "env-file", EnvVar: "AUTHDOCTOR_ENV_FILE", Group: GroupTarget, Usage: "read variables from this .env file (default: ./.env when present)"},
		{Name: "admin-username", EnvVar: "KEYCLOAK_ADMIN_USERNAME", Group: GroupAdmin, Usage: "admin user for reading the server's events and role mappings (admin API); not the user under test"},
		{Name: "admin-password", EnvVar: "KEYCLOAK_ADMIN_PASSWORD", Secret: true, Group: GroupAdmin, Usage: "password of --admin-username"},
		{Name: "admin-client-id", EnvVar: "KEYCLOAK_ADMIN_CLIENT_ID", Default: "admin-cli", Group: GroupAdmin, Usage: "client of the admin login; with --admin-client-secret, a service account with realm-management roles"},
		{Name: "admin-client-secret", EnvVar: "KEYCLOAK_ADMIN_CLIENT_SECRET", Secret: true, Group: GroupAdmin, Usage: "secret of --admin-client-id (service-account admin access)"},
		{Name: "admin-realm", EnvVar: "KEYCLOAK_ADMIN_REALM", Default: "master", Group: GroupAdmin, Usage: "realm of the admin login"},
		{Name: "admin-token", EnvVar: "KEYCLOAK_ADMIN_TOKEN", Secret: true, Group: GroupAdmin, Usage: "a ready admin access token instead of an admin login"},
		{Name: "events", EnvVar: "AUTHDOCTOR_EVENTS", Kind: KindBool, Group: GroupAdmin, Usage: "read the server's LOGIN_ERROR events to name the real cause of a failed login (default: on when admin access is given)"},
		{Name: "output", Alias: "o", EnvVar: "AUTHDOCTOR_OUTPUT", Default: "table", Group: GroupOutput, Placeholder: "FORMAT", Usage: "output format: table, json, markdown, junit, short"},
		{Name: "report", EnvVar: "AUTHDOCTOR_REPORTS", Kind: KindList, Group: GroupOutput, Placeholder: "FILE", Usage: "also write the report to FILE, format by extension: .json, .md, .xml, .txt (repeatable)"},
		{Name: "timeout", EnvVar: "AUTHDOCTOR_TIMEOUT", Kind: KindDuration, Default: "30s", Group: GroupTLS, Usage: "deadline for the whole run"},
		{Name: "verbose", Alias: "v", EnvVar: "AUTHDOCTOR_VERBOSE", Kind: KindBool, Default: "false", Group: GroupOutput, Usage: "write every HTTP exchange (redacted) and a curl command to replay it to stderr"},
		{Name: "no-color", EnvVar: "NO_COLOR", Kind: KindBool, Default: "false", Group: GroupOutput, Usage: "no colour (colour is only used on a terminal anyway)"},
		{Name: "strict", EnvVar: "AUTHDOCTOR_STRICT", Kind: KindBool, Default: "false", Group: GroupRun, Usage: "a warning or a skipped check fails the run (exit 1), as --fail-on=warn,skip: in CI, skipped is not passed"},
		{Name: "fail-on", EnvVar: "AUTHDOCTOR_FAIL_ON", Kind: KindList, Group: GroupRun, Placeholder: "STATUS", Usage: "also fail the run (exit 1) on this status besides a failure: warn, skip (repeatable)"},
		{Name: "only", EnvVar: "AUTHDOCTOR_ONLY", Kind: KindList, Group: GroupRun, Placeholder: "CHECK", Usage: "run only this check and the checks it needs, which are reported too (repeatable): tls, realm, credentials, ..."},
		{Name: "skip", EnvVar: "AUTHDOCTOR_SKIP", Kind: KindList, Group: GroupRun, Placeholder: "CHECK", Usage: "leave this check out (repeatable); checks that need it are skipped naming --skip"},
	}
}
