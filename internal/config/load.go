package config

import (
	"strings"
	"time"

	"github.com/authdoctor/authdoctor/checks"
	"github.com/authdoctor/authdoctor/internal/httpx"
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
	c := &checks.Config{TenantID: r.str("tenant-id"), HasuraRole: r.str("hasura-role"), Output: r.str("output"), Reports: r.list("report")}
	for _, step := range []func(resolved, *checks.Config) error{
		target, credentials, graphQL, requirements, switches, connection, extraSecrets, adminAccess,
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
	c.Realm, err = realmName(r.label("realm"), r.str("realm"), r.label("tenant-id"), c.TenantID)
	c.RealmFromTenant = r.str("realm") == ""
	return err
}

// credentials: the client, and the user when both username and password
// are given (otherwise the client-credentials grant is used).
func credentials(r resolved, c *checks.Config) error {
	c.Credentials = keycloak.Credentials{ClientID: r.str("client-id"), ClientSecret: redact.Secret(r.str("client-secret")), Scope: r.str("scope")}
	if c.Credentials.ClientID == "" {
		return errorf("no client id: pass --client-id (e.g. admin-portal) or set CLIENT_ID")
	}
	password, username := r.str("password"), r.str("username")
	switch {
	case password != "" && username == "":
		return errorf("a password is set but no username: pass --username or set USERNAME")
	case password != "":
		c.Credentials.Username, c.Credentials.Password = username, redact.Secret(password)
	case username != "" && r.values["username"].source != SourceFlag:
		// USERNAME is set by some operating systems for the login user:
		// without a password it is not an authdoctor setting.
		c.IgnoredUsername = username
	case username != "":
		return errorf("--username is given but no password: pass --password or set PASSWORD (without both, the client-credentials grant is used)")
	}
	return nil
}

func graphQL(r resolved, c *checks.Config) (err error) {
	if c.GraphQLURL, err = parseBaseURL(r.label("graphql-url"), r.str("graphql-url"), false); err != nil {
		return err
	}
	return validHasuraRole(r.label("hasura-role"), c.HasuraRole)
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
