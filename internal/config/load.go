package config

import (
	"fmt"
	"strings"
	"time"

	"github.com/authdoctor/authdoctor/checks"
	"github.com/authdoctor/authdoctor/internal/httpx"
	"github.com/authdoctor/authdoctor/internal/jsonpath"
	"github.com/authdoctor/authdoctor/internal/redact"
	"github.com/authdoctor/authdoctor/keycloak"
	"github.com/authdoctor/authdoctor/report"
)

// Load resolves and validates every setting. readFile reads --ca-file.
// The first problem found is returned, in the order of the steps below.
func Load(src Sources, readFile func(string) ([]byte, error)) (*checks.Config, error) {
	r := resolve(src)
	if err := r.checkLists(); err != nil {
		return nil, err
	}
	if err := missing(r, requiredKeycloakURL, requiredRealm, requiredClientID, credentialsProblem); err != nil {
		return nil, err
	}
	c := &checks.Config{TenantID: r.str("tenant-id"), HasuraRole: r.str("hasura-role"), Output: r.str("output"), Reports: r.list("report")}
	for _, step := range []func(resolved, *checks.Config) error{
		target, credentials, graphQL, requirements, switches, connection, extraSecrets, adminAccess, tenantsFile, runPolicy,
	} {
		if err := step(r, c); err != nil {
			return nil, err
		}
	}
	if path := r.str("ca-file"); path != "" {
		var err error
		if c.RootCAs, err = loadCAFile(r.label("ca-file"), path, readFile); err != nil {
			return nil, err
		}
	}
	c.Settings = r.reportSettings(c)
	return c, nil
}

// Timeout is the run's --timeout as the sources give it so far, before
// validation: the CLI bounds the reading of the .env and --ca-file with it,
// as the run's clock starts before any file is read. A missing or invalid
// value gives the default (Load reports an invalid one).
func Timeout(src Sources) time.Duration {
	if d, err := time.ParseDuration(resolve(src).str("timeout")); err == nil && d > 0 {
		return d
	}
	for _, st := range Settings() {
		if st.Name == "timeout" {
			if d, err := time.ParseDuration(st.Default); err == nil {
				return d
			}
		}
	}
	return 30 * time.Second
}

// target: Keycloak's base URL and the realm.
func target(r resolved, c *checks.Config) (err error) {
	if c.KeycloakURL, err = parseBaseURL(r.label("keycloak-url"), r.str("keycloak-url"), true); err != nil {
		return err
	}
	if r.str("tenants") != "" {
		return nil // each tenant's realm comes from the --tenants file
	}
	c.Realm, err = realmName(r.label("realm"), r.str("realm"), r.label("tenant-id"), c.TenantID)
	c.RealmFromTenant = r.str("realm") == ""
	return err
}

// credentials: the client, and the user when both username and password
// are given (otherwise the client-credentials grant is used). missing has
// refused an incomplete pair before.
func credentials(r resolved, c *checks.Config) error {
	c.Credentials = keycloak.Credentials{ClientID: r.str("client-id"), ClientSecret: redact.Secret(r.str("client-secret")), Scope: r.str("scope")}
	if c.Credentials.ClientID == "" && r.str("tenants") == "" {
		return &Error{Msg: msgNoClientID}
	}
	if problem := credentialsProblem(r); problem != "" {
		return errorf("%s", problem)
	}
	password, username := r.str("password"), r.str("username")
	switch {
	case password != "":
		c.Credentials.Username, c.Credentials.Password = username, redact.Secret(password)
	case username != "":
		// USERNAME is set by some operating systems for the login user:
		// without any PASSWORD variable it is not an authdoctor setting.
		c.IgnoredUsername = username
	}
	return nil
}

// credentialsProblem says what is wrong with the username and password, if
// anything. The rules, in order:
//   - a password without a username: refused (whose password?);
//   - a username (from any source) with a PASSWORD that is given, as a
//     flag or a variable of the environment or the .env file, but is empty
//     or only white space: refused as such, a configuration finding, never
//     the client-credentials grant (whose failure would blame Keycloak);
//   - --username without any password: refused;
//   - USERNAME from the environment or .env without any PASSWORD variable:
//     ignored (operating systems set USERNAME for the login user), and the
//     client-credentials grant is used.
func credentialsProblem(r resolved) string {
	password, username := r.str("password"), r.str("username")
	passwordLabel, passwordGiven := r.given("password")
	switch {
	case password != "" && username == "":
		return "a password is set but no username: pass --username or set USERNAME"
	case password != "":
		return ""
	case username != "" && passwordGiven:
		return fmt.Sprintf("%s is empty (or only white space) while %s is set: give the user's password, or remove both for the client-credentials grant", passwordLabel, r.label("username"))
	case username != "" && r.values["username"].source == SourceFlag:
		return "--username is given but no password: pass --password or set PASSWORD (without both, the client-credentials grant is used)"
	}
	return ""
}

