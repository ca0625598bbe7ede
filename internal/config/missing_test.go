package config

import (
	"errors"
	"strings"
	"testing"
)

// Several missing settings are said in one message, each with where it can
// come from; one missing setting keeps its one-line message.
func TestMissingSettingsAllAtOnce(t *testing.T) {
	tests := []struct {
		name      string
		env       map[string]string
		want      []string // each must appear
		wantLines int      // lines of the message
	}{
		{"nothing at all", nil, []string{"3 settings are missing", "--keycloak-url", "KEYCLOAK_URL", "--tenant-id", "TENANT_ID", "KEYCLOAK_REALM", "--client-id", "CLIENT_ID", ".env"}, 4},
		{"no client and no realm", map[string]string{"KEYCLOAK_URL": "https://sso.example.com"}, []string{"2 settings are missing", "TENANT_ID", "CLIENT_ID"}, 3},
		{"only the client", map[string]string{"KEYCLOAK_URL": "https://sso.example.com", "TENANT_ID": "t"}, []string{"no client id", "CLIENT_ID"}, 1},
		{"bad URL listed with the missing", map[string]string{"KEYCLOAK_URL": "sso.example.com"}, []string{"3 settings", "not an http(s) URL", "TENANT_ID", "CLIENT_ID"}, 4},
		{"password without username, and no client", map[string]string{"KEYCLOAK_URL": "https://s", "TENANT_ID": "t", "PASSWORD": "pw-123456"}, []string{"2 settings", "CLIENT_ID", "no username"}, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := load(t, nil, tt.env, nil)
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("message lacks %q:\n%s", w, msg)
				}
			}
			if n := len(strings.Split(msg, "\n")); n != tt.wantLines {
				t.Errorf("%d lines, want %d:\n%s", n, tt.wantLines, msg)
			}
			if strings.Contains(msg, "pw-123456") {
				t.Errorf("the message shows the password: %s", msg)
			}
		})
	}
}

// The events command's settings: the same, with admin access required.
func TestMissingAdminSettingsAllAtOnce(t *testing.T) {
	_, err := LoadAdmin(Sources{}, noFile)
	if err == nil {
		t.Fatal("no error")
	}
	for _, w := range []string{"3 settings", "KEYCLOAK_URL", "TENANT_ID", "--admin-username"} {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("message lacks %q:\n%s", w, err)
		}
	}
}

// The username and password rules: an empty or blank PASSWORD next to a
// USERNAME is a configuration finding, never the client-credentials grant;
// a USERNAME from the environment without any PASSWORD variable is still
// ignored (operating systems set it).
func TestUsernameAndPasswordRules(t *testing.T) {
	base := map[string]string{"KEYCLOAK_URL": "https://sso.example.com", "TENANT_ID": "t", "CLIENT_ID": "admin-portal"}
	tests := []struct {
		name       string
		flags      map[string][]string
		env        map[string]string
		dotenv     map[string]string
		wantErr    string // "" for no error
		wantGrant  string
		wantIgnore string // IgnoredUsername
	}{
		{name: "both given", env: map[string]string{"USERNAME": "ana", "PASSWORD": "pw-123456"}, wantGrant: "password"},
		{name: "USERNAME from the environment, no PASSWORD variable", env: map[string]string{"USERNAME": "jdoe"}, wantGrant: "client_credentials", wantIgnore: "jdoe"},
		{name: "USERNAME from .env, no PASSWORD variable", dotenv: map[string]string{"USERNAME": "jdoe"}, wantGrant: "client_credentials", wantIgnore: "jdoe"},
		{name: "empty PASSWORD in the environment", env: map[string]string{"USERNAME": "ana", "PASSWORD": ""}, wantErr: "PASSWORD (environment) is empty (or only white space) while USERNAME (environment) is set"},
		{name: "blank PASSWORD in the environment", env: map[string]string{"USERNAME": "ana", "PASSWORD": "  \t"}, wantErr: "PASSWORD (environment) is empty"},
		{name: "empty PASSWORD in .env, USERNAME from the OS", env: map[string]string{"USERNAME": "jdoe"}, dotenv: map[string]string{"PASSWORD": ""}, wantErr: "PASSWORD (.env file) is empty"},
		{name: "empty --password with --username", flags: map[string][]string{"username": {"ana"}, "password": {""}}, wantErr: "--password is empty (or only white space) while --username is set"},
		{name: "empty PASSWORD in the environment, real one in .env", env: map[string]string{"USERNAME": "ana", "PASSWORD": ""}, dotenv: map[string]string{"PASSWORD": "pw-123456"}, wantGrant: "password"},
		{name: "empty PASSWORD without USERNAME", env: map[string]string{"PASSWORD": ""}, wantGrant: "client_credentials"},
		{name: "--username without any password", flags: map[string][]string{"username": {"ana"}}, wantErr: "--username is given but no password"},
		{name: "password without username", env: map[string]string{"PASSWORD": "pw-123456"}, wantErr: "no username"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := map[string]string{}
			for k, v := range base {
				env[k] = v
			}
			for k, v := range tt.env {
				env[k] = v
			}
			c, err := load(t, tt.flags, env, tt.dotenv)
			if tt.wantErr != "" {
				var ce *Error
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !errors.As(err, &ce) {
					t.Fatalf("got %v, want a config error with %q", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "pw-123456") {
					t.Fatalf("the message shows a password: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.Grant() != tt.wantGrant || c.IgnoredUsername != tt.wantIgnore {
				t.Fatalf("grant %s, ignored username %q; want %s, %q", c.Grant(), c.IgnoredUsername, tt.wantGrant, tt.wantIgnore)
			}
		})
	}
}

// Every setting is in one of the groups --help shows, and names its value.
func TestEverySettingHasAGroup(t *testing.T) {
	known := map[Group]bool{}
	for _, g := range Groups() {
		known[g] = true
	}
	for _, s := range Settings() {
		if !known[s.Group] {
			t.Errorf("--%s: group %q is not one of Groups()", s.Name, s.Group)
		}
		if (s.ValueName() == "") != (s.Kind == KindBool) {
			t.Errorf("--%s: value name %q for kind %v", s.Name, s.ValueName(), s.Kind)
		}
	}
}
