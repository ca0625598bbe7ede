package checks

import (
	"crypto/x509"
	"time"

	"github.com/authdoctor/authdoctor/internal/redact"
	"github.com/authdoctor/authdoctor/keycloak"
	"github.com/authdoctor/authdoctor/report"
)

// Config is the validated input of one run.
type Config struct {
	KeycloakURL    string
	Realm          string
	TenantID       string
	Credentials    keycloak.Credentials
	GraphQLURL     string
	HasuraRole     string
	RequireRoles   []string
	RequireFields  []string
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
}

// Grant is "password" or "client_credentials".
func (c *Config) Grant() string { return c.Credentials.Grant() }
