package checks

import (
	"crypto/x509"
	"fmt"
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
			return rawValue{[]string{v}, m.source}
		}
	}
	if st.Default != "" {
		return rawValue{[]string{st.Default}, SourceDefault}
	}
	return rawValue{nil, SourceUnset}
}

// splitList splits a comma-separated value; an empty item is an error (a
// stray comma or an empty flag would otherwise silently require nothing).
func splitList(v string) ([]string, bool) {
	var out []string
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p == "" {
			return nil, false
		}
		out = append(out, p)
	}
	return out, true
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
	envVars := map[string]string{}
	for _, st := range Settings() {
		v := src.lookup(st)
		if st.Name == "no-color" && v.source == SourceEnv {
			v.values = []string{"true"} // NO_COLOR: any non-empty value means no colour
		}
		vals[st.Name] = v
		envVars[st.Name] = st.EnvVar
	}
	// label names a setting as the user gave it, so an error points at the
	// flag or at the variable (and where that variable came from).
	label := func(name string) string {
		switch src := vals[name].source; src {
		case SourceEnv, SourceDotEnv:
			return envVars[name] + " (" + src + ")"
		}
		return "--" + name
	}
	str := func(name string) string {
		if v := vals[name].values; len(v) > 0 {
			return strings.TrimSpace(v[len(v)-1])
		}
		return ""
	}
	for _, st := range Settings() {
		for _, v := range vals[st.Name].values {
			if _, ok := splitList(v); st.Kind == KindList && !ok {
				return nil, configErrorf("%s %s: an empty value; give one value per flag, or a comma-separated list without empty items", label(st.Name), shown(v))
			}
		}
	}
	list := func(name string) []string {
		var out []string
		for _, v := range vals[name].values {
			items, _ := splitList(v) // checked above
			out = append(out, items...)
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
			return false, configErrorf("%s %s is not true or false", label(name), shown(s))
		}
		return b, nil
	}

	c := &Config{TenantID: str("tenant-id"), HasuraRole: str("hasura-role"), Output: str("output"), Reports: list("report")}
	var err error
	if c.KeycloakURL, err = parseBaseURL(label("keycloak-url"), str("keycloak-url"), true); err != nil {
		return nil, err
	}
	if c.Realm, err = realmName(label("realm"), str("realm"), label("tenant-id"), c.TenantID); err != nil {
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
	if c.GraphQLURL, err = parseBaseURL(label("graphql-url"), str("graphql-url"), false); err != nil {
		return nil, err
	}
	if err = validHasuraRole(label("hasura-role"), c.HasuraRole); err != nil {
		return nil, err
	}
	if c.RequireRoles, err = validRoles(label("require-role"), list("require-role")); err != nil {
		return nil, err
	}
	if c.RequireFields, err = validFields(label("require-field"), list("require-field")); err != nil {
		return nil, err
	}
	if len(c.RequireFields) > 0 && c.GraphQLURL == "" {
		return nil, configErrorf("--require-field needs --graphql-url (or GRAPHQL_URL)")
	}
	for _, b := range []struct {
		name string
		dst  *bool
	}{{"insecure-skip-tls-verify", &c.Insecure}, {"allow-plain-http", &c.AllowPlainHTTP}, {"verbose", &c.Verbose}, {"no-color", &c.NoColor}} {
		if *b.dst, err = boolean(b.name); err != nil {
			return nil, err
		}
	}
	if c.Resolve, err = keycloak.ParseResolve(list("resolve")); err != nil {
		return nil, &ConfigError{Msg: err.Error()}
	}
	if c.Timeout, err = time.ParseDuration(str("timeout")); err != nil || c.Timeout <= 0 {
		return nil, configErrorf("%s %s: want a positive duration such as 30s or 2m", label("timeout"), shown(str("timeout")))
	}
	if vals["ca-file"].source == SourceFlag && str("ca-file") == "" {
		return nil, configErrorf("--ca-file is empty: give the path of a PEM file")
	}
	if path := str("ca-file"); path != "" {
		if c.RootCAs, err = loadCAFile(label("ca-file"), path, readFile); err != nil {
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
