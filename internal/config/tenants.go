package config

import (
	"strconv"

	"github.com/authdoctor/authdoctor/checks"
)

// maxParallel bounds --parallel: beyond it a run is a load test of
// Keycloak, not a diagnosis.
const maxParallel = 256

// tenantsFile: --tenants and --parallel. The tenants replace --realm and
// --tenant-id, so giving both as flags is refused (a value from the
// environment or the .env file is left unused).
func tenantsFile(r resolved, c *checks.Config) error {
	c.TenantsFile = r.str("tenants")
	if c.TenantsFile == "" {
		if r.values["parallel"].source == SourceFlag {
			return errorf("--parallel needs --tenants")
		}
		return nil
	}
	for _, name := range []string{"realm", "tenant-id"} {
		if r.values[name].source == SourceFlag {
			return errorf("--%s and --tenants cannot be combined: the file names each tenant's realm", name)
		}
	}
	n, err := strconv.Atoi(r.str("parallel"))
	if err != nil || n < 1 || n > maxParallel {
		return errorf("%s %s: want a number of tenants from 1 to %d", r.label("parallel"), shown(r.str("parallel")), maxParallel)
	}
	c.Parallel = n
	return nil
}

// TenantRealm validates a tenant's realm, given as a realm name or as a
// tenant id (realm tenant-<id>), as --realm and --tenant-id are; label
// names where it came from (a line of the --tenants file).
func TenantRealm(label, realm, tenantID string) (string, error) {
	return realmName(label, realm, label, tenantID)
}
