package checks

import (
	"crypto/x509"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/authdoctor/authdoctor/keycloak"
	"github.com/authdoctor/authdoctor/report"
	"github.com/authdoctor/authdoctor/report/redact"
)

// ConfigError is bad or missing input: the CLI prints it and exits 2
// without sending anything to any server.
type ConfigError struct{ Msg string }

func (e *ConfigError) Error() string { return e.Msg }

func configErrorf(format string, args ...any) error {
	return &ConfigError{Msg: fmt.Sprintf(format, args...)}
}

// Sources are the places a setting can come from, strongest first: flags,
// the real environment, the .env file, the default.
type Sources struct {
	Flag   func(name string) (value []string, set bool)
	Env    map[string]string
	DotEnv map[string]string
}

// Source names, as shown in reports.
const (
	SourceFlag    = "flag"
	SourceEnv     = "environment"
	SourceDotEnv  = ".env file"
	SourceDefault = "default"
	SourceUnset   = "unset"
)

type rawValue struct {
	values []string
	source string
}

func (s Sources) lookup(st Setting) rawValue {
	if s.Flag != nil {
		if v, ok := s.Flag(st.Name); ok {
			return rawValue{v, SourceFlag}
		}
	}
	for _, m := range []struct {
		vars   map[string]string
		source string
	}{{s.Env, SourceEnv}, {s.DotEnv, SourceDotEnv}} {
		if v, ok := m.vars[st.EnvVar]; ok && v != "" {
			if st.Kind == KindList {
				return rawValue{splitList(v), m.source}
			}
			return rawValue{[]string{v}, m.source}
		}
	}
	if st.Default != "" {
		return rawValue{[]string{st.Default}, SourceDefault}
	}
	return rawValue{nil, SourceUnset}
}