// A requirement is a setting (or a choice of settings) a command cannot run
// without: it returns what is missing and where it can come from, as one
// line, or "".
type requirement func(resolved) string

// The messages for a missing setting: also used by the validation steps.
const (
	msgNoKeycloakURL = "no Keycloak URL: pass --keycloak-url https://sso.example.com or set KEYCLOAK_URL"
	msgNoRealm       = "no realm: pass --realm (or KEYCLOAK_REALM), or --tenant-id (or TENANT_ID) for realm tenant-<id>"
	msgNoClientID    = "no client id: pass --client-id (e.g. admin-portal) or set CLIENT_ID"
)

// requiredKeycloakURL: also a URL that is given but unusable, so that the
// message lists it with the missing settings.
func requiredKeycloakURL(r resolved) string {
	if _, err := parseBaseURL(r.label("keycloak-url"), r.str("keycloak-url"), true); err != nil {
		return err.Error()
	}
	return ""
}

func requiredRealm(r resolved) string {
	if r.str("realm") != "" || r.str("tenant-id") != "" || r.str("tenants") != "" {
		return ""
	}
	if strings.Contains(r.str("keycloak-url")+"/", "/realms/") {
		return "" // requiredKeycloakURL's message says which realm to pass
	}
	return msgNoRealm
}

func requiredClientID(r resolved) string {
	if r.str("client-id") == "" && r.str("tenants") == "" { // a --tenants CSV may name each tenant's client
		return msgNoClientID
	}
	return ""
}

// missing says, in one message, every required setting that no source
// gives and where each can come from: a new user fixes them all at once
// instead of one per attempt.
func missing(r resolved, reqs ...requirement) error {
	var lines []string
	for _, req := range reqs {
		if line := req(r); line != "" {
			lines = append(lines, line)
		}
	}
	switch len(lines) {
	case 0:
		return nil
	case 1:
		return &Error{Msg: lines[0]}
	}
	return errorf("%d settings are missing or incomplete; each can be a flag, an environment variable, or a VAR=value line in ./.env (or --env-file):\n  - %s",
		len(lines), strings.Join(lines, "\n  - "))
}

func graphQL(r resolved, c *checks.Config) (err error) {
	if c.GraphQLURL, err = parseBaseURL(r.label("graphql-url"), r.str("graphql-url"), false); err != nil {
		return err
	}
	if err := validHasuraRole(r.label("hasura-role"), c.HasuraRole); err != nil {
		return err
	}
	return hasuraClaimsAt(r, c)
}

// hasuraClaimsAt: where Hasura reads its claims. Like Hasura, which refuses
// claims_namespace together with claims_namespace_path, a namespace given
// next to a path is refused (its default alone is not "given").
func hasuraClaimsAt(r resolved, c *checks.Config) error {
	raw := r.str("hasura-claims-namespace-path")
	if raw == "" {
		c.HasuraClaims = checks.HasuraClaimsAt{Namespace: r.str("hasura-claims-namespace")}
		return nil
	}
	if src := r.values["hasura-claims-namespace"].source; src != SourceDefault && src != SourceUnset {
		return errorf("give either %s or %s, not both: Hasura refuses claims_namespace together with claims_namespace_path", r.label("hasura-claims-namespace"), r.label("hasura-claims-namespace-path"))
	}
	path, err := jsonpath.Parse(raw)
	if err != nil {
		return errorf("%s: not a JSON path Hasura accepts (it answers: invalid JSON path claims_namespace_path error: %v); e.g. $, $.hasura.claims or $[\"https://example.com/claims\"]", r.label("hasura-claims-namespace-path"), err)
	}
	c.HasuraClaims = checks.HasuraClaimsAt{Path: path, ByPath: true}
	return nil
}

// requirements: the roles and GraphQL fields the token must give access to.
func requirements(r resolved, c *checks.Config) (err error) {
	if c.RequireRoles, err = validRoles(r.label("require-role"), r.list("require-role")); err != nil {
		return err
	}
	if c.RequireFields, err = validFields(r.label("require-field"), r.list("require-field")); err != nil {
		return err
	}
	if len(c.RequireFields) > 0 && c.GraphQLURL == "" {
		return errorf("--require-field needs --graphql-url (or GRAPHQL_URL)")
	}
	return jobDuration(r, c)
}

