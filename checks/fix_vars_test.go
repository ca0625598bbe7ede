package checks

import (
	"slices"
	"strings"
	"testing"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/report"
)

// The roles a fix assigns: those the role tracer found (roles not
// assigned, or not in the token) when it names any, else the required
// roles the token lacks, else the Hasura role refused, else none.
func TestFixVarsRoles(t *testing.T) {
	tests := []struct {
		name      string
		code      *codes.Code
		details   map[string]any
		required  []string
		hasura    string
		wantRoles []string
	}{
		{"traced: not assigned", codes.RoleNotAssigned, map[string]any{"roles_not_assigned": []string{"auditor"}}, []string{"auditor", "tenant-read"}, "", []string{"auditor"}},
		{"traced: none named, the required roles", codes.RoleNotAssigned, map[string]any{"roles_not_assigned": []string{}}, []string{"auditor"}, "", []string{"auditor"}},
		{"traced: not in token", codes.RoleNotInToken, map[string]any{"roles_not_in_token": []string{"auditor"}}, []string{"auditor", "tenant-read"}, "", []string{"auditor"}},
		{"traced: none in token named, the required roles", codes.RoleNotInToken, map[string]any{"roles_not_in_token": []string{}}, []string{"auditor"}, "", []string{"auditor"}},
		{"a Hasura role refused, nothing required", codes.RoleNotAssigned, map[string]any{}, nil, "admin-user", []string{"admin-user"}},
		{"nothing required, no Hasura role", codes.RoleNotInToken, map[string]any{}, nil, "", nil},
		{"the Hasura role the check refused", codes.HasuraRoleNotAllowed, map[string]any{"hasura_role": "auditor"}, nil, "", []string{"auditor"}},
		{"an empty refused role: the configured one", codes.HasuraRoleNotAllowed, map[string]any{"hasura_role": ""}, nil, "admin-user", []string{"admin-user"}},
	}
	for _, tt := range tests {
		cfg := &Config{KeycloakURL: "https://sso.example.com", Realm: "tenant-acme", RequireRoles: tt.required, HasuraRole: tt.hasura}
		v := varsOf(cfg, report.CheckResult{Code: tt.code.ID, Details: tt.details})
		if !slices.Equal(v.roles, tt.wantRoles) {
			t.Errorf("%s: roles %q, want %q", tt.name, v.roles, tt.wantRoles)
		}
	}
}

// The kcadm.sh login names the admin's realm when it is not master, and
// only the login line changes.
func TestKcadmLoginAdminRealm(t *testing.T) {
	other := "kcadm.sh get users -r tenant-acme --realm master-copy"
	for adminRealm, want := range map[string]string{
		"":            "kcadm.sh config credentials --server https://sso.example.com --realm master --user root",
		"master":      "kcadm.sh config credentials --server https://sso.example.com --realm master --user root",
		"tenant-acme": "kcadm.sh config credentials --server https://sso.example.com --realm tenant-acme --user root",
	} {
		v := fixVars{keycloakURL: "https://sso.example.com", admin: "root", adminRealm: adminRealm}
		got := commandsText(fillCommands([]string{codes.KcadmLogin, other}, v))
		if want := want + "\n" + other; got != want {
			t.Errorf("admin realm %q:\n%s\nwant\n%s", adminRealm, got, want)
		}
		if strings.Count(got, "kcadm.sh config credentials") != 1 {
			t.Errorf("admin realm %q: %s", adminRealm, got)
		}
	}
}
