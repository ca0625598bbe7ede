package config

import (
	"slices"

	"github.com/authdoctor/authdoctor/checks"
)

// AdminSettingNames are the settings of commands that only read the admin
// API (authdoctor events): where Keycloak is, which realm, the admin
// access, and how to connect.
func AdminSettingNames() []string {
	return []string{
		"keycloak-url", "realm", "tenant-id",
		"admin-username", "admin-password", "admin-client-id", "admin-client-secret", "admin-realm", "admin-token",
		"ca-file", "insecure-skip-tls-verify", "allow-plain-http", "resolve", "secret", "env-file", "timeout", "no-color",
	}
}

// AdminSettings is the part of Settings() that AdminSettingNames names.
func AdminSettings() []Setting {
	var out []Setting
	for _, s := range Settings() {
		if slices.Contains(AdminSettingNames(), s.Name) {
			out = append(out, s)
		}
	}
	return out
}

// LoadAdmin resolves and validates the settings of a command that only
// reads the admin API: the same rules as Load, without the credentials
// under test. Admin access is required.
func LoadAdmin(src Sources, readFile func(string) ([]byte, error)) (*checks.Config, error) {
	r := resolve(src)
	if err := r.checkLists(); err != nil {
		return nil, err
	}
	if err := missing(r, requiredKeycloakURL, requiredRealm, requiredAdminAccess); err != nil {
		return nil, err
	}
	c := &checks.Config{TenantID: r.str("tenant-id")}
	for _, step := range []func(resolved, *checks.Config) error{target, switches, connection, extraSecrets, adminAccess} {
		if err := step(r, c); err != nil {
			return nil, err
		}
	}
	if !c.Admin.IsSet() {
		return nil, &Error{Msg: msgNoAdminAccess}
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

const msgNoAdminAccess = "no admin access: give --admin-username and --admin-password (KEYCLOAK_ADMIN_USERNAME, KEYCLOAK_ADMIN_PASSWORD), or --admin-client-id and --admin-client-secret, or --admin-token"

// requiredAdminAccess: a password, a client secret or a token for the admin
// API (an admin username alone is refused by adminAccess, naming it).
func requiredAdminAccess(r resolved) string {
	for _, name := range []string{"admin-username", "admin-password", "admin-client-secret", "admin-token"} {
		if r.str(name) != "" {
			return ""
		}
	}
	return msgNoAdminAccess
}