// jobDuration: how long the job that uses the token runs (--job-duration);
// 0 when not given.
func jobDuration(r resolved, c *checks.Config) (err error) {
	raw := r.str("job-duration")
	if raw == "" {
		return nil
	}
	if c.JobDuration, err = time.ParseDuration(raw); err != nil || c.JobDuration <= 0 {
		return errorf("%s %s: want a positive duration such as 2h or 90m", r.label("job-duration"), shown(raw))
	}
	return nil
}

func switches(r resolved, c *checks.Config) (err error) {
	for _, b := range []struct {
		name string
		dst  *bool
	}{{"insecure-skip-tls-verify", &c.Insecure}, {"allow-plain-http", &c.AllowPlainHTTP}, {"verbose", &c.Verbose}, {"no-color", &c.NoColor}} {
		if *b.dst, err = r.boolean(b.name); err != nil {
			return err
		}
	}
	return nil
}

// connection: --resolve, --timeout and the presence of --ca-file.
func connection(r resolved, c *checks.Config) (err error) {
	if c.Resolve, err = httpx.ParseResolve(r.list("resolve")); err != nil {
		return &Error{Msg: err.Error()}
	}
	if c.Timeout, err = time.ParseDuration(r.str("timeout")); err != nil || c.Timeout <= 0 {
		return errorf("%s %s: want a positive duration such as 30s or 2m", r.label("timeout"), shown(r.str("timeout")))
	}
	if r.values["ca-file"].source == SourceFlag && r.str("ca-file") == "" {
		return errorf("--ca-file is empty: give the path of a PEM file")
	}
	return nil
}

// extraSecrets reads the values of the variables named by --secret.
func extraSecrets(r resolved, c *checks.Config) error {
	for _, name := range r.list("secret") {
		v, ok := r.src.Env[name]
		if !ok {
			v, ok = r.src.DotEnv[name]
		}
		if ok {
			c.ExtraSecrets = append(c.ExtraSecrets, redact.Secret(v))
		}
	}
	return nil
}

// reportSettings lists every setting with its source for the reports;
// secrets are listed as set or not, never with their value.
func (r resolved) reportSettings(c *checks.Config) []report.Setting {
	var out []report.Setting
	for _, st := range Settings() {
		v := r.values[st.Name]
		rs := report.Setting{Name: st.Name, EnvVar: st.EnvVar, Source: v.source, Secret: st.Secret}
		if st.Name == "username" && c.IgnoredUsername != "" {
			rs.Source += " (ignored: no password)"
		}
		if !st.Secret {
			rs.Value = strings.Join(v.texts, ",")
		}
		out = append(out, rs)
	}
	return out
}

// adminAccess: the admin credentials that let authdoctor read the server's
// events and role mappings, and whether to read the events (by default,
// whenever admin access is given).
func adminAccess(r resolved, c *checks.Config) error {
	c.Admin = keycloak.AdminCredentials{
		Realm: r.str("admin-realm"), ClientID: r.str("admin-client-id"), ClientSecret: redact.Secret(r.str("admin-client-secret")),
		Username: r.str("admin-username"), Password: redact.Secret(r.str("admin-password")), Token: redact.Secret(r.str("admin-token")),
	}
	switch {
	case c.Admin.Username != "" && !c.Admin.Password.IsSet():
		return errorf("%s is set but no admin password: pass --admin-password or set KEYCLOAK_ADMIN_PASSWORD", r.label("admin-username"))
	case c.Admin.Password.IsSet() && c.Admin.Username == "":
		return errorf("an admin password is set but no admin username: pass --admin-username or set KEYCLOAK_ADMIN_USERNAME")
	case c.Admin.Token.IsSet() && (c.Admin.Password.IsSet() || c.Admin.ClientSecret.IsSet()):
		return errorf("give either --admin-token or admin credentials (--admin-username/--admin-password or --admin-client-secret), not both")
	}
	if c.Admin.Realm != "" && strings.ContainsAny(c.Admin.Realm, realmNameUnsafe) {
		return errorf("%s %s: a realm name with any of %s cannot be used in a URL", r.label("admin-realm"), shown(c.Admin.Realm), realmNameUnsafe)
	}
	events, err := r.boolean("events")
	if err != nil {
		return err
	}
	explicit := r.values["events"].source == SourceFlag || r.values["events"].source == SourceEnv || r.values["events"].source == SourceDotEnv
	switch {
	case explicit && events && !c.Admin.IsSet():
		return errorf("%s needs admin access to read events: give --admin-username and --admin-password (or --admin-client-secret, or --admin-token)", r.label("events"))
	case explicit:
		c.Events = events
	default:
		c.Events = c.Admin.IsSet()
	}
	return nil
}