func splitList(v string) []string {
	var out []string
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// Config is the validated input of one run.
type Config struct {
	KeycloakURL    string
	Realm          string
	TenantID       string
	Credentials    keycloak.Credentials
	GraphQLURL     string
	HasuraRole     string
	RequireRoles   []string
	RequireFields  []string
	RootCAs        *x509.CertPool // nil: system roots only
	Insecure       bool
	AllowPlainHTTP bool
	Resolve        map[string]string
	ExtraSecrets   []redact.Secret // values of the --secret variables
	Output         string
	Reports        []string
	Timeout        time.Duration
	Verbose        bool
	NoColor        bool
	Settings       []report.Setting // every setting with its source, for reports
}

// Grant is "password" or "client_credentials".
func (c *Config) Grant() string { return c.Credentials.Grant() }

// Load resolves and validates every setting. readFile reads --ca-file.
func Load(src Sources, readFile func(string) ([]byte, error)) (*Config, error) {
	vals := map[string]rawValue{}
	for _, st := range Settings() {
		v := src.lookup(st)
		if st.Name == "no-color" && v.source == SourceEnv {
			v.values = []string{"true"} // NO_COLOR: any value means no colour
		}
		vals[st.Name] = v
	}
	str := func(name string) string {
		if v := vals[name].values; len(v) > 0 {
			return strings.TrimSpace(v[len(v)-1])
		}
		return ""
	}
	list := func(name string) []string {
		var out []string
		for _, v := range vals[name].values {
			out = append(out, splitList(v)...)
		}
		return out
	}
	boolean := func(name string) (bool, error) {
		s := str(name)
		if s == "" {
			return false, nil
		}
		b, err := strconv.ParseBool(s)
		if err != nil {
			return false, configErrorf("--%s: %q is not true or false", name, s)
		}
		return b, nil
	}

	c := &Config{TenantID: str("tenant-id"), HasuraRole: str("hasura-role"), Output: str("output"), Reports: list("report")}
	var err error
	if c.KeycloakURL, err = parseBaseURL("--keycloak-url / KEYCLOAK_URL", str("keycloak-url"), true); err != nil {
		return nil, err
	}
	if c.Realm, err = realmName(str("realm"), c.TenantID); err != nil {
		return nil, err
	}
	c.Credentials = keycloak.Credentials{ClientID: str("client-id"), ClientSecret: redact.Secret(str("client-secret")), Scope: str("scope")}
	if c.Credentials.ClientID == "" {
		return nil, configErrorf("no client id: pass --client-id (e.g. admin-portal) or set CLIENT_ID")
	}
	password := str("password")
	username := str("username")
	switch {
	case password != "" && username == "":
		return nil, configErrorf("a password is set but no username: pass --username or set USERNAME")
	case password != "":
		c.Credentials.Username, c.Credentials.Password = username, redact.Secret(password)
	case username != "" && vals["username"].source != SourceFlag:
		// USERNAME is set by some operating systems for the login user:
		// without a password it is not an authdoctor setting.
		v := vals["username"]
		v.source += " (ignored: no password)"
		vals["username"] = v
	case username != "":
		return nil, configErrorf("--username is given but no password: pass --password or set PASSWORD (without both, the client-credentials grant is used)")
	}
	if c.GraphQLURL, err = parseBaseURL("--graphql-url / GRAPHQL_URL", str("graphql-url"), false); err != nil {
		return nil, err
	}
	if c.RequireRoles, err = validRoles(list("require-role")); err != nil {
		return nil, err
	}
	c.RequireFields = list("require-field")
	if len(c.RequireFields) > 0 && c.GraphQLURL == "" {
		return nil, configErrorf("--require-field needs --graphql-url (or GRAPHQL_URL)")
	}
	if c.Insecure, err = boolean("insecure-skip-tls-verify"); err != nil {
		return nil, err
	}
	if c.AllowPlainHTTP, err = boolean("allow-plain-http"); err != nil {
		return nil, err
	}
	if c.Verbose, err = boolean("verbose"); err != nil {
		return nil, err
	}
	if c.NoColor, err = boolean("no-color"); err != nil {
		return nil, err
	}
	if c.Resolve, err = keycloak.ParseResolve(list("resolve")); err != nil {
		return nil, &ConfigError{Msg: err.Error()}
	}
	if c.Timeout, err = time.ParseDuration(str("timeout")); err != nil || c.Timeout <= 0 {
		return nil, configErrorf("--timeout %q: want a positive duration such as 30s or 2m", str("timeout"))
	}
	if path := str("ca-file"); path != "" {
		if c.RootCAs, err = loadCAFile(path, readFile); err != nil {
			return nil, err
		}
	}
	for _, name := range list("secret") {
		v, ok := src.Env[name]
		if !ok {
			v, ok = src.DotEnv[name]
		}
		if ok {
			c.ExtraSecrets = append(c.ExtraSecrets, redact.Secret(v))
		}
	}
	c.Settings = reportSettings(vals)
	return c, nil
}

func parseBaseURL(what, raw string, required bool) (string, error) {
	if raw == "" {
		if required {
			return "", configErrorf("no Keycloak URL: pass --keycloak-url https://sso.example.com or set KEYCLOAK_URL")
		}
		return "", nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", configErrorf("%s %q is not an http(s) URL such as https://sso.example.com", what, raw)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", configErrorf("%s %q: give the base URL only, without credentials, query or fragment", what, raw)
	}
	if required {
		// A URL copied from a browser or a token's iss points into a realm.
		if before, after, found := strings.Cut(u.Path, "/realms/"); found {
			realm, _, _ := strings.Cut(after, "/")
			base := *u
			base.Path = before
			return "", configErrorf("%s %q points into realm %q: give the base URL %s (and the realm with --realm %s or --tenant-id)", what, raw, realm, strings.TrimRight(base.String(), "/"), realm)
		}
	}
	return strings.TrimRight(u.String(), "/"), nil
}

func realmName(realm, tenant string) (string, error) {
	switch {
	case realm != "":
		return realm, nil
	case tenant != "":
		if strings.ContainsAny(tenant, "/ ") {
			return "", configErrorf("TENANT_ID %q contains a slash or space; give the tenant id only, e.g. 3f6c0b9e-…", tenant)
		}
		return "tenant-" + tenant, nil
	}
	return "", configErrorf("no realm: pass --realm (or KEYCLOAK_REALM), or --tenant-id (or TENANT_ID) for realm tenant-<id>")
}

func validRoles(roles []string) ([]string, error) {
	for _, r := range roles {
		client, role, isClient := strings.Cut(r, ":")
		if r == "" || (isClient && (client == "" || role == "")) {
			return nil, configErrorf("--require-role %q: want ROLE for a realm role or CLIENT:ROLE for a client role", r)
		}
	}
	return roles, nil
}

func loadCAFile(path string, readFile func(string) ([]byte, error)) (*x509.CertPool, error) {
	pem, err := readFile(path)
	if err != nil {
		return nil, configErrorf("--ca-file: %v", err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, configErrorf("--ca-file %s: no PEM certificate found in it", path)
	}
	return pool, nil
}

func reportSettings(vals map[string]rawValue) []report.Setting {
	var out []report.Setting
	for _, st := range Settings() {
		v := vals[st.Name]
		rs := report.Setting{Name: st.Name, EnvVar: st.EnvVar, Source: v.source, Secret: st.Secret}
		if !st.Secret {
			rs.Value = strings.Join(v.values, ",")
		}
		out = append(out, rs)
	}
	return out
}
