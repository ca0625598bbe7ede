package tenants

import (
	"errors"
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/checks"
	"github.com/authdoctor/authdoctor/internal/config"
	"github.com/authdoctor/authdoctor/internal/redact"
	"github.com/authdoctor/authdoctor/keycloak"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name, file string
		want       []string // realm names
	}{
		{"lines", "# comment\n\nacme\ntenant-globex\r\nrealm=partners\n", []string{"tenant-acme", "tenant-globex", "partners"}},
		{"BOM", "\ufeffacme\n", []string{"tenant-acme"}},
		{"CSV", "tenant,realm,client_id\nacme,,\n,partners,svc\n# gone\n", []string{"tenant-acme", "partners"}},
		{"CSV header case and spaces", "Tenant, Client_ID\nacme, svc\n", []string{"tenant-acme"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			list, err := Parse("f", []byte(tt.file))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, tn := range list {
				got = append(got, tn.RealmName())
			}
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("realms %v, want %v", got, tt.want)
			}
		})
	}
}

func TestParseRefuses(t *testing.T) {
	tests := []struct{ name, file, want string }{
		{"quoted field broken", "tenant,client_id\n\"acme,svc\n", "line 2"},
		{"wrong field count", "tenant,client_id\nacme\n", "line 2"},
		{"no tenant column", "client_id,username\nsvc,ana\n", `needs a "tenant" or a "realm" column`},
		{"both empty", "tenant,realm\n,\n", "line 2: no tenant and no realm"},
		{"password column", "tenant,password\nacme,x\n", `column "password" would hold a secret`},
		{"duplicate column", "tenant,tenant\na,b\n", `column "tenant" appears twice`},
		{"lower-case env name", "tenant,client_secret_env\nacme,my_secret\n", "client_secret_env is not the name of an environment variable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("f", []byte(tt.file))
			var ce *config.Error
			if !errors.As(err, &ce) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want a config.Error with %q", err, tt.want)
			}
			if err != nil && strings.Contains(err.Error(), "my_secret") {
				t.Error("the message quotes what may be a secret")
			}
		})
	}
}

func TestConfigs(t *testing.T) {
	base := &checks.Config{Realm: "unused", Credentials: keycloak.Credentials{ClientID: "portal", ClientSecret: redact.Secret("portal-secret"), Username: "ana", Password: redact.Secret("ana-pw"), Scope: "openid"}, Reports: []string{"r.json"}}
	list, err := Parse("f", []byte("tenant,client_id,client_secret_env,username,password_env\na,,,,\nb,svc,SVC,,\nc,,,bob,BOB\n"))
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"SVC": "svc-secret", "BOB": "bob-pw"}
	cfgs, err := Configs("f", base, list, func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	type want struct{ realm, client, secret, user, password string }
	for i, w := range []want{
		{"tenant-a", "portal", "portal-secret", "", ""}, // username column empty: client credentials
		{"tenant-b", "svc", "svc-secret", "", ""},       // another client: only its own secret
		{"tenant-c", "portal", "portal-secret", "bob", "bob-pw"},
	} {
		c := cfgs[i]
		got := want{c.Realm, c.Credentials.ClientID, c.Credentials.ClientSecret.Reveal(), c.Credentials.Username, c.Credentials.Password.Reveal()}
		if got != w {
			t.Errorf("tenant %d: %+v, want %+v", i, got, w)
		}
		if c.Reports != nil {
			t.Error("a tenant's run writes the run's report files")
		}
	}
	lines, _ := Parse("f", []byte("a\n"))
	if cfgs, _ := Configs("f", base, lines, func(string) (string, bool) { return "", false }); cfgs[0].Credentials.Username != "ana" {
		t.Error("a plain list does not keep the run's user")
	}
	if _, err := Configs("f", base, list, func(string) (string, bool) { return "", false }); err == nil || !strings.Contains(err.Error(), "line 3: client_secret_env names SVC, which is not set") {
		t.Errorf("missing variable: %v", err)
	}
}
