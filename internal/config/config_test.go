package config

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/checks"
)

func noFile(string) ([]byte, error) { return nil, os.ErrNotExist }

func load(t *testing.T, flags map[string][]string, env, dotenv map[string]string) (*checks.Config, error) {
	t.Helper()
	flag := func(name string) ([]string, bool) { v, ok := flags[name]; return v, ok }
	return Load(Sources{Flag: flag, Env: env, DotEnv: dotenv}, noFile)
}

func sourceOf(c *checks.Config, name string) string {
	for _, s := range c.Settings {
		if s.Name == name {
			return s.Source
		}
	}
	return ""
}

func TestLoadPrecedenceAndSources(t *testing.T) {
	env := map[string]string{"KEYCLOAK_URL": "https://env.example.com/", "TENANT_ID": "abc", "CLIENT_ID": "env-client", "PASSWORD": "pw-from-env-123", "USERNAME": "ana"}
	dotenv := map[string]string{"CLIENT_ID": "file-client", "GRAPHQL_URL": "https://api.example.com/v1/graphql", "CLIENT_SECRET": "file-secret-123"}
	flags := map[string][]string{"keycloak-url": {"https://flag.example.com"}}
	c, err := load(t, flags, env, dotenv)
	if err != nil {
		t.Fatal(err)
	}
	if c.KeycloakURL != "https://flag.example.com" || sourceOf(c, "keycloak-url") != SourceFlag {
		t.Errorf("flag must win: %s (%s)", c.KeycloakURL, sourceOf(c, "keycloak-url"))
	}
	if c.Credentials.ClientID != "env-client" || sourceOf(c, "client-id") != SourceEnv {
		t.Errorf("environment must win over .env: %s", c.Credentials.ClientID)
	}
	if c.GraphQLURL == "" || sourceOf(c, "graphql-url") != SourceDotEnv {
		t.Errorf(".env must be read: %q", c.GraphQLURL)
	}
	if c.Realm != "tenant-abc" || c.Grant() != "password" || sourceOf(c, "timeout") != SourceDefault {
		t.Errorf("realm %s grant %s", c.Realm, c.Grant())
	}
	for _, s := range c.Settings {
		if s.Secret && s.Value != "" {
			t.Errorf("secret setting %s carries its value into the report", s.Name)
		}
	}
}

