package checks

import (
	"crypto/x509"
	"time"

	"github.com/authdoctor/authdoctor/checks/codes"
	"github.com/authdoctor/authdoctor/internal/redact"
	"github.com/authdoctor/authdoctor/keycloak"
	"github.com/authdoctor/authdoctor/report"
)

// Config is the validated input of one run.
type Config struct {
	KeycloakURL string
	Realm       string
	TenantID    string
	Credentials keycloak.Credentials
	GraphQLURL  string
	HasuraRole  string
	// HasuraClaims is where Hasura reads its claims in the token
	// (--hasura-claims-namespace, --hasura-claims-namespace-path); the
	// zero value is Hasura's default namespace.
	HasuraClaims   HasuraClaimsAt
	RequireRoles   []string
	RequireFields  []string
	JobDuration    time.Duration  // how long the job using the token runs (--job-duration); 0: not given
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
	// RealmFromTenant: the realm name was derived from TENANT_ID, so a
	// missing realm points at the tenant id.
	RealmFromTenant bool
	// Admin is the admin access for reading events and role mappings; its
	// IsSet is false when none was given.
	Admin keycloak.AdminCredentials
	// Events: read the server's events to refine a failed login.
	Events bool
	// IgnoredUsername is a USERNAME found without a password (some systems
	// set it for the login user), which is why no password grant was tried.
	IgnoredUsername string
	// TenantsFile is --tenants: the run checks every tenant the file lists
	// (internal/tenants), Parallel (--parallel) of them at once; Realm,
	// TenantID and, per CSV row, the client and user are then the
	// tenant's.
	TenantsFile string
	Parallel    int
	// Only and Skip choose the checks to run (--only, --skip); PlanFor
	// adds what the chosen checks need. Ids are validated against
	// Catalog() before the run.
	Only, Skip []codes.CheckID
	// FailOn lists the statuses besides fail that fail the run: warn and
	// skip (--fail-on; --strict is both).
	FailOn []report.Status
	// Strict: --strict was given (FailOn then holds warn and skip); the
	// report names that flag.
	Strict bool
}

// Grant is "password" or "client_credentials".
func (c *Config) Grant() string { return c.Credentials.Grant() }
