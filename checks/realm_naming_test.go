package checks

import (
	"reflect"
	"testing"

	"github.com/authdoctor/authdoctor/checks/codes"
)

func TestRealmGuesses(t *testing.T) {
	type guess struct {
		realm, code, set string
	}
	tests := []struct {
		name string
		cfg  Config
		want []guess
	}{
		{"tenant id with the prefix", Config{Realm: "tenant-tenant-abc", TenantID: "tenant-abc", RealmFromTenant: true}, []guess{
			{"tenant-abc", "TENANT_PREFIX_DOUBLED", "TENANT_ID=abc"},
		}},
		{"tenant id with the prefix, in capitals", Config{Realm: "tenant-Tenant-ABC", TenantID: "Tenant-ABC", RealmFromTenant: true}, []guess{
			{"tenant-ABC", "TENANT_PREFIX_DOUBLED", "TENANT_ID=ABC"},
			{"tenant-abc", "TENANT_PREFIX_DOUBLED", "TENANT_ID=abc"},
			{"tenant-tenant-abc", "REALM_NAME_CASE", "TENANT_ID=tenant-abc"},
		}},
		{"a realm name as tenant id", Config{Realm: "tenant-partners", TenantID: "partners", RealmFromTenant: true}, []guess{
			{"partners", "REALM_GIVEN_AS_TENANT_ID", "--realm partners (KEYCLOAK_REALM=partners)"},
		}},
		{"tenant id in capitals", Config{Realm: "tenant-ABC", TenantID: "ABC", RealmFromTenant: true}, []guess{
			{"ABC", "REALM_GIVEN_AS_TENANT_ID", "--realm ABC (KEYCLOAK_REALM=ABC)"},
			{"tenant-abc", "REALM_NAME_CASE", "TENANT_ID=abc"},
		}},
		{"tenant id as realm", Config{Realm: "abc"}, []guess{
			{"tenant-abc", "TENANT_ID_GIVEN_AS_REALM", "--realm tenant-abc (KEYCLOAK_REALM=tenant-abc), or TENANT_ID=abc without --realm"},
		}},
		{"tenant id in capitals as realm", Config{Realm: "ABC"}, []guess{
			{"tenant-ABC", "TENANT_ID_GIVEN_AS_REALM", "--realm tenant-ABC (KEYCLOAK_REALM=tenant-ABC), or TENANT_ID=ABC without --realm"},
			{"abc", "REALM_NAME_CASE", "--realm abc (KEYCLOAK_REALM=abc)"},
			{"tenant-abc", "TENANT_ID_GIVEN_AS_REALM", "--realm tenant-abc (KEYCLOAK_REALM=tenant-abc)"},
		}},
		{"realm with the prefix twice", Config{Realm: "tenant-tenant-abc"}, []guess{
			{"tenant-abc", "TENANT_PREFIX_DOUBLED", "--realm tenant-abc (KEYCLOAK_REALM=tenant-abc)"},
		}},
		{"realm in capitals", Config{Realm: "Tenant-abc"}, []guess{
			{"tenant-abc", "REALM_NAME_CASE", "--realm tenant-abc (KEYCLOAK_REALM=tenant-abc)"},
		}},
		{"a well-formed realm: nothing to guess", Config{Realm: "tenant-abc"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []guess
			for _, g := range realmGuesses(&tt.cfg) {
				got = append(got, guess{g.realm, g.code.ID, g.set})
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got  %+v\nwant %+v", got, tt.want)
			}
			if len(got) > maxRealmGuesses {
				t.Fatalf("%d guesses", len(got))
			}
		})
	}
	if codes.TenantPrefixDoubled.Check != codes.CheckRealm {
		t.Fatal("the naming codes belong to the realm check")
	}
}