func TestOSUsernameWithoutPasswordIsIgnored(t *testing.T) {
	c, err := load(t, nil, map[string]string{"KEYCLOAK_URL": "https://sso.example.com", "KEYCLOAK_REALM": "r", "CLIENT_ID": "svc", "CLIENT_SECRET": "s3cret-value", "USERNAME": "jdoe"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Grant() != "client_credentials" || c.Credentials.Username != "" {
		t.Fatalf("grant %s username %q", c.Grant(), c.Credentials.Username)
	}
	if !strings.Contains(sourceOf(c, "username"), "ignored") {
		t.Fatalf("the report must say USERNAME was ignored: %q", sourceOf(c, "username"))
	}
}

func TestLoadRejectsBadInput(t *testing.T) {
	base := map[string]string{"KEYCLOAK_URL": "https://sso.example.com", "TENANT_ID": "t", "CLIENT_ID": "c"}
	with := func(kv ...string) map[string]string {
		m := map[string]string{}
		for k, v := range base {
			m[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			if kv[i+1] == "" {
				delete(m, kv[i])
			} else {
				m[kv[i]] = kv[i+1]
			}
		}
		return m
	}
	tests := []struct {
		name  string
		env   map[string]string
		flags map[string][]string
		want  string
	}{
		{"no url", with("KEYCLOAK_URL", ""), nil, "KEYCLOAK_URL"},
		{"bad url", with("KEYCLOAK_URL", "sso.example.com"), nil, "not an http(s) URL"},
		{"url with credentials", with("KEYCLOAK_URL", "https://u:hunter2@sso.example.com"), nil, "user:password@"},
		{"port out of range", with("KEYCLOAK_URL", "http://127.0.0.1:99999"), nil, "between 1 and 65535"},
		{"port zero", with("KEYCLOAK_URL", "http://127.0.0.1:0"), nil, "between 1 and 65535"},
		{"graphql port out of range", with("GRAPHQL_URL", "http://127.0.0.1:70000/v1/graphql"), nil, "GRAPHQL_URL (environment)"},
		{"url ends in /realms", with("KEYCLOAK_URL", "https://sso.example.com/realms/"), nil, "give the base URL https://sso.example.com,"},
		{"graphql url as keycloak url", with("KEYCLOAK_URL", "https://api.example.com/v1/graphql"), nil, "--graphql-url"},
		{"realm with a slash", base, map[string][]string{"realm": {"a/b"}}, "--realm"},
		{"realm with a space", with("KEYCLOAK_REALM", "a b"), nil, "KEYCLOAK_REALM (environment)"},
		{"tenant with a query", with("TENANT_ID", "x?y"), nil, "tenant id only"},
		{"tenant with a fragment", with("TENANT_ID", "x#y"), nil, "tenant id only"},
		{"tenant with a newline", with("TENANT_ID", "a\nb"), nil, "tenant id only"},
		{"empty role flag", base, map[string][]string{"require-role": {""}}, "empty value"},
		{"stray comma in a list", with("AUTHDOCTOR_REQUIRE_ROLES", "admin,"), nil, "AUTHDOCTOR_REQUIRE_ROLES (environment)"},
		{"field that is not a name", with("GRAPHQL_URL", "https://api.example.com/v1/graphql"), map[string][]string{"require-field": {"query { x }"}}, "root field"},
		{"hasura role with a newline", base, map[string][]string{"hasura-role": {"x\ny"}}, "x-hasura-role"},
		{"empty ca file flag", base, map[string][]string{"ca-file": {""}}, "--ca-file is empty"},
		{"bad timeout from the environment", with("AUTHDOCTOR_TIMEOUT", "soon"), nil, "AUTHDOCTOR_TIMEOUT (environment)"},
		{"no realm", with("TENANT_ID", ""), nil, "no realm"},
		{"no client", with("CLIENT_ID", ""), nil, "CLIENT_ID"},
		{"password without user", with("PASSWORD", "pw-123456"), nil, "no username"},
		{"user flag without password", base, map[string][]string{"username": {"ana"}}, "no password"},
		{"bad role", base, map[string][]string{"require-role": {"client:"}}, "CLIENT:ROLE"},
		{"field without graphql", base, map[string][]string{"require-field": {"x"}}, "--graphql-url"},
		{"bad timeout", base, map[string][]string{"timeout": {"soon"}}, "--timeout"},
		{"bad bool", with("AUTHDOCTOR_INSECURE_SKIP_TLS_VERIFY", "maybe"), nil, "true or false"},
		{"bad resolve", base, map[string][]string{"resolve": {"x"}}, "HOST:PORT:ADDRESS"},
		{"missing ca file", base, map[string][]string{"ca-file": {"/nonexistent.pem"}}, "--ca-file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := load(t, tt.flags, tt.env, nil)
			var ce *Error
			if !errors.As(err, &ce) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want a Error mentioning %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Fatalf("the message shows the URL's password: %v", err)
			}
		})
	}
}

// A pasted value is echoed back shortened, not whole.
func TestLoadShortensEchoedValues(t *testing.T) {
	long := strings.Repeat("x", 100_000)
	_, err := load(t, map[string][]string{"timeout": {long}}, map[string]string{"KEYCLOAK_URL": "https://s", "TENANT_ID": "t", "CLIENT_ID": "c"}, nil)
	if err == nil || len(err.Error()) > 300 {
		t.Fatalf("want a short error, got %d bytes", len(fmt.Sprint(err)))
	}
}

func TestNoColorAnyValue(t *testing.T) {
	c, err := load(t, nil, map[string]string{"KEYCLOAK_URL": "https://s", "TENANT_ID": "t", "CLIENT_ID": "c", "NO_COLOR": "yes please"}, nil)
	if err != nil || !c.NoColor {
		t.Fatalf("NO_COLOR set to anything means no colour: %v %v", c, err)
	}
}

func TestRealmURLIsNotABaseURL(t *testing.T) {
	_, err := load(t, nil, map[string]string{"KEYCLOAK_URL": "https://sso.example.com/auth/realms/tenant-abc/account", "CLIENT_ID": "c"}, nil)
	if err == nil || !strings.Contains(err.Error(), "give the base URL https://sso.example.com/auth") || !strings.Contains(err.Error(), "--realm tenant-abc") {
		t.Fatalf("got %v", err)
	}
}
