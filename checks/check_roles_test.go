package checks

import (
	"reflect"
	"testing"

	"github.com/golang-jwt/jwt/v5"
)

func TestRequiredRoles(t *testing.T) {
	claims := jwt.MapClaims{
		"realm_access":    map[string]any{"roles": []any{"admin-user", "offline_access"}},
		"resource_access": map[string]any{"realm-management": map[string]any{"roles": []any{"view-events"}}},
	}
	roles := rolesOf(claims)
	tests := []struct {
		required, want []string
	}{
		{[]string{"admin-user"}, nil},
		{[]string{"realm-management:view-events"}, nil},
		{[]string{"tenant-read"}, []string{"realm role tenant-read"}},
		{[]string{"realm-management:manage-users", "admin-user"}, []string{"client role manage-users of realm-management"}},
		{[]string{"account:view-profile"}, []string{"client role view-profile of account"}},
	}
	for _, tt := range tests {
		if got := roles.missing(tt.required); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%v: got %v, want %v", tt.required, got, tt.want)
		}
	}
	if rolesOf(jwt.MapClaims{"azp": "admin-cli", "scope": "openid"}).present {
		t.Error("a lightweight token has no role claims")
	}
}
