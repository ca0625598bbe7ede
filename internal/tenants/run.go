package tenants

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/authdoctor/authdoctor/checks"
	"github.com/authdoctor/authdoctor/internal/httpx"
	"github.com/authdoctor/authdoctor/internal/redact"
	"github.com/authdoctor/authdoctor/keycloak"
	"github.com/authdoctor/authdoctor/report"
)

// Configs makes each tenant's configuration from the run's (base): the
// tenant's realm, and the client and user its CSV row names, with the
// secrets read from the environment variables the row names (lookup).
// A row without a client uses the run's client and secret; a row naming
// another client gets only the secret its client_secret_env names. With a
// username column, an empty cell means no user (the client-credentials
// grant); without one, the run's user applies. A variable that is not set is a *config.Error
// naming the line, found before any request.
func Configs(label string, base *checks.Config, list []Tenant, lookup func(string) (string, bool)) ([]*checks.Config, error) {
	out := make([]*checks.Config, len(list))
	for i, t := range list {
		c := *base
		c.TenantID, c.Realm, c.RealmFromTenant = t.TenantID, t.RealmName(), t.Realm == ""
		c.Reports = nil
		creds := base.Credentials
		if t.ClientID != "" && t.ClientID != base.Credentials.ClientID {
			creds = keycloak.Credentials{ClientID: t.ClientID, Scope: base.Credentials.Scope, Username: base.Credentials.Username, Password: base.Credentials.Password}
		}
		if creds.ClientID == "" {
			return nil, bad(label, t.Line, "no client id: add a client_id column, or pass --client-id (or CLIENT_ID) for all tenants")
		}
		if t.ClientSecretEnv != "" {
			v, err := env(label, t.Line, "client_secret_env", t.ClientSecretEnv, lookup)
			if err != nil {
				return nil, err
			}
			creds.ClientSecret = redact.Secret(v)
		}
		if t.UserColumn && t.Username == "" {
			creds.Username, creds.Password = "", ""
		}
		if t.Username != "" {
			v, err := env(label, t.Line, "password_env", t.PasswordEnv, lookup)
			if err != nil {
				return nil, err
			}
			creds.Username, creds.Password = t.Username, redact.Secret(v)
		}
		c.Credentials = creds
		out[i] = &c
	}
	return out, nil
}

func env(label string, line int, col, name string, lookup func(string) (string, bool)) (string, error) {
	v, ok := lookup(name)
	if !ok || v == "" {
		return "", bad(label, line, fmt.Sprintf("%s names %s, which is not set (or empty) in the environment or the .env file", col, name))
	}
	return v, nil
}

// Options are a run's collaborators.
type Options struct {
	Parallel int
	// Diagnose are the options of each tenant's run; Secrets and Shared
	// are set per tenant by Run.
	Diagnose checks.Options
	// Secrets makes a tenant's secret set (its password, client secret,
	// --secret values): each tenant's report is scrubbed with its own set,
	// which also learns its tokens.
	Secrets func(*checks.Config) *redact.Set
	// Started and Done observe the tenants (live summary), or are nil.
	Started func(i int)
	Done    func(i int, r report.Report)
}

// Run checks every tenant, at most o.Parallel at once, over connections
// shared by all (one TLS probe and, on HTTP/2, one handshake per host for
// the whole run), and returns the matrix in file order. Each tenant's run
// is a full run of its own (its own Keycloak client, secrets and report,
// its own --timeout), so a tenant's password is sent at most once, as in
// a single run.
func Run(ctx context.Context, base *checks.Config, list []Tenant, cfgs []*checks.Config, o Options) report.Matrix {
	parallel := max(1, o.Parallel)
	shared := httpx.NewSharedTransport(checks.TransportOptions(base, o.Diagnose), 4*parallel)
	defer shared.Close()

	m := report.Matrix{
		Tool:        report.Tool{Name: "authdoctor", Version: o.Diagnose.Version},
		KeycloakURL: base.KeycloakURL,
		Parallel:    parallel,
		Tenants:     make([]report.TenantReport, len(list)),
	}
	for _, c := range checks.CatalogFor(base) {
		m.Checks = append(m.Checks, string(c.ID))
	}
	now := o.Diagnose.Now
	if now == nil {
		now = time.Now
	}
	m.Time = now().UTC()
	wall := time.Now()
	sem := make(chan struct{}, parallel)
	var wg sync.WaitGroup
	for i := range list {
		// Every tenant gets a report: once ctx has ended, the runs left
		// end at once with the run's timeout as their finding, so no
		// tenant silently drops out of the matrix (or the exit code).
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if o.Started != nil {
				o.Started(i)
			}
			opts := o.Diagnose
			opts.Shared = shared
			opts.Secrets = o.Secrets(cfgs[i])
			// Diagnose turns a check's panic into that check's
			// INTERNAL_ERROR, so one tenant cannot stop the others.
			rep := checks.Diagnose(ctx, cfgs[i], opts)
			// The settings are the run's, the same for every tenant, and
			// no matrix format shows them: a thousand copies would be a
			// good part of the run's memory.
			rep.Environment.Settings = nil
			m.Tenants[i] = report.TenantReport{Tenant: list[i].Name, Line: list[i].Line, Report: rep}
			if o.Done != nil {
				o.Done(i, rep)
			}
		}()
	}
	wg.Wait()
	m.Duration = time.Since(wall)
	m.SetExitCode()
	return m
}
