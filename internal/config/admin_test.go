package config

import (
	"strings"
	"testing"
)

func TestAdminAccess(t *testing.T) {
	base := func() map[string]string {
		return map[string]string{"KEYCLOAK_URL": "https://sso.example.com", "TENANT_ID": "abc", "CLIENT_ID": "admin-portal"}
	}
	with := func(kv ...string) map[string]string {
		env := base()
		for i := 0; i < len(kv); i += 2 {
			env[kv[i]] = kv[i+1]
		}
		return env
	}
	tests := []struct {
		name       string
		env        map[string]string
		flags      map[string][]string
		wantErr    string
		wantEvents bool
		wantAdmin  bool
	}{
		{name: "none", env: base()},
		{name: "user and password", env: with("KEYCLOAK_ADMIN_USERNAME", "admin", "KEYCLOAK_ADMIN_PASSWORD", "admin-pw-123"), wantEvents: true, wantAdmin: true},
		{name: "service account", env: with("KEYCLOAK_ADMIN_CLIENT_ID", "ops", "KEYCLOAK_ADMIN_CLIENT_SECRET", "ops-secret-123"), wantEvents: true, wantAdmin: true},
		{name: "ready token", env: with("KEYCLOAK_ADMIN_TOKEN", "eyJ.ready.token"), wantEvents: true, wantAdmin: true},
		{name: "events off", env: with("KEYCLOAK_ADMIN_TOKEN", "eyJ.ready.token"), flags: map[string][]string{"events": {"false"}}, wantAdmin: true},
		{name: "username without password", env: with("KEYCLOAK_ADMIN_USERNAME", "admin"), wantErr: "no admin password"},
		{name: "password without username", env: with("KEYCLOAK_ADMIN_PASSWORD", "admin-pw-123"), wantErr: "no admin username"},
		{name: "token and password", env: with("KEYCLOAK_ADMIN_TOKEN", "t", "KEYCLOAK_ADMIN_USERNAME", "admin", "KEYCLOAK_ADMIN_PASSWORD", "admin-pw-123"), wantErr: "not both"},
		{name: "events without admin", env: base(), flags: map[string][]string{"events": {"true"}}, wantErr: "needs admin access"},
		{name: "bad admin realm", env: with("KEYCLOAK_ADMIN_TOKEN", "t", "KEYCLOAK_ADMIN_REALM", "mas/ter"), wantErr: "cannot be used in a URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := load(t, tt.flags, tt.env, nil)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err %v, want %q", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "admin-pw-123") {
					t.Fatal("the error repeats the admin password")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.Events != tt.wantEvents || c.Admin.IsSet() != tt.wantAdmin {
				t.Fatalf("events %v admin %v", c.Events, c.Admin.IsSet())
			}
			if c.Admin.Realm != "master" || c.Admin.ClientID == "" {
				t.Fatalf("defaults: realm %q client %q", c.Admin.Realm, c.Admin.ClientID)
			}
		})
	}
}

func TestLoadAdminNeedsNoCredentialsUnderTest(t *testing.T) {
	flag := func(string) ([]string, bool) { return nil, false }
	c, err := LoadAdmin(Sources{Flag: flag, Env: map[string]string{"KEYCLOAK_URL": "https://sso.example.com", "TENANT_ID": "abc", "KEYCLOAK_ADMIN_TOKEN": "eyJ.ready.token"}}, noFile)
	if err != nil || c.Realm != "tenant-abc" || !c.Admin.Token.IsSet() {
		t.Fatalf("%+v, %v", c, err)
	}
	_, err = LoadAdmin(Sources{Flag: flag, Env: map[string]string{"KEYCLOAK_URL": "https://sso.example.com", "TENANT_ID": "abc"}}, noFile)
	if err == nil || !strings.Contains(err.Error(), "no admin access") {
		t.Fatalf("want no admin access, got %v", err)
	}
}
